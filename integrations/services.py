"""Connected accounts: connect through OAuth 2, keep tokens fresh, disconnect.

The authorization's `state` and PKCE verifier live in the signed-in user's session, are
single-use and expire after ten minutes. Tokens are refreshed under a row lock, so two
workers never spend one refresh token twice.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import absolute_url
from analytics.events import EventName, record
from teams.models import Team
from teams.permissions import ensure_can

from . import messages
from .http import AUTH, PlatformError
from .models import AccountStatus, ConnectedAccount, Platform
from .platforms import PLATFORMS, Tokens, platform

SESSION_KEY = "integrations.oauth"
STATE_LIFETIME_SECONDS = 600
REFRESH_MARGIN = dt.timedelta(minutes=5)
T = TypeVar("T")


def redirect_uri(platform_key: str) -> str:
    return absolute_url("integrations:callback", platform_key)


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _known(platform_key: str):
    if platform_key not in PLATFORMS:
        raise ValidationError(_("Unknown platform."), code="unknown_platform")
    spec = platform(platform_key)
    if not spec.is_configured:
        raise ValidationError(
            _("%(platform)s is not configured on this server.")
            % {"platform": Platform(platform_key).label},
            code="not_configured",
        )
    return spec


def connect_start(*, session, workspace: Team, platform_key: str, actor) -> str:
    """The platform's authorize link; the state that comes back names this request."""
    ensure_can(actor, workspace, "schedule")
    spec = _known(platform_key)
    state = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    pending = {
        key: value
        for key, value in session.get(SESSION_KEY, {}).items()
        if value["created"] > time.time() - STATE_LIFETIME_SECONDS
    }
    pending[state] = {
        "platform": platform_key,
        "workspace": workspace.pk,
        "verifier": verifier,
        "created": time.time(),
    }
    session[SESSION_KEY] = pending
    params = spec.authorize_params(
        state=state, redirect_uri=redirect_uri(platform_key), challenge=_challenge(verifier)
    )
    return f"{spec.config['authorize_url']}?{urlencode(params)}"


def _take_state(session, state: str, platform_key: str) -> dict:
    pending = session.get(SESSION_KEY, {})
    entry = pending.pop(state or "", None)
    session[SESSION_KEY] = pending
    if (
        entry is None
        or entry["platform"] != platform_key
        or entry["created"] < time.time() - STATE_LIFETIME_SECONDS
    ):
        raise ValidationError(
            _("This connection attempt expired or did not start here. Please try again."),
            code="bad_state",
        )
    return entry


def connect_complete(
    *, session, platform_key: str, state: str, code: str, error: str = "", actor
) -> list[ConnectedAccount]:
    """Finish the authorization: swap the code for tokens and save each granted account."""
    entry = _take_state(session, state, platform_key)
    workspace = Team.objects.filter(pk=entry["workspace"]).first()
    if workspace is None:
        raise ValidationError(_("That workspace no longer exists."), code="no_workspace")
    ensure_can(actor, workspace, "schedule")
    spec = _known(platform_key)
    if error or not code:
        raise ValidationError(
            _("%(platform)s did not grant access, so nothing was connected.")
            % {"platform": Platform(platform_key).label},
            code="denied",
        )
    try:
        tokens = spec.exchange(
            code=code, redirect_uri=redirect_uri(platform_key), verifier=entry["verifier"]
        )
        identities = spec.identities(tokens)
    except PlatformError as failure:
        raise ValidationError(
            _("%(platform)s refused the connection: %(reason)s")
            % {
                "platform": Platform(platform_key).label,
                "reason": failure.message,
            },
            code="exchange_failed",
        ) from failure
    if not identities:
        raise ValidationError(_no_accounts_message(platform_key), code="no_accounts")
    return _save_accounts(workspace, platform_key, tokens, identities, actor)


def _no_accounts_message(platform_key: str) -> str:
    if platform_key == "instagram":
        return _(
            "No Instagram professional account is linked to the Facebook Pages you granted. "
            "Link one to a Page, then connect again."
        )
    if platform_key == "facebook":
        return _("You did not grant access to any Facebook Page.")
    return _("The platform did not say which account you connected.")


@transaction.atomic
def _save_accounts(workspace, platform_key, tokens: Tokens, identities, actor):
    saved = []
    for identity in identities:
        own = identity.tokens or tokens
        account, created = ConnectedAccount.objects.select_for_update().update_or_create(
            workspace=workspace,
            platform=platform_key,
            external_id=identity.external_id,
            defaults={
                "name": identity.name[:200],
                "handle": identity.handle[:200],
                "access_token": own.access_token,
                "refresh_token": own.refresh_token,
                "expires_at": own.expires_at,
                "scopes": (tokens.scope or "")[:500],
                "extra": identity.extra,
                "status": AccountStatus.ACTIVE,
                "last_error": "",
                "connected_by": actor,
                "connected_at": timezone.now(),
            },
        )
        record(
            EventName.INTEGRATION_CONNECTED,
            workspace=workspace,
            actor=actor,
            subject=account,
            properties={"platform": platform_key, "reconnected": not created},
        )
        saved.append(account)
    return saved


