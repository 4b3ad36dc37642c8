"""Every response carries the Content-Security-Policy: our own origin only for scripts, styles,
images, media, fonts and connections; no framing, no plugins; forms post to us. Every page route
of route_table is opened as the owner; public pages, the API, errors and redirects too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.videocreator.conftest import cast_clients, is_api, route_kwargs
from tests.videocreator.route_table import (
    OBJECT_ROUTES,
    STAFF_KWARGS,
    STAFF_ROUTES,
    USER_LEVEL_KWARGS,
    USER_ROUTES,
)
from videocreator.charts import PLOTLY_CSP
from videocreator.content_security import content_security_policy, storage_origins

pytestmark = pytest.mark.usefixtures("fast_passwords")

PAGE_ROUTES = [route for route in [*USER_ROUTES, *OBJECT_ROUTES] if not is_api(route)]
SELF_ONLY = ("script-src", "style-src", "font-src", "connect-src", "default-src", "base-uri")
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Pages that draw plotly charts: their policy adds PLOTLY_CSP and nothing else.
CHART_PAGES = {"creators:dashboard", "videos:performance", "referrals:staff"}


def directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.status_code} {getattr(response, 'url', '')}: no CSP header"
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_policy(response, where: str, *, charts: bool = False) -> None:
    """`charts`: a page that draws plotly charts, which may add exactly PLOTLY_CSP."""
    policy = directives(response)
    for name in SELF_ONLY:
        allowed = ["'self'", *PLOTLY_CSP.get(name, [])] if charts else ["'self'"]
        assert policy[name] == allowed, f"{where}: {name} {policy.get(name)}"
    for name in ("img-src", "media-src"):
        assert policy[name][0] == "'self'", where
        assert "'unsafe-inline'" not in policy[name], where
    assert policy["frame-ancestors"] == ["'none'"], where
    assert policy["object-src"] == ["'none'"], where
    assert policy["form-action"][0] == "'self'", where


@pytest.mark.django_db
def test_every_page_route_sends_the_policy(cast, world):
    owner = cast_clients(cast, world.workspace, api=False)["owner"]
    for route in PAGE_ROUTES:
        kwargs = USER_LEVEL_KWARGS.get(route.name) or route_kwargs(route, world)
        url = reverse(route.name, kwargs=kwargs)
        response = owner.get(url)
        assert response.status_code < 500, url
        assert_policy(response, url, charts=route.name in CHART_PAGES)


@pytest.mark.django_db
def test_staff_chart_pages_send_the_policy():
    """Staff pages are 404 to the cast above: opened here as a member of staff."""
    from tests.factories import UserFactory

    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    checked = []
    for route in STAFF_ROUTES:
        if route.name in CHART_PAGES:
            url = reverse(route.name, kwargs=STAFF_KWARGS.get(route.name))
            response = staff.get(url)
            assert response.status_code == 200, url
            assert_policy(response, url, charts=True)
            checked.append(route.name)
    assert "referrals:staff" in checked


@pytest.mark.django_db
def test_public_pages_api_errors_and_the_admin_send_it(owner, settings):
    from accounts.models import User

    staff = User.objects.create_superuser(email="root@example.com", password="root-pass-123")
    anonymous = Client()
    for url in [
        reverse("home"),
        reverse("billing:pricing"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("api-docs"),
        reverse("api-schema"),
        reverse("healthz"),
        reverse("admin:login"),
        reverse("dashboard"),  # a redirect to sign in
        "/no-such-page/",
        reverse("api:me"),  # API refusal
    ]:
        assert_policy(anonymous.get(url), url)
    admin = Client()
    admin.force_login(staff)
    for url in ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{owner.pk}/change/"]:
        response = admin.get(url)
        assert response.status_code == 200, url
        assert_policy(response, url)


def test_s3_origins_are_allowed_for_media_only_when_configured():
    assert storage_origins("", None, None) == []
    origins = storage_origins("media", "http://127.0.0.1:9000", None)
    assert origins == ["http://127.0.0.1:9000", "http://media.127.0.0.1:9000"]
    assert "https://media.s3.eu-west-1.amazonaws.com" in storage_origins("media", None, "eu-west-1")
    policy = content_security_policy(storage=origins, form_targets=["https://checkout.stripe.com"])
    assert policy["DIRECTIVES"]["media-src"] == ["'self'", *origins]
    assert policy["DIRECTIVES"]["img-src"] == ["'self'", *origins]
    assert policy["DIRECTIVES"]["script-src"] == ["'self'"]
    assert "https://checkout.stripe.com" in policy["DIRECTIVES"]["form-action"]


def test_templates_have_no_inline_code():
    """Inline scripts, event handlers and style attributes would be refused by the browser."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=|<style\b", re.I)
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        if "emails" not in path.parts
        for match in inline.finditer(path.read_text())
        if "application/json" not in match.group(0)
    ]
    assert found == []
