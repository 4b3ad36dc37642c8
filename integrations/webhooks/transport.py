"""The one way we talk HTTP to webhook receivers, and the guard that keeps them on the internet.

A workspace chooses the URL, so each request is one an outsider aims from inside our network
(SSRF). `check_url` refuses a bad URL when an endpoint is saved; the connection refuses again when
a delivery is sent, as the name may resolve elsewhere by then (DNS rebinding): unless
settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS, a socket only connects to an address `address_allowed`
accepts. `post` enforces that address rule only; https:// is `check_url`'s rule.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import math
import os
import socket
import threading
import time
import unicodedata
from dataclasses import dataclass
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util.connection import allowed_gai_family

from .models import RESPONSE_EXCERPT_CHARS

USER_AGENT = "VideoCreator-Webhooks/1.0"
MAX_URL_LENGTH = 2000
MAX_RESPONSE_BYTES = 65536

# Link-local or private already; named so that no change in the stdlib's tables lets them through.
_METADATA = {
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SITE_LOCAL = ipaddress.ip_network("fec0::/10")  # deprecated, yet the stdlib calls it global

# -- validating a URL ----------------------------------------------------------------------------


def check_url(url: str) -> str:
    """The endpoint URL, stripped, if we may send to it; else a ValidationError with a code."""
    url = (url or "").strip()
    if len(url) > MAX_URL_LENGTH:
        message = _("The URL is too long: it may have at most %(limit)d characters.")
        raise _refusal("invalid_url", message, limit=MAX_URL_LENGTH)
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url):
        message = _("The URL must not contain spaces or control characters.")
        raise _refusal("invalid_url", message)
    try:
        URLValidator(schemes=["http", "https"])(url)
        parts = urlsplit(url)
        port = parts.port
    except (ValidationError, ValueError):
        raise _refusal("invalid_url", _("Enter a valid URL starting with https://.")) from None
    if "@" in parts.netloc:
        message = _("Remove the user name and password from the URL; send them in a header.")
        raise _refusal("credentials_in_url", message)
    private_allowed = settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS
    if parts.scheme != "https" and not private_allowed:
        raise _refusal("https_required", _("The URL must start with https://."))
    host = parts.hostname or ""
    try:
        found = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        found = []
    if not found:
        message = _("The host %(host)s could not be found.")
        raise _refusal("unresolvable_host", message, host=host)
    if not private_allowed and not all(address_allowed(info[4][0]) for info in found):
        message = _("The host %(host)s is not a public internet address.")
        raise _refusal("address_not_allowed", message, host=host)
    return url


def _refusal(code: str, message: Any, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def address_allowed(address: str) -> bool:
    """Whether we may connect to this IP address: a public, unicast one."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        # Transition forms reach the IPv4 address inside them; judge that one, whatever the
        # stdlib thinks of the wrapper (it calls 6to4 global and NAT64 reserved).
        embedded = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if inside := [v4 for v4 in embedded if v4 is not None]:
            return all(_public(v4) for v4 in inside)
    # IPv4-compatible ::a.b.c.d is left to _public: it lies in ::/8, reserved, so always refused.
    return _public(ip)


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # is_global alone lets multicast through, and its tables have changed between releases.
    special = ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
    odd = ip.is_reserved or ip.is_unspecified or ip in _METADATA or ip in _SITE_LOCAL
    return ip.is_global and not (special or odd)


# -- sending -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: int | None  # None when no answer came
    duration_ms: int
    response: str  # the start of the body, for the attempt log
    error: str  # "" when an answer came; else a short code ("timeout", "connection", …)

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(
    url: str, *, body: bytes, headers: dict[str, str], timeout: float | None = None
) -> Outcome:
    """POST once, following no redirect; network trouble is an Outcome, never an exception."""
    if timeout is None:
        timeout = settings.WEBHOOKS_TIMEOUT_SECONDS
    started = time.monotonic()
    call = _Call(started + timeout)
    limits = (timeout, timeout)  # connect, each read; the watchdog bounds the whole call
    _local.call = call
    _watchdog.watch(call)
    response, status, excerpt, error = None, None, "", ""
    try:
        response = _session().post(
            url, data=body, headers=headers, timeout=limits, allow_redirects=False, stream=True
        )
        if call.expired:  # cut mid-headers: http.client may take the stub for a whole answer
            error = "timeout"
        else:
            status, excerpt = response.status_code, _excerpt(response)
    except (requests.RequestException, ValueError) as failure:
        error = _error_code(failure, call)
    finally:
        # Before close(): a finished call's connection may already serve another thread.
        _watchdog.forget(call)
        _local.call = None
        if response is not None:
            response.close()
    return Outcome(status, round((time.monotonic() - started) * 1000), excerpt, error)


