"""Connecting social accounts with OAuth 2 against local servers that speak each platform's
protocol (pytest-httpserver): state and PKCE, code exchange, identities, encrypted tokens,
refresh before expiry and on a 401, the reconnect prompt, rotation of the encryption key."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from werkzeug import Response

from analytics.models import Event
from integrations import crypto, services
from integrations.http import AUTH, PlatformError
from integrations.models import AccountStatus, ConnectedAccount
from tests.conftest import client_for
from tests.factories import UserFactory


class Session(dict):
    """What the services need of request.session."""


@pytest.fixture
def platforms(httpserver, settings):
    """Every platform configured, every URL on the local server."""
    base = httpserver.url_for("").rstrip("/")
    settings.SOCIAL_PLATFORMS = {
        "youtube": {
            "client_id": "yt-id",
            "client_secret": "yt-secret",
            "authorize_url": f"{base}/o/oauth2/v2/auth",
            "token_url": f"{base}/token",
            "api_base": base,
        },
        "facebook": {
            "client_id": "fb-id",
            "client_secret": "fb-secret",
            "authorize_url": f"{base}/dialog/oauth",
            "api_base": f"{base}/v21.0",
        },
        "tiktok": {
            "client_id": "tt-key",
            "client_secret": "tt-secret",
            "authorize_url": f"{base}/v2/auth/authorize/",
            "api_base": base,
        },
        "x": {
            "client_id": "x-id",
            "client_secret": "x-secret",
            "authorize_url": f"{base}/i/oauth2/authorize",
            "api_base": base,
        },
    }
    settings.SOCIAL_PLATFORMS["instagram"] = dict(settings.SOCIAL_PLATFORMS["facebook"])
    return httpserver


def _start(workspace, owner, platform: str) -> tuple[Session, dict]:
    session = Session()
    url = services.connect_start(
        session=session, workspace=workspace, platform_key=platform, actor=owner
    )
    return session, {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _form(request) -> dict:
    return {k: v[0] for k, v in parse_qs(request.get_data(as_text=True)).items()}


def _raw_tokens(account) -> tuple[str, str]:
    table = connection.ops.quote_name(ConnectedAccount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT access_token, refresh_token FROM {table} WHERE id = %s",  # noqa: S608
            [account.pk],
        )
        return cursor.fetchone()


# -- connecting ---------------------------------------------------------------------------------


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
        exchanged.append(_form(request))
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
    raw_access, raw_refresh = _raw_tokens(account)
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
        seen.append((request.headers.get("Authorization"), _form(request)))
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


# -- keeping tokens fresh -----------------------------------------------------------------------


def _account(workspace, **fields) -> ConnectedAccount:
    defaults = dict(
        workspace=workspace,
        platform="youtube",
        external_id="UC1",
        name="Acme TV",
        access_token="old-access",
        refresh_token="refresh-1",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    return ConnectedAccount.objects.create(**{**defaults, **fields})


@pytest.mark.django_db
def test_a_token_is_refreshed_before_it_expires(platforms, workspace):
    fresh = _account(workspace)
    assert services.token_refresh(account=fresh).access_token == "old-access"  # no request

    expiring = _account(
        workspace, external_id="UC2", expires_at=timezone.now() + dt.timedelta(minutes=2)
    )
    platforms.expect_oneshot_request("/token", method="POST", data=None).respond_with_json(
        {"access_token": "new-access", "expires_in": 3599}
    )
    refreshed = services.token_refresh(account=expiring)
    assert refreshed.access_token == "new-access"
    assert refreshed.refresh_token == "refresh-1"  # Google keeps the refresh token
    assert refreshed.expires_at > timezone.now() + dt.timedelta(minutes=59)
    form = _form(platforms.log[-1][0])
    assert form["grant_type"] == "refresh_token" and form["refresh_token"] == "refresh-1"


@pytest.mark.django_db
def test_a_401_refreshes_once_and_retries(platforms, workspace):
    account = _account(workspace)
    platforms.expect_oneshot_request("/token", method="POST").respond_with_json(
        {"access_token": "new-access", "expires_in": 3599}
    )
    calls = []

    def call(token: str) -> str:
        calls.append(token)
        if token == "old-access":
            raise PlatformError(AUTH, "Invalid Credentials", status=401)
        return "uploaded"

    assert services.with_token(account, call) == "uploaded"
    assert calls == ["old-access", "new-access"]


@pytest.mark.django_db
def test_a_refused_refresh_asks_for_reconnecting(platforms, workspace, owner):
    account = _account(workspace, expires_at=timezone.now() - dt.timedelta(minutes=1))
    platforms.expect_request("/token", method="POST").respond_with_json(
        {"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
        status=400,
    )
    with pytest.raises(PlatformError) as error:
        services.with_token(account, lambda token: "never")
    assert error.value.kind == AUTH
    account.refresh_from_db()
    assert account.status == AccountStatus.RECONNECT
    assert "expired or revoked" in account.last_error
    assert Event.objects.filter(name="integration.needs_reconnect").count() == 1
    page = client_for(owner).get(reverse("integrations:accounts") + f"?workspace={workspace.pk}")
    assert "needs reconnecting" in page.content.decode()
    assert "Reconnect" in page.content.decode()


@pytest.mark.django_db
def test_a_facebook_page_token_that_stops_working_asks_for_reconnecting(platforms, workspace):
    account = _account(workspace, platform="facebook", refresh_token="", expires_at=None)

    def call(token: str):
        raise PlatformError(AUTH, "Error validating access token", status=400)

    with pytest.raises(PlatformError):
        services.with_token(account, call)
    account.refresh_from_db()
    assert account.status == AccountStatus.RECONNECT


# -- encryption keys ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_keys_rotate_without_losing_tokens(settings, workspace):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.TOKEN_ENCRYPTION_KEYS = [old]
    account = _account(workspace)
    raw_before = _raw_tokens(account)

    settings.TOKEN_ENCRYPTION_KEYS = [new, old]  # the new key first, the old one still reads
    assert ConnectedAccount.objects.get(pk=account.pk).access_token == "old-access"
    call_command("rotate_token_keys", "--dry-run")
    assert _raw_tokens(account) == raw_before
    call_command("rotate_token_keys")
    assert _raw_tokens(account) != raw_before

    settings.TOKEN_ENCRYPTION_KEYS = [new]  # the old key is gone
    reread = ConnectedAccount.objects.get(pk=account.pk)
    assert (reread.access_token, reread.refresh_token) == ("old-access", "refresh-1")
    settings.TOKEN_ENCRYPTION_KEYS = [old]
    with pytest.raises(crypto.DecryptionError):
        ConnectedAccount.objects.get(pk=account.pk)


# -- pages --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_connects_through_the_platform_and_back(platforms, workspace, owner):
    client = client_for(owner)
    page = client.get(reverse("integrations:accounts") + f"?workspace={workspace.pk}")
    assert page.status_code == 200
    response = client.post(
        reverse("integrations:connect", args=["tiktok"]) + f"?workspace={workspace.pk}"
    )
    assert response.status_code == 302
    params = {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}
    platforms.expect_request("/v2/oauth/token/", method="POST").respond_with_json(
        {"access_token": "act.1", "refresh_token": "rft.1", "expires_in": 86400}
    )
    platforms.expect_request("/v2/user/info/").respond_with_json(
        {"data": {"user": {"open_id": "open-1", "display_name": "Acme TikTok"}}}
    )
    back = client.get(
        reverse("integrations:callback", args=["tiktok"]), {"state": params["state"], "code": "c"}
    )
    assert back.status_code == 302 and back["Location"] == reverse("integrations:accounts")
    assert ConnectedAccount.objects.get(workspace=workspace).name == "Acme TikTok"
    listing = client.get(reverse("integrations:accounts") + f"?workspace={workspace.pk}")
    assert "Acme TikTok" in listing.content.decode()
    forged = client.get(reverse("integrations:callback", args=["tiktok"]), {"state": "x"})
    assert forged.status_code == 302
    assert ConnectedAccount.objects.count() == 1


@pytest.mark.django_db
def test_without_credentials_a_platform_says_not_configured(settings, workspace, owner):
    settings.SOCIAL_PLATFORMS = {
        key: {**value, "client_id": "", "client_secret": ""}
        for key, value in settings.SOCIAL_PLATFORMS.items()
    }
    page = client_for(owner).get(reverse("integrations:accounts") + f"?workspace={workspace.pk}")
    assert page.content.decode().count("Not configured") == 5


@pytest.mark.django_db
def test_disconnecting_forgets_the_tokens(workspace, owner, viewer, outsider):
    account = _account(workspace)
    url = reverse("integrations:disconnect", args=[account.pk])
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(viewer).post(url).status_code == 403
    assert client_for(owner).post(url).status_code == 302
    account.refresh_from_db()
    assert account.status == AccountStatus.DISCONNECTED
    assert (account.access_token, account.refresh_token) == ("", "")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 12])
def test_the_accounts_page_query_count_is_fixed(
    workspace, owner, count, django_assert_max_num_queries
):
    for n in range(count):
        connected_by = UserFactory(email=f"member{n}@example.com")
        _account(
            workspace,
            platform=("youtube", "x", "tiktok")[n % 3],
            external_id=f"a{n}",
            connected_by=connected_by,
        )
    client = client_for(owner)
    client.get(reverse("integrations:accounts") + f"?workspace={workspace.pk}")
    # session, user, profile, the membership, the accounts (with who connected them),
    # the header's memberships and the bell's unread count
    with django_assert_max_num_queries(7):
        page = client.get(reverse("integrations:accounts") + f"?workspace={workspace.pk}")
    assert page.content.decode().count('class="connected-account"') == count
