"""Connecting social accounts with OAuth 2 against local servers that speak each platform's
protocol (pytest-httpserver): state and PKCE, code exchange, identities, encrypted tokens,
refusals and unconfigured platforms."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from werkzeug import Response

from analytics.models import Event
from integrations import crypto, services
from integrations.models import ConnectedAccount
from tests.integrations.conftest import form_of, raw_tokens


class Session(dict):
    """What the services need of request.session."""


def _start(workspace, owner, platform: str) -> tuple[Session, dict]:
    session = Session()
    url = services.connect_start(
        session=session, workspace=workspace, platform_key=platform, actor=owner
    )
    return session, {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.mark.django_db
def test_youtube_authorization_code_with_pkce(platforms, workspace, owner):
    session, params = _start(workspace, owner, "youtube")
    assert params["client_id"] == "yt-id" and params["response_type"] == "code"
    assert params["access_type"] == "offline" and "youtube.upload" in params["scope"]
    assert params["redirect_uri"].endswith("/integrations/youtube/callback/")
    verifier = session[services.SESSION_KEY][params["state"]]["verifier"]
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert params["code_challenge"] == expected.decode()
    assert params["code_challenge_method"] == "S256"

    exchanged = []

    def token(request):
        exchanged.append(form_of(request))
        return Response(
            json.dumps(
                {
                    "access_token": "ya29.A",
                    "refresh_token": "1//R",
                    "expires_in": 3599,
                    "scope": params["scope"],
                }
            ),
            content_type="application/json",
        )

    platforms.expect_request("/token", method="POST").respond_with_handler(token)
    platforms.expect_request(
        "/youtube/v3/channels",
        query_string={"part": "snippet", "mine": "true"},
        headers={"Authorization": "Bearer ya29.A"},
    ).respond_with_json(
        {"items": [{"id": "UC123", "snippet": {"title": "Acme TV", "customUrl": "@acmetv"}}]}
    )
    [account] = services.connect_complete(
        session=session, platform_key="youtube", state=params["state"], code="4/abc", actor=owner
    )
    assert exchanged == [
        {
            "grant_type": "authorization_code",
            "code": "4/abc",
            "redirect_uri": params["redirect_uri"],
            "client_id": "yt-id",
            "client_secret": "yt-secret",
            "code_verifier": verifier,
        }
    ]
    account.refresh_from_db()
    assert (account.platform, account.external_id, account.name, account.handle) == (
        "youtube",
        "UC123",
        "Acme TV",
        "@acmetv",
    )
    assert account.access_token == "ya29.A" and account.refresh_token == "1//R"
    assert account.expires_at > timezone.now() + dt.timedelta(minutes=59)
    raw_access, raw_refresh = raw_tokens(account)
    assert "ya29" not in raw_access and "1//R" not in raw_refresh
    assert crypto.decrypt(raw_access) == "ya29.A"
    assert Event.objects.filter(name="integration.connected", workspace=workspace).count() == 1


@pytest.mark.django_db
def test_the_state_is_single_use_and_checked(platforms, workspace, owner):
    session, params = _start(workspace, owner, "x")
    platforms.expect_request("/2/oauth2/token", method="POST").respond_with_json(
        {"access_token": "x-a", "refresh_token": "x-r", "expires_in": 7200}
    )
    platforms.expect_request("/2/users/me").respond_with_json(
        {"data": {"id": "42", "name": "Acme", "username": "acme"}}
    )
    with pytest.raises(ValidationError):  # another platform's callback
        services.connect_complete(
            session=session, platform_key="youtube", state=params["state"], code="c", actor=owner
        )
    session, params = _start(workspace, owner, "x")
    with pytest.raises(ValidationError):  # a made-up state
        services.connect_complete(
            session=session, platform_key="x", state="forged", code="c", actor=owner
        )
    services.connect_complete(
        session=session, platform_key="x", state=params["state"], code="c", actor=owner
    )
    with pytest.raises(ValidationError):  # replayed
        services.connect_complete(
            session=session, platform_key="x", state=params["state"], code="c", actor=owner
        )
    session, params = _start(workspace, owner, "x")
    session[services.SESSION_KEY][params["state"]]["created"] = time.time() - 601
    with pytest.raises(ValidationError):  # expired
        services.connect_complete(
            session=session, platform_key="x", state=params["state"], code="c", actor=owner
        )
    assert ConnectedAccount.objects.count() == 1


@pytest.mark.django_db
def test_x_uses_basic_auth_and_pkce(platforms, workspace, owner):
    session, params = _start(workspace, owner, "x")
    assert params["code_challenge_method"] == "S256" and "offline.access" in params["scope"]
    verifier = session[services.SESSION_KEY][params["state"]]["verifier"]
    seen = []

    def token(request):
        seen.append((request.headers.get("Authorization"), form_of(request)))
        tokens = {"access_token": "x-a", "refresh_token": "x-r", "expires_in": 7200}
        return Response(json.dumps(tokens), content_type="application/json")

    platforms.expect_request("/2/oauth2/token", method="POST").respond_with_handler(token)
    platforms.expect_request("/2/users/me").respond_with_json(
        {"data": {"id": "42", "name": "Acme", "username": "acme"}}
    )
    [account] = services.connect_complete(
        session=session, platform_key="x", state=params["state"], code="c", actor=owner
    )
    header, form = seen[0]
    assert header == "Basic " + base64.b64encode(b"x-id:x-secret").decode()
    assert form["code_verifier"] == verifier and len(verifier) >= 43
    assert form["grant_type"] == "authorization_code" and form["code"] == "c"
    assert account.handle == "@acme"


@pytest.mark.django_db
def test_tiktok_uses_client_key(platforms, workspace, owner):
    session, params = _start(workspace, owner, "tiktok")
    assert params["client_key"] == "tt-key" and "video.publish" in params["scope"]
    platforms.expect_request("/v2/oauth/token/", method="POST").respond_with_json(
        {
            "access_token": "act.1",
            "refresh_token": "rft.1",
            "expires_in": 86400,
            "open_id": "open-1",
            "scope": "user.info.basic,video.publish",
        }
    )
    platforms.expect_request("/v2/user/info/").respond_with_json(
        {
            "data": {"user": {"open_id": "open-1", "display_name": "Acme", "username": "acme"}},
            "error": {"code": "ok", "message": ""},
        }
    )
    [account] = services.connect_complete(
        session=session, platform_key="tiktok", state=params["state"], code="c", actor=owner
    )
    assert (account.external_id, account.refresh_token) == ("open-1", "rft.1")


@pytest.mark.django_db
def test_facebook_pages_and_instagram_accounts_come_with_page_tokens(platforms, workspace, owner):
    platforms.expect_request(
        "/v21.0/oauth/access_token",
        query_string={
            "client_id": "fb-id",
            "client_secret": "fb-secret",
            "redirect_uri": "http://testserver/integrations/facebook/callback/",
            "code": "c",
        },
    ).respond_with_json({"access_token": "short", "expires_in": 3600})
    platforms.expect_request(
        "/v21.0/oauth/access_token",
        query_string={
            "grant_type": "fb_exchange_token",
            "client_id": "fb-id",
            "client_secret": "fb-secret",
            "fb_exchange_token": "short",
        },
    ).respond_with_json({"access_token": "long-user", "expires_in": 5_184_000})
    pages = {
        "data": [
            {
                "id": "p1",
                "name": "Acme Page",
                "access_token": "page-1",
                "instagram_business_account": {"id": "ig1", "username": "acme.ig"},
            },
            {"id": "p2", "name": "Side Page", "access_token": "page-2"},
        ]
    }
    platforms.expect_request("/v21.0/me/accounts").respond_with_json(pages)
    session, params = _start(workspace, owner, "facebook")
    assert "code_challenge" not in params and "pages_manage_posts" in params["scope"]
    found = services.connect_complete(
        session=session, platform_key="facebook", state=params["state"], code="c", actor=owner
    )
    assert {(a.external_id, a.access_token) for a in found} == {("p1", "page-1"), ("p2", "page-2")}
    assert all(a.expires_at is None for a in found)  # Page tokens don't expire

    session, params = _start(workspace, owner, "instagram")
    assert "instagram_content_publish" in params["scope"]
    platforms.expect_request(
        "/v21.0/oauth/access_token",
        query_string={
            "client_id": "fb-id",
            "client_secret": "fb-secret",
            "redirect_uri": "http://testserver/integrations/instagram/callback/",
            "code": "c",
        },
    ).respond_with_json({"access_token": "short", "expires_in": 3600})
    [instagram] = services.connect_complete(
        session=session, platform_key="instagram", state=params["state"], code="c", actor=owner
    )
    assert (instagram.external_id, instagram.handle, instagram.access_token) == (
        "ig1",
        "@acme.ig",
        "page-1",
    )
    assert instagram.extra == {"page_id": "p1"}


@pytest.mark.django_db
def test_refusals_and_unconfigured_platforms_change_nothing(
    platforms, settings, workspace, owner, viewer
):
    session, params = _start(workspace, owner, "youtube")
    with pytest.raises(ValidationError, match="did not grant access"):
        services.connect_complete(
            session=session,
            platform_key="youtube",
            state=params["state"],
            code="",
            error="access_denied",
            actor=owner,
        )
    session, params = _start(workspace, owner, "youtube")
    platforms.expect_request("/token", method="POST").respond_with_json(
        {"error": "invalid_grant", "error_description": "Bad Request"}, status=400
    )
    with pytest.raises(ValidationError, match="Bad Request"):
        services.connect_complete(
            session=session, platform_key="youtube", state=params["state"], code="c", actor=owner
        )
    with pytest.raises(PermissionDenied):
        _start(workspace, viewer, "youtube")
    settings.SOCIAL_PLATFORMS["tiktok"]["client_secret"] = ""
    with pytest.raises(ValidationError, match="not configured"):
        _start(workspace, owner, "tiktok")
    assert not ConnectedAccount.objects.exists()