def close_connections() -> None:
    """Close the kept-alive sockets: for a worker that shuts down, or a test that cleans up."""
    _session().close()


def _excerpt(response: requests.Response) -> str:
    """The start of the body. Once the status is in, the answer counts: a body that breaks
    off, drips past the deadline or runs past the cap only shortens the excerpt."""
    data = b""
    with contextlib.suppress(urllib3.exceptions.HTTPError, OSError):
        while len(data) < MAX_RESPONSE_BYTES:
            size = min(16384, MAX_RESPONSE_BYTES - len(data))
            if not (chunk := response.raw.read(size, decode_content=False)):
                break
            data += chunk
    # Four bytes at most per character: decode no more than the excerpt can show.
    head = data[: RESPONSE_EXCERPT_CHARS * 4]
    return head.decode("utf-8", errors="replace").replace("\x00", "")[:RESPONSE_EXCERPT_CHARS]


def _error_code(error: BaseException, call: _Call) -> str:
    if _caused_by(error, AddressNotAllowed):
        return "address_not_allowed"
    if call.expired or isinstance(error, requests.Timeout):
        return "timeout"
    if isinstance(error, requests.exceptions.SSLError):
        return "tls"
    if _caused_by(error, NameResolutionError):
        return "dns"
    if isinstance(error, requests.exceptions.InvalidURL | requests.exceptions.URLRequired):
        return "invalid_url"
    if isinstance(error, requests.ConnectionError):
        return "connection"
    return "invalid_request"  # a header requests refuses or http.client cannot encode, …


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    # requests' ConnectionError holds urllib3's MaxRetryError, whose reason the connection raised.
    current: Any = error
    for _depth in range(4):  # no cycles, whatever a library puts in args
        if isinstance(current, kind):
            return True
        if isinstance(current, BaseException):
            current = getattr(current, "reason", None) or (current.args or [None])[0]
    return False


# -- connections that only reach allowed addresses -----------------------------------------------


class AddressNotAllowed(NewConnectionError):
    """The host resolved to no address we may connect to."""


@dataclass(eq=False)
class _Call:  # one post() in flight
    deadline: float
    conn: _Vetting | None = None
    sock: socket.socket | None = None  # what the watchdog cuts
    dup: bool = False  # whether `sock` is our duplicate, to close when the call ends
    expired: bool = False


_local = threading.local()


class _Vetting:
    """Resolves the host itself and connects only to an allowed address, while TLS (SNI, the
    certificate) still checks the name: urllib3 takes server_hostname from `host`, unchanged."""

    sock: socket.socket | None
    call: _Call | None = None
    vetted = False  # whether the socket was made under the address guard

    def _new_conn(self) -> socket.socket:  # type: ignore[override]
        guarded = not settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS
        try:
            found = socket.getaddrinfo(
                self.host, self.port, allowed_gai_family(), socket.SOCK_STREAM
            )
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error
        if guarded:
            found = [info for info in found if address_allowed(info[4][0])]
            if not found:
                raise AddressNotAllowed(self, f"{self.host} resolves to no public address")
        self.vetted = guarded
        last_error: OSError | None = None
        for family, kind, proto, _name, address in found:
            sock = socket.socket(family, kind, proto)
            try:
                for option in self.socket_options or ():
                    sock.setsockopt(*option)
                sock.settimeout(_connect_timeout(self))
                if self.source_address:
                    sock.bind(self.source_address)
                sock.connect(address)
                _watchdog.attach(self, sock)
                return sock
            except OSError as error:
                sock.close()
                last_error = error
        if isinstance(last_error, TimeoutError):
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out.")
        raise NewConnectionError(self, f"Failed to establish a new connection: {last_error}")

    def connect(self) -> None:
        _watchdog.attach(self)
        super().connect()  # type: ignore[misc]

    def request(self, *args: Any, **kwargs: Any) -> None:
        if not self.vetted and not settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS:
            # Kept alive from while private hosts were allowed: http.client reopens it, vetted.
            self.close()  # type: ignore[attr-defined]
        _watchdog.attach(self)
        super().request(*args, **kwargs)  # type: ignore[misc]


