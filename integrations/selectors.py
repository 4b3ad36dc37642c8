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


def platform_rows(*, workspace: Team) -> list[dict]:
    """Each platform, whether this server can connect it, and the workspace's accounts on it."""
    by_platform: dict[str, list[ConnectedAccount]] = {}
    for account in accounts_for_workspace(workspace=workspace):
        by_platform.setdefault(account.platform, []).append(account)
    return [
        {
            "key": key,
            "label": label,
            "configured": platform(key).is_configured,
            "accounts": by_platform.get(key, []),
        }
        for key, label in Platform.choices
    ]
