from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from .models import Membership, Role, Team
from .permissions import role_allows

CURRENT_WORKSPACE_SESSION_KEY = "current_workspace_id"


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
    if chosen is None and memberships:
        chosen = memberships[0]
    request._current_membership = chosen
    request._memberships = memberships
    return chosen


def workspace_for_page(request, action: str) -> Membership:
    """The membership of the workspace the page is about: ?workspace=, else the header's choice.

    Outsiders get 404 and a role without `action` 403, as the permission helper does.
    """
    wanted = request.GET.get("workspace")
    if wanted:
        membership = (
            Membership.objects.select_related("team")
            .filter(user=request.user, team_id=wanted)
            .first()
            if wanted.isdigit()
            else None
        )
    else:
        membership = current_membership(request=request)
    if membership is None:
        raise Http404
    if not role_allows(membership.role, action):
        raise PermissionDenied
    return membership


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
    from django.http import Http404

    membership = (
        Membership.objects.select_related("user", "team")
        .filter(team=workspace, user_id=user_id)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def version_comments(*, version, hide_resolved: bool = False) -> dict:
    """Every comment on a version in reading order, in two queries whatever their number.

    Returns `comments`: a flat list where each comment has `depth`, `thread_resolved` and
    `mentioned_users`; `threads`: the first comments of threads (for the timeline markers);
    and the open/resolved thread counts.
    """
    from django.db.models import Prefetch

    from .models import Comment, CommentMention

    rows = list(
        Comment.objects.filter(version=version)
        .select_related("author", "resolved_by")
        .prefetch_related(
            Prefetch("mention_rows", queryset=CommentMention.objects.select_related("user"))
        )
        .order_by("created_at", "id")
    )
    children: dict[int | None, list[Comment]] = {}
    for comment in rows:
        comment.version = version  # the one asked about: no query per comment to reach it
        comment.mentioned_users = [row.user for row in comment.mention_rows.all()]
        children.setdefault(comment.parent_id, []).append(comment)
    threads = sorted(children.get(None, []), key=lambda c: (c.time_ms, c.created_at, c.pk))
    ordered: list[Comment] = []
    for root in threads:
        if hide_resolved and root.resolved_at is not None:
            continue
        stack = [(root, 0)]
        while stack:  # depth-first without recursion: threads may be arbitrarily deep
            comment, depth = stack.pop()
            comment.depth = depth
            comment.thread_resolved = root.resolved_at is not None
            ordered.append(comment)
            stack.extend((child, depth + 1) for child in reversed(children.get(comment.pk, [])))
    resolved = sum(1 for root in threads if root.resolved_at is not None)
    return {
        "comments": ordered,
        "threads": [t for t in threads if not (hide_resolved and t.resolved_at)],
        "open_count": len(threads) - resolved,
        "resolved_count": resolved,
    }
