"""How many publishing platforms a workspace uses, for its plan's limit: billing's page reads it
(`settings.PLAN_USAGE_READERS` names `plan_usage`) and the scheduler checks it. README,
*Payments → Usage*, defines the figure."""

from __future__ import annotations

from teams.models import Team

from .models import AccountStatus, ConnectedAccount, Platform


def connected_platforms(workspace: Team) -> int:
    """Platforms with at least one account of the workspace that is connected or needs
    reconnecting (the ones the connected-accounts page lists; disconnected ones do not count).
    The sandbox test channel is not a platform: trying it never uses up the plan."""
    return (
        ConnectedAccount.objects.filter(workspace=workspace)
        .exclude(status=AccountStatus.DISCONNECTED)
        .exclude(platform=Platform.SANDBOX)
        .values("platform")
        .distinct()
        .count()
    )


def plan_usage(workspace: Team) -> dict[str, int]:
    return {"scheduling_platforms": connected_platforms(workspace)}
