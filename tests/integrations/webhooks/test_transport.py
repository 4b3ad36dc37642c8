"""post(): one POST to a keepalive_receiver on loopback, and every way it can go, as an Outcome."""

from __future__ import annotations

import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from werkzeug import Request, Response

from integrations.webhooks.transport import USER_AGENT, Outcome, post
from tests.integrations.webhooks.transport_kit import closed_port

BODY = b'{"type":"video.created","data":{"id":12,"title":"Spring launch \xf0\x9f\x8c\xb7"}}'
HEADERS = {
    "Content-Type": "application/json",
    "webhook-id": "msg_2b7d1c4e",
    "webhook-timestamp": "1767225600",
    "webhook-signature": "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
    "X-Receiver-Token": "abc 123",
}

pytestmark = pytest.mark.usefixtures("allow_private")


def url_of(httpserver, path: str = "/hook") -> str:
    return f"http://127.0.0.1:{httpserver.port}{path}"


def test_body_and_headers_arrive_exactly(httpserver):
    httpserver.expect_request("/hook", method="POST", data=BODY, headers=HEADERS).respond_with_data(
        "thanks", status=202
    )

    outcome = post(url_of(httpserver), body=BODY, headers=HEADERS)

    assert outcome == Outcome(
        status=202, duration_ms=outcome.duration_ms, response="thanks", error=""
    )
    assert outcome.succeeded
    assert 0 <= outcome.duration_ms < 5000
    (request, _response) = httpserver.log[0]
    assert request.get_data() == BODY
    assert request.headers["Content-Length"] == str(len(BODY))
    assert request.headers["User-Agent"] == USER_AGENT
    assert "Cookie" not in request.headers


def test_a_redirect_is_not_followed(httpserver):
    httpserver.expect_request("/hook").respond_with_data(
        "", status=307, headers={"Location": url_of(httpserver, "/elsewhere")}
    )
    httpserver.expect_request("/elsewhere").respond_with_data("followed")

    outcome = post(url_of(httpserver), body=BODY, headers=HEADERS)

    assert (outcome.status, outcome.error, outcome.succeeded) == (307, "", False)
    assert [request.path for request, _response in httpserver.log] == ["/hook"]


def test_a_large_answer_is_cut_to_an_excerpt(httpserver):
    httpserver.expect_request("/hook").respond_with_data("a" * 1024 * 1024)

    outcome = post(url_of(httpserver), body=BODY, headers=HEADERS)

    assert (outcome.status, outcome.error) == (200, "")
    assert outcome.response == "a" * 2048


def test_an_endless_answer_stops_being_read(httpserver):
    sent = []

    def endless(_request: Request) -> Response:
        def chunks():
            while len(sent) < 10_000:  # 640 MB: far more than the test waits for
                sent.append(1)
                yield b"b" * 65536

        return Response(chunks(), status=200)

    httpserver.expect_request("/hook").respond_with_handler(endless)
    started = time.monotonic()

    outcome = post(url_of(httpserver), body=BODY, headers=HEADERS, timeout=5)

    assert time.monotonic() - started < 2
    assert (outcome.status, outcome.error, outcome.response) == (200, "", "b" * 2048)


def test_the_answer_is_decoded_leniently_without_nuls(httpserver):
    httpserver.expect_request("/hook").respond_with_data(b"\xff\xfeok\x00 done \xe2\x9c\x93")

    outcome = post(url_of(httpserver), body=BODY, headers=HEADERS)

    assert outcome.response == "\ufffd\ufffdok done ✓"


def test_a_server_error_is_an_outcome(httpserver):
    httpserver.expect_request("/hook").respond_with_data("boom", status=500)

    outcome = post(url_of(httpserver), body=BODY, headers=HEADERS)

    assert (outcome.status, outcome.response, outcome.error, outcome.succeeded) == (
        500,
        "boom",
        "",
        False,
    )


@pytest.fixture
def released():
    """Set at the end of the test, so a handler kept waiting lets the server go on."""
    event = threading.Event()
    yield event
    event.set()


def test_a_slow_receiver_times_out(httpserver, released):
    def slow(_request: Request) -> Response:
        released.wait(5)
        return Response("late")

    httpserver.expect_request("/hook").respond_with_handler(slow)
    started = time.monotonic()

    outcome = post(url_of(httpserver), body=BODY, headers=HEADERS, timeout=0.5)

    assert time.monotonic() - started < 1.5
    assert (outcome.status, outcome.error, outcome.succeeded) == (None, "timeout", False)
    assert 450 <= outcome.duration_ms < 1500


def test_the_timeout_comes_from_settings_when_not_given(settings, httpserver, released):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.5

    def slow(_request: Request) -> Response:
        released.wait(5)
        return Response("late")

    httpserver.expect_request("/hook").respond_with_handler(slow)
    started = time.monotonic()

    outcome = post(url_of(httpserver), body=BODY, headers=HEADERS)

    assert time.monotonic() - started < 1.5
    assert outcome.error == "timeout"


