"""Reads for the connected-accounts pages and the scheduler."""

from __future__ import annotations

from django.db.models import QuerySet

from teams.models import Team

from .models import AccountStatus, ConnectedAccount, Platform
from .platforms import platform


def accounts_for_workspace(*, workspace: Team) -> QuerySet[ConnectedAccount]:
    """The workspace's accounts that are connected or need reconnecting (not disconnected)."""
    return (
        ConnectedAccount.objects.filter(workspace=workspace)
        .exclude(status=AccountStatus.DISCONNECTED)
        .select_related("connected_by")
    )


def is_configured(key: str) -> bool:
    """Whether this server can connect accounts on the platform: the sandbox always can."""
    return key == Platform.SANDBOX or platform(key).is_configured


def platform_rows(*, workspace: Team) -> list[dict]:
    """Each platform, whether this server can connect it, and the workspace's accounts on it;
    the sandbox test channel first, as it is the one a fresh install can always connect."""
    by_platform: dict[str, list[ConnectedAccount]] = {}
    for account in accounts_for_workspace(workspace=workspace):
        by_platform.setdefault(account.platform, []).append(account)
    keys = [Platform.SANDBOX, *(key for key in Platform.values if key != Platform.SANDBOX)]
    return [
        {
            "key": key,
            "label": Platform(key).label,
            "configured": is_configured(key),
            "sandbox": key == Platform.SANDBOX,
            "accounts": by_platform.get(key, []),
        }
        for key in keys
    ]
