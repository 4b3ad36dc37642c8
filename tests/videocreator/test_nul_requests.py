"""A NUL in a URL path, a header or a cookie: a 4xx or a page that works, never a 500. On
PostgreSQL a NUL that reaches a query is an error (the session cookie did, before
videocreator.nul.NulMiddleware); CI runs these on PostgreSQL."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.conftest import client_for
from tests.videocreator.route_table import all_routes
from tests.videos.conftest import api_for
from videocreator.nul import NulMiddleware

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Null characters are not allowed."


# -- paths --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/videos/%00/", "/videos/1%00/", "/templates/a%00b/", "/team/1%00/rename/", "/%00"]
)
def test_a_page_path_with_nul_is_not_found(owner, workspace, path):
    assert client_for(owner).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/videos/1%00/", "/api/v1/templates/a%00b/"])
def test_an_api_path_with_nul_is_not_found(owner, workspace, path):
    assert api_for(owner).get(path).status_code == 404


def test_a_text_route_with_nul_is_a_400_page(owner):
    response = client_for(owner).get("/team/invitations/a%00b/")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def _paths_with_nul() -> list[str]:
    """Every route of ours and Django's admin, with a NUL in each of its path arguments."""
    paths = []
    for route in all_routes():
        if "(?P" in route.route or route.route.startswith("^"):
            continue  # allauth's regular expressions: tried below
        for filler in ("a%00b", "1%00"):
            paths.append("/" + re.sub(r"<[^>]+>", filler, route.route))
    return [
        *dict.fromkeys(paths),
        "/accounts/confirm-email/abc%00def/",
        "/accounts/password/reset/key/1-abc%00def/",
    ]


def test_no_route_answers_a_nul_in_its_path_with_a_server_error(owner, workspace):
    owner.is_staff = owner.is_superuser = True  # the admin's routes too
    owner.save()
    errors = []
    for client in (Client(raise_request_exception=False), client_for(owner)):
        client.raise_request_exception = False
        for path in _paths_with_nul():
            for method in (client.get, client.post):
                status = method(path).status_code
                if status >= 500:
                    errors.append((method.__name__, path, status))
    assert errors == []


# -- headers ------------------------------------------------------------------------------------

HEADERS = [
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_REFERER",
    "HTTP_USER_AGENT",
    "HTTP_ORIGIN",
    "HTTP_HOST",
    "HTTP_AUTHORIZATION",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_HX_REQUEST",
    "HTTP_HX_CURRENT_URL",
    "HTTP_HX_TARGET",
    "HTTP_HX_TRIGGER",
    "HTTP_RANGE",
    "CONTENT_TYPE",
]


@pytest.mark.parametrize("header", HEADERS)
def test_a_header_with_nul_is_no_server_error(owner, workspace, header):
    client = client_for(owner)
    client.raise_request_exception = False
    for path in ("/", "/videos/", "/accounts/login/", "/api/v1/videos/"):
        for method in (client.get, client.post):
            assert method(path, **{header: "fr\x00x"}).status_code < 500, (path, method)


def test_a_nul_in_a_header_becomes_a_space_before_any_middleware_reads_it():
    seen = {}

    def view(request):
        seen.update(request.headers)
        return HttpResponse()

    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="fr\x00", HTTP_HX_TARGET="a\x00b")
    NulMiddleware(view)(request)
    assert seen["Accept-Language"] == "fr " and seen["Hx-Target"] == "a b"


# -- cookies ------------------------------------------------------------------------------------
# A cookie value in double quotes may spell a NUL as \000 (Python's cookie unquoting, which
# Django uses): no raw NUL byte is needed on the wire. The test client sends them that way.


@pytest.mark.parametrize("path", ["/", "/videos/", "/accounts/login/", "/api/v1/videos/"])
def test_a_session_cookie_with_nul_is_treated_as_no_session(path):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    for method in (client.get, client.post):
        assert method(path).status_code in (200, 302, 401, 403)


def test_a_signed_in_page_with_a_nul_session_cookie_asks_to_sign_in(owner):
    client = client_for(owner)
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = client.get(reverse("videos:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("cookie", ["csrftoken", "django_language", "messages", "other"])
def test_other_cookies_with_nul_are_no_server_error(owner, workspace, cookie):
    client = client_for(owner)
    client.raise_request_exception = False
    client.cookies[cookie] = "fr\x00abcdefgh"
    for path in ("/", "/videos/", "/api/v1/videos/"):
        for method in (client.get, client.post):
            assert method(path).status_code < 500


def test_a_cookie_with_nul_is_dropped_before_any_middleware_reads_it():
    seen = {}

    def view(request):
        seen.update(request.COOKIES)
        return HttpResponse()

    request = RequestFactory().get("/", HTTP_COOKIE='sessionid="abcdefgh\\000i"; theme=dark')
    NulMiddleware(view)(request)
    assert seen == {"theme": "dark"}