# -- the sandbox test channel --------------------------------------------------------------------


@transaction.atomic
def connect_sandbox(*, workspace: Team, actor) -> ConnectedAccount:
    """Connect the workspace's sandbox test channel: no OAuth, no credentials. Publishing to it
    goes through the same dispatcher as any platform and ends on an in-app page. Connecting
    again (after a disconnect) reuses the one channel."""
    ensure_can(actor, workspace, "schedule")
    existing = (
        ConnectedAccount.objects.select_for_update()
        .filter(workspace=workspace, platform=Platform.SANDBOX)
        .first()
    )
    if existing is not None and existing.status == AccountStatus.ACTIVE:
        return existing
    account, created = ConnectedAccount.objects.update_or_create(
        workspace=workspace,
        platform=Platform.SANDBOX,
        external_id=f"sandbox-{workspace.pk}",
        defaults={
            "name": workspace.name[:200],
            "handle": "@sandbox",
            "status": AccountStatus.ACTIVE,
            "last_error": "",
            "connected_by": actor,
            "connected_at": timezone.now(),
        },
    )
    record(
        EventName.INTEGRATION_CONNECTED,
        workspace=workspace,
        actor=actor,
        subject=account,
        properties={"platform": Platform.SANDBOX, "reconnected": not created},
    )
    return account


# -- using tokens -------------------------------------------------------------------------------


def _mark_reconnect(account: ConnectedAccount, reason: str) -> None:
    ConnectedAccount.objects.filter(pk=account.pk).update(
        status=AccountStatus.RECONNECT, last_error=reason[:2000]
    )
    account.status, account.last_error = AccountStatus.RECONNECT, reason
    record(
        EventName.INTEGRATION_NEEDS_RECONNECT,
        workspace=account.workspace,
        subject=account,
        properties={"platform": account.platform, "reason": reason[:500]},
    )


def token_refresh(*, account: ConnectedAccount, force: bool = False) -> ConnectedAccount:
    """A fresh access token: refreshed when it expires within five minutes (or `force`).

    A platform that refuses the refresh token marks the account "needs reconnecting" and
    raises an `auth` PlatformError.
    """
    with transaction.atomic():
        locked = ConnectedAccount.objects.select_for_update().get(pk=account.pk)
        if locked.status != AccountStatus.ACTIVE:
            raise PlatformError(AUTH, locked.last_error or messages.NEEDS_RECONNECT)
        due = locked.expires_at is not None and locked.expires_at <= timezone.now() + REFRESH_MARGIN
        if not (force or due):
            return locked
        spec = platform(locked.platform)
        if not spec.can_refresh or not locked.refresh_token:
            failure = PlatformError(AUTH, messages.CANNOT_REFRESH)
        else:
            try:
                tokens = spec.refresh(locked.refresh_token)
            except PlatformError as error:
                if error.kind != AUTH:
                    raise
                failure = error
            else:
                locked.access_token = tokens.access_token
                locked.refresh_token = tokens.refresh_token or locked.refresh_token
                locked.expires_at = tokens.expires_at
                locked.refreshed_at = timezone.now()
                locked.save(
                    update_fields=["access_token", "refresh_token", "expires_at", "refreshed_at"]
                )
                return locked
    _mark_reconnect(account, failure.message)
    raise failure


def with_token(account: ConnectedAccount, call: Callable[[str], T]) -> T:
    """Run `call(access_token)`; on a 401 refresh once and try again."""
    account = token_refresh(account=account)
    try:
        return call(account.access_token)
    except PlatformError as error:
        if error.kind != AUTH:
            raise
    account = token_refresh(account=account, force=True)
    try:
        return call(account.access_token)
    except PlatformError as error:
        if error.kind == AUTH:
            _mark_reconnect(account, error.message)
        raise


@transaction.atomic
def account_disconnect(*, account: ConnectedAccount, actor) -> None:
    """Forget the tokens. Posts already made stay on the platform."""
    ensure_can(actor, account.workspace, "schedule")
    ConnectedAccount.objects.filter(pk=account.pk).update(
        access_token="", refresh_token="", status=AccountStatus.DISCONNECTED, expires_at=None
    )
    record(
        EventName.INTEGRATION_DISCONNECTED,
        workspace=account.workspace,
        actor=actor,
        subject=account,
        properties={"platform": account.platform},
    )
