"""Reads for pages, the API and tasks: workspaces and members, invitations, notifications and
review comments (`review`), each in a bounded number of queries."""

from __future__ import annotations

import hashlib

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from ..models import (
    Invitation,
    Membership,
    Notification,
    NotificationKind,
    NotificationPreference,
    Role,
    Team,
)
from .review import (
    READING_ORDER,
    THREADS_PER_CHUNK,
    ThreadMarker,
    thread_chunk,
    thread_comments,
    thread_counts,
    thread_markers,
    thread_roots,
    version_review,
)

CURRENT_WORKSPACE_SESSION_KEY = "current_workspace_id"
# The invitation whose link a signed-out visitor followed: signing up with its address joins.
INVITATION_SESSION_KEY = "invitation_id"


def memberships_for_user(*, user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("team")
        .order_by("-team__is_personal", "team__name", "team_id")
    )


_UNREAD_SQL = (  # a table name and placeholders: the values are parameters
    f"(SELECT COUNT(*) FROM {Notification._meta.db_table}"  # noqa: S608
    " WHERE recipient_id = %s AND in_app = %s AND read_at IS NULL)"
)


def current_membership(*, request) -> Membership | None:
    """The membership of the workspace chosen in the header (personal by default)."""
    user = request.user
    if not user.is_authenticated:
        return None
    if hasattr(request, "_current_membership"):
        return request._current_membership
    # The header's bell count comes along (`unread`, on every row): one query for both. In
    # SQL, as every page makes this query: Django's Subquery of `_unread` cost about 1 ms a
    # page to build and compile, for a count the database runs once.
    unread = RawSQL(_UNREAD_SQL, [user.pk, True], output_field=IntegerField())  # noqa: S611
    memberships = list(memberships_for_user(user=user).annotate(unread=unread))
    wanted = request.session.get(CURRENT_WORKSPACE_SESSION_KEY)
    chosen = next((m for m in memberships if m.team_id == wanted), None)
    if chosen is None:  # a new session: the workspace used last, else the personal one
        used = [m for m in memberships if m.last_used_at is not None]
        chosen = max(used, key=lambda m: m.last_used_at) if used else next(iter(memberships), None)
    request._current_membership = chosen
    request._memberships = memberships
    return chosen


def request_memberships(*, request) -> list[Membership]:
    """All the user's memberships (for the header's list), loaded with the current one."""
    current_membership(request=request)
    return getattr(request, "_memberships", [])


def current_workspace(*, request) -> Team | None:
    membership = current_membership(request=request)
    return membership.team if membership else None


ROLE_ORDER = Case(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(Role.values)),
    output_field=IntegerField(),
)


def workspace_members(*, workspace: Team) -> QuerySet[Membership]:
    """Members from owners down to viewers, then by e-mail."""
    return (
        workspace.memberships.select_related("user")
        .annotate(role_rank=ROLE_ORDER)
        .order_by("role_rank", "user__email")
    )


def member_or_404(*, workspace: Team, user_id: object) -> Membership:
    """The membership of `user_id` in `workspace` (the caller already checked access), or 404."""
    membership = (
        Membership.objects.select_related("user", "team")
        .filter(team=workspace, user_id=user_id)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


# -- invitations ---------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    """What an invitation stores of its token: the raw token lives only in the e-mail."""
    return hashlib.sha256(token.encode()).hexdigest()


def pending_invitations(workspace: Team | None = None) -> QuerySet[Invitation]:
    """Not answered, revoked or expired; of `workspace`, or of every workspace."""
    invitations = Invitation.objects.all() if workspace is None else workspace.invitations.all()
    return invitations.filter(
        accepted_at__isnull=True,
        declined_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("workspace", "invited_by")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )


# -- notifications -------------------------------------------------------------------------------


def preferences_for(user) -> NotificationPreference:
    """The user's preferences; an unsaved all-on row if they never changed them."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def wants_email(user, kind: str) -> bool:
    return preferences_for(user).wants(kind, "email")


def notifications_for(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first. Hidden: e-mail-only ones."""
    queryset = Notification.objects.filter(recipient=user, in_app=True)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.select_related("actor", "workspace")


def _unread(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True)


def unread_count(*, user) -> int:
    return _unread(user=user).count()


def request_unread_count(*, request) -> int:
    """The signed-in user's unread in-app notifications, read along with their memberships
    (`current_membership`) when they have any, else counted."""
    memberships = request_memberships(request=request)
    if memberships:
        return memberships[0].unread or 0
    return unread_count(user=request.user)


def invitations_unsent() -> QuerySet[Invitation]:
    """Pending invitations with no e-mail sent, leaving out people who turned invitation
    e-mails off (they were never meant to get one: they see it in the app)."""
    opted_out = NotificationPreference.objects.filter(
        user__email__iexact=OuterRef("email"), **{f"email__{NotificationKind.INVITATION}": False}
    )
    return (
        pending_invitations()
        .filter(emailed_at__isnull=True)
        .exclude(Exists(opted_out))
        .select_related("workspace")
    )


__all__ = [
    "READING_ORDER",
    "THREADS_PER_CHUNK",
    "ThreadMarker",
    "thread_chunk",
    "thread_comments",
    "thread_counts",
    "thread_markers",
    "thread_roots",
    "version_review",
]
