"""Webhooks test kit: a receiver on loopback (pytest-httpserver) that endpoints may reach,
a clock near the real time (Standard Webhooks' verifier allows five minutes of skew), real
events made through the product's own services; and, for the transport's own tests, a
keep-alive receiver, a resolver we answer for, and the address rule's two settings."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.utils import timezone
from werkzeug import Request, Response

from integrations.webhooks import transport
from tests.clock import Clock, install_clock
from videos.models import Template
from videos.services import video_create


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return install_clock(monkeypatch, timezone.now().replace(microsecond=0))


@pytest.fixture
def private_hosts(settings):
    """Receivers on loopback over http, as in development."""
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True


class Receiver:
    """Records every request; answers with `status` (a list is used up one per request)."""

    def __init__(self, httpserver) -> None:
        self.server = httpserver
        self.requests: list[Request] = []
        self.status: int | list[int] = 200
        httpserver.expect_request("/hook").respond_with_handler(self._handle)

    @property
    def url(self) -> str:
        return self.server.url_for("/hook")

    def _handle(self, request: Request) -> Response:
        self.requests.append(request)
        status = self.status.pop(0) if isinstance(self.status, list) else self.status
        return Response("ok" if status < 300 else "no", status=status)

    def payloads(self) -> list[dict]:
        return [json.loads(request.get_data()) for request in self.requests]

    def ids(self) -> list[str]:
        return [request.headers["webhook-id"] for request in self.requests]


@pytest.fixture
def receiver(httpserver, private_hosts) -> Receiver:
    return Receiver(httpserver)


def make_videos(workspace, actor, count: int = 1, *, title: str = "Launch") -> list:
    template = Template.objects.filter(is_active=True).order_by("pk").first()
    return [
        video_create(workspace=workspace, template=template, title=f"{title} {n}", actor=actor)
        for n in range(count)
    ]


def record_video_events(workspace, actor, count: int) -> list:
    """`count` videos and their `video.created` events in one transaction, with the properties
    video_create records, without the rest of video_create's work (for big batches)."""
    from django.db import transaction

    from analytics.events import EventName, record
    from videos.models import Video

    template = Template.objects.filter(is_active=True).order_by("pk").first()
    with transaction.atomic():
        videos = Video.objects.bulk_create(
            (
                Video(
                    workspace=workspace,
                    template=template,
                    title=f"Launch {n}",
                    duration_seconds=template.duration,
                    created_by=actor,
                )
                for n in range(count)
            ),
            batch_size=1000,
        )
        for video in videos:
            record(
                EventName.VIDEO_CREATED,
                workspace=workspace,
                actor=actor,
                subject=video,
                properties={
                    "template": template.key,
                    "duration": video.duration_seconds,
                    "title": video.title,
                },
            )
    return videos


# -- the transport's kit ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_kept_alive_sockets() -> Iterator[None]:
    # The shared `httpserver` answers one connection at a time: a socket our pool keeps open
    # would leave the next test's client waiting.
    yield
    transport.close_connections()


@pytest.fixture
def refuse_private(settings) -> None:
    """Production's rule: public addresses only, https:// only."""
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False


@pytest.fixture
def allow_private(settings) -> None:
    """Development's rule: loopback receivers over http:// are fine."""
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True


@pytest.fixture
def dns(monkeypatch) -> dict[str, list[str]]:
    """The stdlib resolver answers names ending in .test from this dict (a DNS server we run):
    a test sets `dns["rebind.test"] = ["127.0.0.1"]`; an absent .test name does not resolve."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        if not isinstance(host, str) or not host.endswith(".test"):
            return real(host, port, family, type, proto, flags)
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        found = []
        for ip in answers[host]:
            kind = socket.AF_INET6 if ":" in ip else socket.AF_INET
            if family not in (socket.AF_UNSPEC, kind):
                continue
            address = (ip, int(port or 0), 0, 0) if ":" in ip else (ip, int(port or 0))
            found.append((kind, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", address))
        return found

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def closed_port() -> int:
    """A loopback port nobody listens on (bound a moment ago, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- a keep-alive receiver ----------------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    client_port: int


@dataclass
class KeepAliveReceiver:
    """A threaded HTTP/1.1 server on 127.0.0.1 that keeps connections alive and answers 200.
    (`httpserver` answers one connection at a time and only keeps it alive once some threaded
    werkzeug server has switched every werkzeug handler to HTTP/1.1.)"""

    port: int = 0
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


@pytest.fixture
def keepalive_receiver() -> Iterator[KeepAliveReceiver]:
    state = KeepAliveReceiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else the body waits ~40 ms for a delayed ACK

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with state.lock:
                state.requests.append(
                    Received(self.path, dict(self.headers), body, self.client_address[1])
                )
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    transport.close_connections()
    server.shutdown()
    server.server_close()
