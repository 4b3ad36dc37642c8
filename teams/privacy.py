"""What teams holds about a person, for accounts.privacy (listed in `PRIVACY_PROVIDERS`):
workspaces and roles, comments, notifications and invitations for the ZIP; the workspaces that
keep an account from being deleted; and, on deletion, their workspaces and memberships.

Which workspaces go with a person (`workspaces_leaving_with`) is also what videos, billing and
integrations ask before they delete their part of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, ProtectedError, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.privacy.providers import Blocker, ExportEntry
from analytics.events import EventName, events_forget_workspace_names, record

from .models import Comment, Invitation, Membership, Notification, Role, Team
from .notification_messages import notification_message
from .selectors import preferences_for


def _joined(teams: Iterable[Team]) -> str:
    return ", ".join(f"“{team.name}”" for team in teams)


# -- which workspaces ---------------------------------------------------------------------------


def workspaces_leaving_with(user) -> list[Team]:
    """The workspaces deleted with `user`'s account: their personal one, and every workspace
    they are the only member of."""
    mine = Membership.objects.filter(user=user).values("team")
    return list(
        Team.objects.filter(pk__in=mine)
        .annotate(member_count=Count("memberships"))
        .filter(Q(member_count=1) | Q(is_personal=True, created_by=user))
        .order_by("-is_personal", "name", "pk")
    )


def workspaces_needing_an_owner(user) -> QuerySet[Team]:
    """Team workspaces `user` is the only owner of while others are members too: someone else
    must own them (or they must be deleted) before the account can go."""
    owned = Membership.objects.filter(user=user, role=Role.OWNER).values("team")
    return (
        Team.objects.filter(pk__in=owned, is_personal=False)
        .annotate(
            owners=Count("memberships", filter=Q(memberships__role=Role.OWNER)),
            member_count=Count("memberships"),
        )
        .filter(owners=1, member_count__gt=1)
        .order_by("name", "pk")
    )


def privacy_blockers(*, user) -> Iterator[Blocker]:
    for team in workspaces_needing_an_owner(user):
        yield Blocker(
            _(
                "You are the only owner of “%(workspace)s”, which has other members: make one "
                "of them an owner, or delete the workspace."
            )
            % {"workspace": team.name},
            workspace_id=team.pk,
        )


def privacy_deletion_notes(*, user) -> Iterator[str]:
    leaving = workspaces_leaving_with(user)
    if leaving:
        yield _("Deleted with your account, with their videos: %(workspaces)s.") % {
            "workspaces": _joined(leaving)
        }
    for team in leaving:
        if team.is_personal and team.member_count > 1:
            yield _(
                "The other members of your personal workspace “%(workspace)s” lose access to it "
                "and its videos."
            ) % {"workspace": team.name}
    staying = (
        Team.objects.filter(memberships__user=user)
        .exclude(pk__in=[team.pk for team in leaving])
        .order_by("name", "pk")
    )
    if staying:
        yield _(
            "You will leave %(workspaces)s. What you made there stays with the workspace; your "
            "comments stay, shown as by “Deleted user”."
        ) % {"workspaces": _joined(staying)}


# -- the ZIP ------------------------------------------------------------------------------------


def _workspace_rows(user) -> Iterator[dict]:
    for m in Membership.objects.filter(user=user).select_related("team").order_by("team_id"):
        yield {
            "id": m.team_id,
            "name": m.team.name,
            "personal": m.team.is_personal,
            "role": m.role,
            "joined_at": m.joined_at,
            "created_by_you": m.team.created_by_id == user.pk,
        }


def _comment_rows(user) -> Iterator[dict]:
    comments = (
        Comment.objects.filter(author=user)
        .select_related("version__video")
        .order_by("created_at", "pk")
    )
    for c in comments.iterator(chunk_size=1000):
        yield {
            "id": c.pk,
            "workspace_id": c.workspace_id,
            "video_id": c.version.video_id,
            "video": c.version.video.title,
            "version": c.version.number,
            "reply_to": c.parent_id,
            "thread": c.thread_id,
            "text": c.text,
            "at_ms": c.time_ms,
            "until_ms": c.end_ms,
            "created_at": c.created_at,
            "edited_at": c.edited_at,
            "deleted_at": c.deleted_at,
            "resolved_at": c.resolved_at,
        }


def _notification_rows(user) -> Iterator[dict]:
    notifications = (
        Notification.objects.filter(recipient=user).select_related("actor").order_by("created_at")
    )
    for n in notifications.iterator(chunk_size=1000):
        yield {
            "kind": n.kind,
            "message": notification_message(n),
            "workspace_id": n.workspace_id,
            "url": n.url,
            "created_at": n.created_at,
            "read_at": n.read_at,
            "emailed_at": n.emailed_at,
        }


def _invitation_rows(user) -> Iterator[dict]:
    received = (
        Invitation.objects.filter(email__iexact=user.email)
        .select_related("workspace")
        .order_by("created_at")
    )
    for i in received:
        yield {
            "workspace": i.workspace.name,
            "role": i.role,
            "created_at": i.created_at,
            "expires_at": i.expires_at,
            "accepted_at": i.accepted_at,
            "declined_at": i.declined_at,
            "revoked_at": i.revoked_at,
        }


def privacy_export(*, user) -> list[ExportEntry]:
    preference = preferences_for(user)
    return [
        ExportEntry("workspaces.json", rows=_workspace_rows(user)),
        ExportEntry("comments.json", rows=_comment_rows(user)),
        ExportEntry("notifications.json", rows=_notification_rows(user)),
        ExportEntry(
            "notification_settings.json",
            data={"in_app": preference.in_app, "email": preference.email},
        ),
        ExportEntry("invitations.json", rows=_invitation_rows(user)),
    ]


# -- deletion -------------------------------------------------------------------------------------


def _close(team: Team) -> None:
    """A workspace whose invoices must be kept (billing protects them) stays as an empty record:
    nobody in it, nobody's name on it."""
    Membership.objects.filter(team=team).delete()
    Invitation.objects.filter(workspace=team).delete()
    team.name, team.created_by = _("Closed workspace"), None
    team.save(update_fields=["name", "created_by"])


@transaction.atomic
def privacy_erase(*, user) -> None:
    """Delete the workspaces that go with `user` (after videos, billing and integrations have
    removed their part), leave the others, and keep their comments with no author."""
    mine = Membership.objects.filter(user=user).values("team")
    list(Team.objects.select_for_update().filter(pk__in=mine))  # no one joins meanwhile
    if workspaces_needing_an_owner(user).exists():
        raise ValidationError(_("Your account can't be deleted yet."), code="sole_owner")
    leaving = workspaces_leaving_with(user)
    personal = [team.pk for team in leaving if team.is_personal]
    for team in leaving:
        properties = {"workspace_id": team.pk, "account_deleted": True}
        if not team.is_personal:
            properties["name"] = team.name
        record(EventName.TEAM_WORKSPACE_DELETED, workspace=team, actor=user, properties=properties)
        try:
            with transaction.atomic():
                team.delete()
        except ProtectedError:
            _close(team)
    events_forget_workspace_names(workspace_ids=personal)
    for membership in Membership.objects.filter(user=user).select_related("team"):
        membership.delete()
        record(
            EventName.TEAM_MEMBER_REMOVED,
            workspace=membership.team,
            properties={"role": membership.role, "left": True, "account_deleted": True},
        )
    Invitation.objects.filter(email__iexact=user.email).delete()
    Comment.objects.filter(author=user).update(author=None)
    Comment.objects.filter(resolved_by=user).update(resolved_by=None)