def test_an_answer_that_drips_is_cut_at_the_deadline(httpserver, released):
    def drip(_request: Request) -> Response:
        def chunks():
            for _ in range(100):  # 10 s, each byte well within the read timeout
                if released.is_set():
                    return
                yield b"."
                time.sleep(0.1)

        return Response(chunks(), status=200)

    httpserver.expect_request("/hook").respond_with_handler(drip)
    started = time.monotonic()

    outcome = post(url_of(httpserver), body=BODY, headers=HEADERS, timeout=0.5)

    assert time.monotonic() - started < 1.5
    # The receiver answered in time; only the excerpt is short (on a loaded machine maybe
    # empty: the first drop may come after the deadline).
    assert (outcome.status, outcome.error) == (200, "")
    assert len(outcome.response) < 20


@pytest.fixture
def header_drip():
    """A raw server that answers a status line, then drips a header one byte every 0.1 s."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        connection, _address = listener.accept()
        with connection:
            connection.recv(65536)
            try:
                connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                for _ in range(100):  # 10 s, each byte well within the read timeout
                    if stop.wait(0.1):
                        break
                    connection.sendall(b"z")
            except OSError:
                pass  # the client hung up, as it should

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    stop.set()
    thread.join(5)
    listener.close()


def test_headers_that_drip_are_cut_at_the_deadline(header_drip):
    started = time.monotonic()

    outcome = post(header_drip, body=BODY, headers=HEADERS, timeout=0.5)

    assert time.monotonic() - started < 1.5
    assert (outcome.status, outcome.error) == (None, "timeout")


def test_a_closed_port_is_a_connection_error():
    outcome = post(f"http://127.0.0.1:{closed_port()}/hook", body=BODY, headers=HEADERS)
    assert (outcome.status, outcome.response, outcome.error) == (None, "", "connection")


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("http://127.0.0.1:9/hook", {"X-Bad": "line\r\nInjected: yes"}),
        ("http://127.0.0.1:9/hook", {"X-Bad": "naïve ☃"}),
        ("http:///hook", HEADERS),
        ("hook", HEADERS),
    ],
)
def test_bad_input_is_an_outcome_not_an_exception(url, headers):
    outcome = post(url, body=BODY, headers=headers)
    assert outcome.status is None
    assert outcome.error


def test_a_cookie_is_not_kept(httpserver):
    httpserver.expect_request("/first").respond_with_data(
        "ok", headers={"Set-Cookie": "session=abc; Path=/"}
    )
    httpserver.expect_request("/second").respond_with_data("ok")

    post(url_of(httpserver, "/first"), body=BODY, headers=HEADERS)
    post(url_of(httpserver, "/second"), body=BODY, headers=HEADERS)

    (second, _response) = httpserver.log[1]
    assert "Cookie" not in second.headers


def test_a_proxy_in_the_environment_is_not_used(httpserver, monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{closed_port()}")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    httpserver.expect_request("/hook").respond_with_data("direct")

    outcome = post(url_of(httpserver), body=BODY, headers=HEADERS)

    assert (outcome.status, outcome.response) == (200, "direct")


def test_a_connection_is_kept_alive(keepalive_receiver):
    for _ in range(3):
        assert post(keepalive_receiver.url(), body=BODY, headers=HEADERS).status == 200
    assert len({request.client_port for request in keepalive_receiver.requests}) == 1


def test_many_threads_send_at_once(settings, keepalive_receiver):
    threads = settings.WEBHOOKS_SEND_CONCURRENCY
    paths = [f"/hook/{n}" for n in range(threads * 8)]

    with ThreadPoolExecutor(threads) as pool:
        outcomes = list(
            pool.map(
                lambda path: post(keepalive_receiver.url(path), body=BODY, headers=HEADERS), paths
            )
        )

    assert [outcome.status for outcome in outcomes] == [200] * len(paths)
    assert sorted(request.path for request in keepalive_receiver.requests) == sorted(paths)
    assert {request.body for request in keepalive_receiver.requests} == {BODY}
    # Kept alive: no more connections than threads.
    assert len({request.client_port for request in keepalive_receiver.requests}) <= threads


@pytest.fixture
def handshake_drip():
    """A raw server that starts a TLS record and drips it, one byte every 0.1 s."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        connection, _address = listener.accept()
        with connection:
            connection.recv(65536)  # the ClientHello
            try:
                connection.sendall(b"\x16\x03\x03\x40\x00")  # a 16 KB handshake record…
                for _ in range(100):  # …that takes 10 s to come
                    if stop.wait(0.1):
                        break
                    connection.sendall(b"\x02")
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{listener.getsockname()[1]}/hook"
    stop.set()
    thread.join(5)
    listener.close()


def test_a_tls_handshake_that_drips_ends_at_the_deadline(handshake_drip):
    # CPython bounds a whole handshake by the socket's timeout; the watchdog stands behind it.
    started = time.monotonic()

    outcome = post(handshake_drip, body=BODY, headers=HEADERS, timeout=0.5)

    assert time.monotonic() - started < 1.5
    assert (outcome.status, outcome.error) == (None, "timeout")


def test_no_socket_is_left_open(httpserver):
    httpserver.expect_request("/hook").respond_with_data("ok")
    post(url_of(httpserver), body=BODY, headers=HEADERS)  # the session and its pool exist
    before = len(os.listdir("/proc/self/fd"))

    for _ in range(30):
        assert post(url_of(httpserver), body=BODY, headers=HEADERS).status == 200

    assert len(os.listdir("/proc/self/fd")) < before + 5  # not one per post
