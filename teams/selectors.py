"""Reads for pages, the API and tasks: workspaces and members, invitations, notifications and
review comments, each in a bounded number of queries."""

from __future__ import annotations

import hashlib

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone

from .models import (
    Comment,
    CommentMention,
    Invitation,
    Membership,
    Notification,
    NotificationKind,
    NotificationPreference,
    Role,
    Team,
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


def current_membership(*, request) -> Membership | None:
    """The membership of the workspace chosen in the header (personal by default)."""
    user = request.user
    if not user.is_authenticated:
        return None
    if hasattr(request, "_current_membership"):
        return request._current_membership
    memberships = list(memberships_for_user(user=user))
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


# -- review comments -----------------------------------------------------------------------------

# Threads the review page shows at a time, each with all its replies; "Load more" adds as many.
THREADS_PER_CHUNK = 10
# A version's threads read in this order: by position on the timeline, then oldest first.
READING_ORDER = ("time_ms", "created_at", "id")


# A thread on the timeline: its first comment's id, its position and end in milliseconds (the
# end None for a point), and whether it is resolved. A plain tuple: a version may have thousands,
# and the review page hands them to the browser as JSON lists as they come from the database.
ThreadMarker = tuple[int, int, int | None, bool]


def _threads(*, version, hide_resolved: bool) -> QuerySet[Comment]:
    roots = Comment.objects.filter(version=version, parent__isnull=True)
    return roots.filter(resolved_at__isnull=True) if hide_resolved else roots


def thread_roots(*, version, hide_resolved: bool = False) -> QuerySet[Comment]:
    """The first comments of a version's threads in reading order (authors, resolvers joined).

    Slice it (or paginate it) and hand the slice to `thread_comments` for the replies.
    """
    return (
        _threads(version=version, hide_resolved=hide_resolved)
        .select_related("author", "resolved_by")
        .order_by(*READING_ORDER)
    )


def thread_comments(*, version, roots) -> list[Comment]:
    """The threads begun by `roots` (first comments, in reading order) as one flat list: each
    first comment followed by its replies depth-first, oldest reply first.

    Each comment gets `depth` (0 for the first), `thread_resolved` and `mentioned_users`.
    Two queries however many threads and replies: the replies, then the mentions of them all.
    """
    roots = list(roots)
    if not roots:
        return []
    replies = _with_people(Comment.objects.filter(thread__in=roots))
    return _reading_order(version=version, roots=roots, replies=list(replies))


def _with_people(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    return comments.select_related("author", "resolved_by").order_by("created_at", "id")


def _threads_begun_by(*, version, ids: list[int]) -> tuple[list[Comment], list[Comment]]:
    """The threads begun by comments `ids` (in reading order): their first comments in that
    order, and the threads as `thread_comments` returns them. Two queries: the first comments
    with their replies, then the mentions."""
    if not ids:
        return [], []
    rows = list(_with_people(Comment.objects.filter(Q(pk__in=ids) | Q(thread__in=ids))))
    firsts = {row.pk: row for row in rows if row.parent_id is None}
    roots = [firsts[pk] for pk in ids if pk in firsts]  # one may be gone since the markers
    replies = [row for row in rows if row.parent_id is not None]
    return roots, _reading_order(version=version, roots=roots, replies=replies)


def _reading_order(*, version, roots: list[Comment], replies: list[Comment]) -> list[Comment]:
    """`roots` each followed by its replies (oldest first) depth-first, mentions loaded."""
    rows = [*roots, *replies]
    prefetch_related_objects(
        rows, Prefetch("mention_rows", queryset=CommentMention.objects.select_related("user"))
    )
    children: dict[int, list[Comment]] = {}
    for comment in rows:
        comment.version = version  # the one asked about: no query per comment to reach it
        comment.mentioned_users = [row.user for row in comment.mention_rows.all()]
        if comment.parent_id is not None:
            children.setdefault(comment.parent_id, []).append(comment)
    ordered: list[Comment] = []
    for root in roots:
        stack = [(root, 0)]
        while stack:  # depth-first without recursion: threads may be arbitrarily deep
            comment, depth = stack.pop()
            comment.depth = depth
            comment.thread_resolved = root.resolved_at is not None
            if depth:
                comment.thread = root
            ordered.append(comment)
            stack.extend((child, depth + 1) for child in reversed(children.get(comment.pk, [])))
    return ordered


def _from_thread(roots: QuerySet[Comment], *, version, thread: int, inclusive: bool):
    """`roots` after the thread begun by comment `thread` in reading order (from it on, if
    `inclusive`), in the same query; none if `thread` begins no thread of `version`."""
    anchor = Comment.objects.filter(pk=thread, version=version, parent__isnull=True)
    time_ms = Subquery(anchor.values("time_ms")[:1])
    created_at = Subquery(anchor.values("created_at")[:1])
    same_time = Q(time_ms=time_ms, created_at=created_at)
    return roots.filter(
        Q(time_ms__gt=time_ms)
        | Q(time_ms=time_ms, created_at__gt=created_at)
        | (same_time & (Q(id__gte=thread) if inclusive else Q(id__gt=thread)))
    )


def thread_chunk(
    *,
    version,
    hide_resolved: bool = False,
    after: int | None = None,
    starting_at: int | None = None,
    limit: int = THREADS_PER_CHUNK,
) -> dict:
    """`limit` threads of a version with all their replies: the first ones, the ones after
    the thread `after`, or the ones from the thread `starting_at` on. Three queries.

    Returns `comments` (flat, as `thread_comments`), `threads` (their first comments) and
    `next_after`: the last thread's id when more threads follow, else None.
    """
    roots = thread_roots(version=version, hide_resolved=hide_resolved)
    if after is not None:
        roots = _from_thread(roots, version=version, thread=after, inclusive=False)
    elif starting_at is not None:
        roots = _from_thread(roots, version=version, thread=starting_at, inclusive=True)
    threads = list(roots[: limit + 1])
    more = len(threads) > limit
    threads = threads[:limit]
    return {
        "comments": thread_comments(version=version, roots=threads),
        "threads": threads,
        "next_after": threads[-1].pk if more else None,
    }


def thread_markers(*, version, hide_resolved: bool = False) -> list[ThreadMarker]:
    """Every thread of a version for the timeline, in reading order: one query of four
    columns, no comment objects, no mentions, the rows as the database returns them."""
    resolved = ExpressionWrapper(Q(resolved_at__isnull=False), output_field=BooleanField())
    rows = (
        _threads(version=version, hide_resolved=hide_resolved)
        .annotate(resolved=resolved)
        .order_by(*READING_ORDER)
        .values_list("id", "time_ms", "end_ms", "resolved")
    )
    return list(rows)


def version_review(
    *,
    version,
    hide_resolved: bool = False,
    after: int | None = None,
    thread: int | None = None,
    limit: int = THREADS_PER_CHUNK,
) -> dict:
    """What the review page shows of a version's comments, in three queries (four when
    `thread` is a reply): a chunk of threads as `thread_chunk` returns it, `markers` for
    every thread shown (`ThreadMarker`s), the open and resolved counts and `has_earlier`
    (threads come before the chunk).

    `after` continues after that thread ("Load more"). `thread` (any comment's id) makes sure
    its thread is shown: the first chunk holds it, or the chunk starts with it.

    The markers are read first, every thread's: they give the counts and the chunk's threads
    by position, so the chunk is read by id with its replies in one query.
    """
    every = thread_markers(version=version)
    markers = [marker for marker in every if not marker[3]] if hide_resolved else every
    ids = [marker[0] for marker in markers]
    start = 0
    if after is not None:  # after a thread not shown (gone, or hidden): nothing more to show
        start = ids.index(after) + 1 if after in ids else len(ids)
    elif thread is not None:
        position = {pk: index for index, pk in enumerate(ids)}
        root = thread if thread in position else _thread_of(version=version, comment=thread)
        if position.get(root, 0) >= limit:
            start = position[root]
    chosen = ids[start : start + limit]
    roots, comments = _threads_begun_by(version=version, ids=chosen)
    resolved = sum(1 for marker in every if marker[3])
    return {
        "comments": comments,
        "threads": roots,
        "next_after": chosen[-1] if start + limit < len(ids) else None,
        "open_count": len(every) - resolved,
        "resolved_count": resolved,
        "markers": markers,
        "has_earlier": start > 0,
    }


def _thread_of(*, version, comment: int) -> int | None:
    """The id of the first comment of the thread that comment `comment` is in."""
    row = Comment.objects.filter(version=version, pk=comment).values_list("id", "thread_id")
    found = row.first()
    return (found[1] or found[0]) if found else None


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


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True).count()


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
