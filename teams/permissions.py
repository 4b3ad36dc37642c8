"""The one permission helper. Every page, API route, download and task asks here.

Outsiders (not a member of the object's workspace) get 404, so they cannot
even learn that an object exists; members whose role lacks the action get 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F
from django.http import Http404

from .models import Membership, Role, Team
from .selectors import current_membership

M = TypeVar("M", bound=models.Model)

VIEWER_ACTIONS = frozenset({"view", "download", "comment"})
EDITOR_ACTIONS = VIEWER_ACTIONS | {
    "create",
    "edit",
    "render",
    "brand",
    "export",
    "schedule",
    "delete",
    "approve",
    "view_billing",
}
ADMIN_ACTIONS = EDITOR_ACTIONS | {"manage_members", "invite", "manage_webhooks"}
OWNER_ACTIONS = ADMIN_ACTIONS | {
    "billing",
    "rename_workspace",
    "delete_workspace",
    "transfer_ownership",
}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.VIEWER: VIEWER_ACTIONS,
    Role.EDITOR: frozenset(EDITOR_ACTIONS),
    Role.ADMIN: frozenset(ADMIN_ACTIONS),
    Role.OWNER: frozenset(OWNER_ACTIONS),
}
ALL_ACTIONS = OWNER_ACTIONS


def role_allows(role: str | None, action: str) -> bool:
    if action not in ALL_ACTIONS:
        raise ValueError(f"Unknown action {action!r}; known: {sorted(ALL_ACTIONS)}")
    return role is not None and action in ROLE_ACTIONS.get(role, frozenset())


def workspace_path(model: type[models.Model]) -> str:
    """The ORM path from `model` to its Team ('' for Team itself)."""
    return getattr(model, "WORKSPACE_PATH", "workspace")


def role_of(user, workspace: Team) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(team=workspace, user=user).values_list("role", flat=True).first()
    )


def ensure_can(user, workspace: Team, action: str) -> str:
    """Raise Http404 for outsiders and PermissionDenied for a role without `action`.

    Returns the user's role in the workspace.
    """
    role = role_of(user, workspace)
    if role is None:
        raise Http404
    if not role_allows(role, action):
        raise PermissionDenied
    return role


def scope_for_user(
    user, queryset: models.QuerySet[M], *, workspace_ids: Iterable[int] | None = None
) -> models.QuerySet[M]:
    """Only the rows in workspaces `user` belongs to (or, for personal objects, their own).

    A caller that has read the user's memberships already passes their `workspace_ids`: for
    a list sorted by date the planner then walks the workspace's index for one page, where
    the subquery made it sort all of a workspace's 100,000 videos.
    """
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    owner_path = getattr(queryset.model, "OWNER_PATH", None)
    if owner_path:
        return queryset.filter(**{owner_path: user})
    # A subquery rather than a join through memberships: no row can come twice, so there is no
    # DISTINCT over every column (which sorted all of a workspace's videos to return one page).
    path = workspace_path(queryset.model)
    teams = (
        list(workspace_ids)
        if workspace_ids is not None
        else Membership.objects.filter(user=user).values("team")
    )
    return queryset.filter(**{f"{path}__in" if path else "pk__in": teams})


def get_for_user(
    user,
    model_or_queryset: type[M] | models.QuerySet[M],
    pk: object,
    action: str,
    *,
    field: str = "pk",
) -> M:
    """Fetch one object the user may act on, or raise Http404 / PermissionDenied.

    `pk` is the object's primary key, or the value of `field` when that is unique within the
    queryset (a version by its number among a video's versions).

    The user's role in the object's workspace is left on it as `user_role`, so a page that
    shows or hides actions needs no second lookup. One query: the object joined to the user's
    membership of its workspace (at most one row: one membership per person and workspace).
    """
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    if getattr(queryset.model, "OWNER_PATH", None):
        try:
            return scope_for_user(user, queryset).get(**{field: pk})
        except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
            raise Http404 from None  # a personal object: its owner may do anything with it
    if not getattr(user, "is_authenticated", False):
        raise Http404
    path = workspace_path(queryset.model)
    membership = f"{path}__memberships" if path else "memberships"
    try:
        obj = (
            queryset.filter(**{f"{membership}__user": user})
            .annotate(_membership_role=F(f"{membership}__role"))
            .get(**{field: pk})
        )
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    if not role_allows(obj._membership_role, action):
        raise PermissionDenied
    obj.user_role = obj._membership_role
    return obj


def workspace_for_page(request, action: str) -> Membership:
    """The membership of the workspace the page is about: ?workspace=, else the header's choice.

    Outsiders get 404 and a role without `action` 403, as `ensure_can` does.
    """
    wanted = request.GET.get("workspace")
    if wanted:
        membership = (
            Membership.objects.select_related("team")
            .filter(user=request.user, team_id=wanted)
            .first()
            # Beyond a database id's range is no workspace (and would overflow the query).
            if wanted.isdigit() and len(wanted) < 20 and int(wanted) < 2**63
            else None
        )
    else:
        membership = current_membership(request=request)
    if membership is None:
        raise Http404
    if not role_allows(membership.role, action):
        raise PermissionDenied
    return membership
