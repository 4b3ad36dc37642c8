"""Membership services: add a member (within the plan's seats), change a role, remove or leave,
and hand the ownership on."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from analytics.events import EventName, record
from teams.models import Membership, Role, Team
from teams.permissions import ensure_can


class SeatLimitError(ValidationError):
    """The plan's seats are all taken; carries the upgrade link like billing's plan limits."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="plan_limit")
        self.upgrade_url = reverse("billing:pricing")


def membership_mark_used(*, workspace: Team, user) -> None:
    """Remember that `user` chose `workspace`: their next session opens in it."""
    Membership.objects.filter(team=workspace, user=user).update(last_used_at=timezone.now())


def _owner_count(workspace: Team) -> int:
    # Locked, so two owners demoting each other at once can't leave the workspace ownerless.
    owners = Membership.objects.select_for_update().filter(team=workspace, role=Role.OWNER)
    return len(list(owners.values_list("pk", flat=True)))


@transaction.atomic
def ownership_transfer(*, workspace: Team, to_user, actor) -> Membership:
    """Make `to_user` (already a member) the owner; the old owner becomes an admin."""
    ensure_can(actor, workspace, "transfer_ownership")
    if workspace.is_personal:
        raise ValidationError(_("A personal workspace can't be transferred."), code="personal")
    target = (
        Membership.objects.select_for_update().filter(team=workspace, user=to_user).first()
        if to_user is not None
        else None
    )
    if target is None:
        raise ValidationError(
            _("The new owner must already be a member of this workspace."), code="not_member"
        )
    if target.user_id == actor.pk:
        raise ValidationError(_("You already own this workspace."), code="same_owner")
    previous_role = target.role
    target.role = Role.OWNER
    target.save(update_fields=["role"])
    Membership.objects.filter(team=workspace, user=actor).update(role=Role.ADMIN)
    record(
        EventName.TEAM_OWNERSHIP_TRANSFERRED,
        workspace=workspace,
        actor=actor,
        subject=target,
        properties={
            "from_user_id": actor.pk,
            "to_user_id": to_user.pk,
            "previous_role": previous_role,
        },
    )
    return target


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor) -> Membership:
    """Admins manage members but cannot make or unmake owners; the last owner stays an owner."""
    workspace = membership.team
    actor_role = ensure_can(actor, workspace, "manage_members")
    if role not in Role.values:
        raise ValidationError(_("Unknown role %(role)s.") % {"role": role}, code="invalid_role")
    if Role.OWNER in (role, membership.role) and actor_role != Role.OWNER:
        raise PermissionDenied
    if role == membership.role:
        return membership
    if membership.role == Role.OWNER and _owner_count(workspace) <= 1:
        raise ValidationError(
            _("A workspace needs an owner. Transfer ownership before changing this role."),
            code="last_owner",
        )
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        EventName.TEAM_ROLE_CHANGED,
        workspace=workspace,
        actor=actor,
        subject=membership,
        properties={"user_id": membership.user_id, "from": previous, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    """Admins and owners remove others; anyone may leave a team workspace themselves."""
    workspace = membership.team
    leaving = membership.user_id == actor.pk
    actor_role = ensure_can(actor, workspace, "view" if leaving else "manage_members")
    if membership.role == Role.OWNER and not leaving and actor_role != Role.OWNER:
        raise PermissionDenied
    if workspace.is_personal and membership.user_id == workspace.created_by_id:
        raise ValidationError(_("Nobody can leave their personal workspace."), code="personal")
    if membership.role == Role.OWNER and _owner_count(workspace) <= 1:
        raise ValidationError(
            _("A workspace needs an owner. Transfer ownership before leaving."),
            code="last_owner",
        )
    user_id, role = membership.user_id, membership.role
    membership.delete()
    record(
        EventName.TEAM_MEMBER_REMOVED,
        workspace=workspace,
        actor=actor,
        properties={"user_id": user_id, "role": role, "left": leaving},
    )


def seat_limit(workspace: Team) -> int | None:
    """Seats the workspace's plan allows, from the pluggable `TEAM_SEAT_LIMIT` (None: no limit)."""
    path = getattr(settings, "TEAM_SEAT_LIMIT", "")
    if not path:
        return None
    return import_string(path)(workspace)


def ensure_seat_available(workspace: Team) -> None:
    """Refuse when every seat of the plan is taken. Call inside the adding transaction."""
    limit = seat_limit(workspace)
    if limit is None:
        return
    Team.objects.select_for_update().filter(pk=workspace.pk).exists()  # serialise adds
    used = Membership.objects.filter(team=workspace).count()
    if used >= limit:
        raise SeatLimitError(
            _(
                "Your plan allows %(limit)s team seats and all of them are taken. "
                "Upgrade to Pro for more: %(url)s"
            )
            % {"limit": limit, "url": reverse("billing:pricing")}
        )


@transaction.atomic
def membership_add(*, workspace: Team, user, role: str, actor) -> Membership:
    """Add `user` to `workspace` with `role`; adding an existing member changes nothing."""
    actor_role = ensure_can(actor, workspace, "manage_members")
    if role not in Role.values:
        raise ValidationError(_("Unknown role %(role)s.") % {"role": role}, code="invalid_role")
    if role == Role.OWNER and actor_role != Role.OWNER:
        raise PermissionDenied
    existing = Membership.objects.filter(team=workspace, user=user).first()
    if existing is not None:
        return existing
    ensure_seat_available(workspace)
    membership = Membership.objects.create(team=workspace, user=user, role=role)
    record(
        EventName.TEAM_MEMBER_JOINED,
        workspace=workspace,
        actor=actor,
        subject=membership,
        properties={"user_id": user.pk, "role": role},
    )
    return membership
