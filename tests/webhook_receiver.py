"""A webhook receiver on loopback for tests and benchmarks with real workers: a threaded
HTTP/1.1 server (keep-alive, one thread per connection) that answers every POST with 200 and
counts what it receives, optionally after a delay (a slow receiver, so a worker can be killed
mid-batch).

In a test it runs in a thread (`Receiver().start()`); a benchmark runs it as its own process
(`python -m tests.webhook_receiver --port 0`, which prints `PORT <n>` and serves until
killed), so the receiver's work is not on the benchmark's interpreter, and reads its counts
from `GET /stats` (`GET /records` for the payloads, `POST /reset` to start counting again).

Each POST is counted when it arrives, before the delay: a request whose sender dies before
the answer was still seen, as a real receiver would have processed it.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.request import Request, urlopen

OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"


class Receiver:
    def __init__(self, *, delay: float = 0.0, keep_payloads: bool = True, port: int = 0) -> None:
        self.delay = delay
        self.keep_payloads = keep_payloads
        self.lock = threading.Lock()
        self.requests = 0
        self.in_flight = 0
        self.ids: set[str] = set()
        # (path, webhook-id header, body) of every POST, in arrival order.
        self.records: list[tuple[str, str, bytes]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self.server.daemon_threads = True
        self.server.handle_error = _quiet  # a sender killed mid-request is expected
        self.thread: threading.Thread | None = None
        self.started_at = time.monotonic()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> Receiver:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def received(self, path: str, webhook_id: str, body: bytes) -> None:
        with self.lock:
            self.requests += 1
            self.in_flight += 1
            self.ids.add(webhook_id)
            if self.keep_payloads:
                self.records.append((path, webhook_id, body))

    def answered(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def reset(self) -> None:
        with self.lock:
            self.requests = 0
            self.ids = set()
            self.records = []

    def stats(self) -> dict:
        with self.lock:
            return {
                "requests": self.requests,
                "unique_ids": len(self.ids),
                "in_flight": self.in_flight,
                # CPU seconds this process has used: whether the receiver was the bottleneck.
                "cpu_seconds": time.process_time(),
            }

    def payloads(self) -> list[tuple[str, str, dict]]:
        """(path, webhook-id header, parsed body) of every POST received."""
        with self.lock:
            records = list(self.records)
        return [(path, webhook_id, json.loads(body)) for path, webhook_id, body in records]


def _quiet(request, client_address) -> None:
    error = sys.exc_info()[1]
    if not isinstance(error, ConnectionError | TimeoutError):
        sys.stderr.write(f"receiver: {error.__class__.__name__}: {error}\n")


def _handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive
        disable_nagle_algorithm = True

        def do_POST(self) -> None:  # http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if len(body) < length:
                # The sender died mid-request (a worker killed while sending): no delivery was
                # made, as a real server would see it, and there is nobody left to answer.
                self.close_connection = True
                return
            if self.path == "/reset":
                receiver.reset()
                self._send_json({})
                return
            receiver.received(self.path, self.headers.get("webhook-id", ""), body)
            try:
                if receiver.delay:
                    time.sleep(receiver.delay)
                self.wfile.write(OK)  # status, headers and body in one write
            finally:
                receiver.answered()

        def do_GET(self) -> None:
            if self.path == "/stats":
                self._send_json(receiver.stats())
            elif self.path == "/records":
                self._send_json(
                    [
                        [path, webhook_id, body.decode()]
                        for path, webhook_id, body in list(receiver.records)
                    ]
                )
            else:
                self.send_error(404)

        def _send_json(self, value) -> None:
            data = json.dumps(value).encode()
            self.wfile.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(data)}\r\n\r\n".encode()
                + data
            )

        def log_message(self, format, *args) -> None:
            pass

    return Handler


class RemoteReceiver:
    """The receiver in another process, reached over HTTP."""

    def __init__(self, port: int) -> None:
        self.port = port

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _call(self, path: str, method: str = "GET"):
        data = b"" if method == "POST" else None
        request = Request(self.url(path), method=method, data=data)  # noqa: S310 (loopback)
        with urlopen(request, timeout=30) as response:  # noqa: S310
            return json.loads(response.read())

    def stats(self) -> dict:
        return self._call("/stats")

    def reset(self) -> None:
        self._call("/reset", "POST")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--keep-payloads", action="store_true")
    options = parser.parse_args()
    receiver = Receiver(delay=options.delay, keep_payloads=options.keep_payloads, port=options.port)
    print(f"PORT {receiver.port}", flush=True)
    receiver.server.serve_forever()


if __name__ == "__main__":
    main()