class _HTTPConnection(_Vetting, HTTPConnection):
    pass


class _HTTPSConnection(_Vetting, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class _Adapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


def _connect_timeout(conn: HTTPConnection) -> float | None:
    limit = conn.timeout if isinstance(conn.timeout, int | float) else math.inf
    call = getattr(_local, "call", None)
    # Each address tried gets what is left of the call's deadline, not a fresh timeout.
    left = call.deadline - time.monotonic() if call else math.inf
    return None if min(limit, left) == math.inf else max(min(limit, left), 0.001)


class _Watchdog:
    """Cuts the socket of a call that outlives its deadline. Read timeouts bound each read, so
    a receiver dripping one byte at a time would hold a sending thread for ever without it."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._calls: set[_Call] = set()
        self._wake_at = math.inf
        self._thread: threading.Thread | None = None

    def watch(self, call: _Call) -> None:
        with self._lock:
            self._calls.add(call)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="webhooks", daemon=True)
                self._thread.start()
            # Calls share one timeout, so most end after the next wake-up: no need to wake it.
            if call.deadline < self._wake_at:
                self._lock.notify()

    def forget(self, call: _Call) -> None:
        with self._lock:
            self._calls.discard(call)
            if call.dup and call.sock is not None:
                call.sock.close()

    def attach(self, conn: _Vetting, new_sock: socket.socket | None = None) -> None:
        call = getattr(_local, "call", None)
        if call is None:
            return
        with self._lock:
            call.conn, conn.call = conn, call
            if new_sock is not None:
                # A duplicate keeps working when TLS detaches the socket or a closing answer
                # makes http.client drop it, and shutting it down cuts the same connection.
                call.sock, call.dup = new_sock.dup(), True
            elif call.sock is None:
                call.sock = conn.sock

    def _run(self) -> None:
        with self._lock:
            while True:
                now = time.monotonic()
                for call in [c for c in self._calls if c.deadline <= now]:
                    self._calls.discard(call)
                    call.expired = True
                    _cut(call)
                self._wake_at = min((c.deadline for c in self._calls), default=math.inf)
                self._lock.wait(None if self._wake_at == math.inf else self._wake_at - now)


def _cut(call: _Call) -> None:
    # Another call may hold the connection by now (keep-alive): never cut that one's socket.
    if call.sock is None or call.conn is None or call.conn.call is not call:
        return
    # socket.socket's own shutdown: an SSLSocket's would drop its TLS state under the reading
    # thread's feet. The blocked read then sees the end of the stream.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(call.sock, socket.SHUT_RDWR)


@functools.cache
def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy, .netrc or CA bundle from the environment
    # One jar serves every receiver: keep none of their cookies.
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    # Identity: the excerpt shows the body as sent, and no compressed body can inflate.
    session.headers.update({"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    pool_size = max(settings.WEBHOOKS_SEND_CONCURRENCY, 10)
    # Many receivers: keep a pool for each of many hosts, and a keep-alive socket per thread.
    adapter = _Adapter(pool_connections=max(pool_size, 100), pool_maxsize=pool_size)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


_watchdog = _Watchdog()


def _after_fork_in_child() -> None:
    # A forked worker lacks its parent's watchdog thread and must not share its pooled sockets.
    global _watchdog
    _watchdog = _Watchdog()
    _session.cache_clear()


os.register_at_fork(after_in_child=_after_fork_in_child)
