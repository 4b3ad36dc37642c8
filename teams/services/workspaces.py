"""Workspace services: create (personal or team), rename, delete."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from analytics.events import EventName, record
from teams.models import Membership, Role, Team
from teams.permissions import ensure_can
from videocreator.nul import refuse_nul

NAME_MAX_LENGTH = Team._meta.get_field("name").max_length


def _workspace_with_owner(*, owner, name: str, is_personal: bool = False) -> Team:
    team = Team.objects.create(name=name, is_personal=is_personal, created_by=owner)
    Membership.objects.create(team=team, user=owner, role=Role.OWNER)
    record(EventName.TEAM_WORKSPACE_CREATED, workspace=team, actor=owner, subject=team)
    return team


@transaction.atomic
def workspace_create_personal(*, user) -> Team:
    """Give `user` their personal workspace, once."""
    existing = Team.objects.filter(created_by=user, is_personal=True).first()
    if existing is not None:
        return existing
    name = _("%(name)s's workspace") % {"name": user.display_name}
    return _workspace_with_owner(owner=user, name=name, is_personal=True)


def _clean_name(name: str) -> str:
    """The name the pages and the API both store: refused, never silently cut."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("A workspace needs a name."), code="required")
    refuse_nul(name)
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("A workspace name can be at most %(limit)s characters long.")
            % {"limit": NAME_MAX_LENGTH},
            code="max_length",
        )
    return name


@transaction.atomic
def workspace_create(*, owner, name: str) -> Team:
    return _workspace_with_owner(owner=owner, name=_clean_name(name))


@transaction.atomic
def workspace_rename(*, workspace: Team, name: str, actor) -> Team:
    ensure_can(actor, workspace, "rename_workspace")
    name = _clean_name(name)
    old_name = workspace.name
    if name == old_name:
        return workspace
    workspace.name = name
    workspace.save(update_fields=["name"])
    record(
        EventName.TEAM_WORKSPACE_RENAMED,
        workspace=workspace,
        actor=actor,
        subject=workspace,
        properties={"from": old_name, "to": name},
    )
    return workspace


@transaction.atomic
def workspace_delete(*, workspace: Team, actor) -> None:
    """Delete a team workspace and everything in it (owner only; never a personal one)."""
    ensure_can(actor, workspace, "delete_workspace")
    if workspace.is_personal:
        raise ValidationError(_("A personal workspace can't be deleted."), code="personal")
    workspace_id, name = workspace.pk, workspace.name
    # The event keeps the id and name; its workspace link is cleared by the delete.
    record(
        EventName.TEAM_WORKSPACE_DELETED,
        workspace=workspace,
        actor=actor,
        properties={"workspace_id": workspace_id, "name": name},
    )
    try:
        with transaction.atomic():
            workspace.delete()
    except ProtectedError:
        raise ValidationError(
            _("This workspace has invoices or payments that must be kept, so it can't be deleted."),
            code="protected",
        ) from None
