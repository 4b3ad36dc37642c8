"""The address rule: which URLs an endpoint may have, and where a delivery may connect, even when
a name resolves elsewhere at sending time (DNS rebinding)."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading

import pytest
from django.core.exceptions import ValidationError

from integrations.webhooks.transport import address_allowed, check_url, post

# -- address_allowed ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "169.254.1.1",
        "100.64.0.1",  # carrier-grade NAT
        "100.100.100.200",  # Alibaba's metadata
        "0.0.0.0",  # noqa: S104 (an address under test, nothing binds it)
        "255.255.255.255",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "192.0.2.1",  # documentation
        "::1",
        "::",
        "fc00::1",
        "fd00:ec2::254",  # AWS metadata over IPv6
        "fe80::1",
        "fe80::1%lo",
        "fec0::1",  # site-local, deprecated
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:7f00:1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",  # IPv4-compatible
        "::8.8.8.8",  # IPv4-compatible is deprecated: refused whatever it holds
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b:1::808:808",  # local-use NAT64
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
        "2001:db8::1",  # documentation
        "not an address",
        "",
    ],
)
def test_address_refused(address):
    assert address_allowed(address) is False


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "93.184.215.14",
        "1.1.1.1",
        "2606:4700::1111",
        "2a00:1450:4001:80b::200e",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",  # NAT64 of 8.8.8.8: how an IPv6-only host reaches the internet
        "2002:808:808::1",  # 6to4 of 8.8.8.8
    ],
)
def test_address_allowed(address):
    assert address_allowed(address) is True


# -- check_url ----------------------------------------------------------------------------------

LONG_URL = "https://example.com/" + "a" * (2001 - len("https://example.com/"))


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://127.0.0.1/", "https_required"),
        ("https://127.0.0.1/", "address_not_allowed"),
        ("https://10.0.0.1/", "address_not_allowed"),
        ("https://169.254.169.254/latest/meta-data", "address_not_allowed"),
        ("https://[::1]/", "address_not_allowed"),
        ("https://[::ffff:127.0.0.1]/", "address_not_allowed"),
        ("https://[::ffff:7f00:1]/", "address_not_allowed"),
        ("https://[fd00:ec2::254]/", "address_not_allowed"),
        ("https://[64:ff9b::7f00:1]/", "address_not_allowed"),
        ("https://0.0.0.0/", "address_not_allowed"),
        ("https://100.64.0.1/", "address_not_allowed"),
        ("https://localhost/", "address_not_allowed"),
        ("https://localhost:8443/hooks", "address_not_allowed"),
        ("http://example.com/", "https_required"),
        ("ftp://example.com/", "invalid_url"),
        ("https://user:pw@example.com/", "credentials_in_url"),
        ("https://user@example.com/", "credentials_in_url"),
        ("not a url", "invalid_url"),
        ("", "invalid_url"),
        ("https://a\x00b.com/", "invalid_url"),
        ("https://example.com/a b", "invalid_url"),
        ("https://example.com/\x00", "invalid_url"),
        ("https://example.com:99999/", "invalid_url"),
        (LONG_URL, "invalid_url"),
    ],
)
def test_check_url_refuses(refuse_private, url, code):
    with pytest.raises(ValidationError) as refused:
        check_url(url)
    assert refused.value.code == code
    assert refused.value.messages[0]  # a sentence for the form, not just the code


def test_the_long_url_is_one_character_too_long():
    assert len(LONG_URL) == 2001


@pytest.mark.parametrize(
    "url",
    [
        "https://93.184.215.14/",
        "https://93.184.215.14:8443/hooks?x=1",
        "https://[2606:4700::1111]/",
    ],
)
def test_check_url_accepts_a_public_address(refuse_private, url):
    assert check_url(url) == url


def test_check_url_strips_the_url(refuse_private):
    assert check_url("  https://93.184.215.14/hooks \n") == "https://93.184.215.14/hooks"


def test_check_url_accepts_a_name_that_resolves_to_public_addresses(refuse_private, dns):
    dns["hooks.example.test"] = ["93.184.215.14", "2606:4700::1111"]
    assert check_url("https://hooks.example.test/in") == "https://hooks.example.test/in"


def test_check_url_refuses_a_name_with_any_private_address(refuse_private, dns):
    dns["mixed.test"] = ["93.184.215.14", "10.0.0.7"]
    with pytest.raises(ValidationError) as refused:
        check_url("https://mixed.test/")
    assert refused.value.code == "address_not_allowed"


def test_check_url_refuses_a_name_that_does_not_resolve(refuse_private, dns):
    with pytest.raises(ValidationError) as refused:
        check_url("https://nowhere.test/")
    assert refused.value.code == "unresolvable_host"


def test_check_url_allows_loopback_over_http_when_private_hosts_are_allowed(allow_private):
    url = "http://127.0.0.1:8123/hooks"
    assert check_url(url) == url


def test_check_url_still_refuses_credentials_when_private_hosts_are_allowed(allow_private):
    with pytest.raises(ValidationError) as refused:
        check_url("http://user:pw@127.0.0.1:8123/")
    assert refused.value.code == "credentials_in_url"


def test_check_url_still_refuses_an_unknown_host_when_private_hosts_are_allowed(allow_private, dns):
    with pytest.raises(ValidationError) as refused:
        check_url("http://nowhere.test/")
    assert refused.value.code == "unresolvable_host"


# -- post: the rule holds when connecting -------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "127.1", "2130706433", "0x7f.1"])
def test_post_does_not_reach_a_loopback_receiver(refuse_private, httpserver, host):
    httpserver.expect_request("/hook").respond_with_data("ok")
    outcome = post(f"http://{host}:{httpserver.port}/hook", body=b"{}", headers={})
    assert (outcome.status, outcome.error) == (None, "address_not_allowed")
    assert not outcome.succeeded
    assert httpserver.log == []


def test_post_refuses_ipv6_loopback(refuse_private):
    outcome = post("http://[::1]:9/hook", body=b"{}", headers={})
    assert outcome.error == "address_not_allowed"


def test_a_name_that_rebinds_to_loopback_is_not_reached(refuse_private, dns, httpserver):
    httpserver.expect_request("/hook").respond_with_data("ok")
    dns["rebind.test"] = ["93.184.215.14"]
    url = f"https://rebind.test:{httpserver.port}/hook"
    assert check_url(url) == url  # public when the endpoint was saved
    dns["rebind.test"] = ["127.0.0.1"]  # loopback when the delivery goes out

    outcome = post(url, body=b"{}", headers={})
    assert (outcome.status, outcome.error) == (None, "address_not_allowed")
    assert httpserver.log == []


def test_post_over_http_to_a_rebound_name_is_refused_too(refuse_private, dns, httpserver):
    # post() checks addresses, not the scheme (check_url's rule): plain http shows the same.
    httpserver.expect_request("/hook").respond_with_data("ok")
    dns["rebind.test"] = ["127.0.0.1"]
    outcome = post(f"http://rebind.test:{httpserver.port}/hook", body=b"{}", headers={})
    assert outcome.error == "address_not_allowed"
    assert httpserver.log == []


def test_no_address_of_a_private_set_is_tried(refuse_private, dns, httpserver):
    httpserver.expect_request("/hook").respond_with_data("ok")
    dns["many.test"] = ["10.0.0.1", "169.254.169.254", "::1", "127.0.0.1"]
    outcome = post(f"http://many.test:{httpserver.port}/hook", body=b"{}", headers={})
    assert outcome.error == "address_not_allowed"
    assert httpserver.log == []


def test_a_rebound_name_is_reached_when_private_hosts_are_allowed(allow_private, dns, httpserver):
    # The same path with the rule off: our resolver's answer is used, the Host stays the name.
    httpserver.expect_request("/hook").respond_with_data("ok")
    dns["rebind.test"] = ["127.0.0.1"]
    outcome = post(f"http://rebind.test:{httpserver.port}/hook", body=b"{}", headers={})
    assert outcome.status == 200
    (request, _response) = httpserver.log[0]
    assert request.headers["Host"] == f"rebind.test:{httpserver.port}"


def test_a_socket_kept_alive_while_private_hosts_were_allowed_is_not_reused(
    settings, keepalive_receiver
):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True
    assert post(keepalive_receiver.url(), body=b"{}", headers={}).status == 200

    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False
    outcome = post(keepalive_receiver.url(), body=b"{}", headers={})
    assert outcome.error == "address_not_allowed"
    assert len(keepalive_receiver.requests) == 1


def test_a_dns_failure_is_an_outcome(refuse_private, dns):
    outcome = post("https://nowhere.test/hook", body=b"{}", headers={})
    assert (outcome.status, outcome.error) == (None, "dns")


# -- TLS goes to the vetted address and checks the name -------------------------------------------


def _self_signed(tmp_path, name: str) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


def test_tls_names_the_host_and_checks_its_certificate(allow_private, dns, tmp_path):
    """The socket goes to the address our resolver gave, while SNI carries the name; and an
    untrusted certificate is refused."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*_self_signed(tmp_path, "hooks.test"))
    names: list[str | None] = []
    context.sni_callback = lambda _sock, name, _context: names.append(name)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        connection, _address = listener.accept()
        try:
            with context.wrap_socket(connection, server_side=True):
                pass
        except (ssl.SSLError, OSError):
            pass  # the client refuses our self-signed certificate
        finally:
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    dns["hooks.test"] = ["127.0.0.1"]
    outcome = post(f"https://hooks.test:{port}/hook", body=b"{}", headers={}, timeout=5)
    thread.join(5)
    listener.close()

    assert names == ["hooks.test"]
    assert (outcome.status, outcome.error) == (None, "tls")
