"""Keeping connected accounts' tokens fresh: refresh before expiry and on a 401, the
reconnect prompt, and rotation of the encryption key."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from analytics.models import Event
from integrations import crypto, services
from integrations.http import AUTH, PlatformError
from integrations.models import AccountStatus, ConnectedAccount
from tests.conftest import client_for
from tests.integrations.conftest import account_with_tokens, form_of, raw_tokens

# -- keeping tokens fresh -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_token_is_refreshed_before_it_expires(platforms, workspace):
    fresh = account_with_tokens(workspace)
    assert services.token_refresh(account=fresh).access_token == "old-access"  # no request

    expiring = account_with_tokens(
        workspace, external_id="UC2", expires_at=timezone.now() + dt.timedelta(minutes=2)
    )
    platforms.expect_oneshot_request("/token", method="POST", data=None).respond_with_json(
        {"access_token": "new-access", "expires_in": 3599}
    )
    refreshed = services.token_refresh(account=expiring)
    assert refreshed.access_token == "new-access"
    assert refreshed.refresh_token == "refresh-1"  # Google keeps the refresh token
    assert refreshed.expires_at > timezone.now() + dt.timedelta(minutes=59)
    form = form_of(platforms.log[-1][0])
    assert form["grant_type"] == "refresh_token" and form["refresh_token"] == "refresh-1"


@pytest.mark.django_db
def test_a_401_refreshes_once_and_retries(platforms, workspace):
    account = account_with_tokens(workspace)
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
    account = account_with_tokens(workspace, expires_at=timezone.now() - dt.timedelta(minutes=1))
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
    account = account_with_tokens(workspace, platform="facebook", refresh_token="", expires_at=None)

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
    account = account_with_tokens(workspace)
    raw_before = raw_tokens(account)

    settings.TOKEN_ENCRYPTION_KEYS = [new, old]  # the new key first, the old one still reads
    assert ConnectedAccount.objects.get(pk=account.pk).access_token == "old-access"
    call_command("rotate_token_keys", "--dry-run")
    assert raw_tokens(account) == raw_before
    call_command("rotate_token_keys")
    assert raw_tokens(account) != raw_before

    settings.TOKEN_ENCRYPTION_KEYS = [new]  # the old key is gone
    reread = ConnectedAccount.objects.get(pk=account.pk)
    assert (reread.access_token, reread.refresh_token) == ("old-access", "refresh-1")
    settings.TOKEN_ENCRYPTION_KEYS = [old]
    with pytest.raises(crypto.DecryptionError):
        ConnectedAccount.objects.get(pk=account.pk)
