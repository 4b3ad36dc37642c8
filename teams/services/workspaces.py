"""Workspace services: create (personal or team), rename, delete."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from analytics.events import EventName, record
from teams.models import Membership, Role, Team
from teams.naming import personal_workspace_name, shorten
from teams.permissions import ensure_can
from videocreator.nul import refuse_nul, without_nul

NAME_MAX_LENGTH = Team._meta.get_field("name").max_length


def _workspace_with_owner(*, owner, name: str, is_personal: bool = False) -> Team:
    # Every way a workspace comes to exist passes here: no name longer than the column holds.
    if len(name) > NAME_MAX_LENGTH:
        raise ValueError(f"workspace name longer than {NAME_MAX_LENGTH} characters")
    team = Team.objects.create(
        name=name,
        is_personal=is_personal,
        # Shown in the reader's language until renamed (Team.display_name).
        named_after=named_after(owner) if is_personal else "",
        created_by=owner,
    )
    Membership.objects.create(team=team, user=owner, role=Role.OWNER)
    record(EventName.TEAM_WORKSPACE_CREATED, workspace=team, actor=owner, subject=team)
    return team


@transaction.atomic
def workspace_create_personal(*, user) -> Team:
    """Give `user` their personal workspace, once."""
    existing = Team.objects.filter(created_by=user, is_personal=True).first()
    if existing is not None:
        return existing
    return _workspace_with_owner(owner=user, name=personal_name(user), is_personal=True)


def personal_name(user) -> str:
    """The personal workspace's name ("Ana's workspace") in the active language, the person's
    name shortened so that it fits the column: a name or e-mail address may be longer."""
    return personal_workspace_name(named_after(user))


def named_after(user) -> str:
    """Whom a personal workspace is named after: the person's name, or their e-mail address's
    local part, as long as the column holds."""
    person = " ".join(without_nul(user.display_name).split()) or user.email.split("@", 1)[0]
    return shorten(person, NAME_MAX_LENGTH)


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
    # The name as the page showed it, saved unchanged, leaves a personal workspace's name
    # following the reader's language.
    if name in (old_name, workspace.display_name):
        return workspace
    workspace.name = name
    workspace.named_after = ""
    workspace.save(update_fields=["name", "named_after"])
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
