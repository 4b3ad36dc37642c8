"""Reads of a version's review comments: threads in reading order, a chunk at a time, and the
timeline's markers for every thread."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    JSONField,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from ..models import Comment, CommentMention

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


def thread_roots(*, version, hide_resolved: bool = False) -> QuerySet[int]:
    """The ids of a version's threads (their first comments) in reading order.

    Slice it (or paginate it) and hand the slice to `thread_comments`. Ids alone, so that a
    page far down the list skips the threads before it in the index, not by joining their
    authors and reading their mentions.
    """
    threads = _threads(version=version, hide_resolved=hide_resolved)
    return threads.order_by(*READING_ORDER).values_list("id", flat=True)


def thread_comments(*, version, roots) -> list[Comment]:
    """The threads begun by the comments `roots` (ids of first comments, in reading order) as
    one flat list: each first comment followed by its replies depth-first, oldest reply first.

    Each comment gets `depth` (0 for the first), `thread_resolved` and `mentioned_users`.
    One query however many threads and replies (authors, resolvers and mentions with them).
    """
    return _threads_begun_by(version=version, ids=list(roots))[1]


# The review page and the comments API read a comment's mentions and a version's counts along
# with other rows, as subqueries written in SQL: the same subqueries built with Django's
# Subquery cost more to build, relabel and compile (about 1 ms each, every request) than the
# database takes to run them, and reading them in a query of their own costs a round trip.
_MENTIONS_SQL = (
    "(SELECT {aggregate}({element}(m.id, u.id, u.email, u.name)) FROM {mention} m"
    " JOIN {user} u ON u.id = m.user_id WHERE m.comment_id = %(expressions)s)"
)
_COUNT_SQL = (
    "(SELECT COUNT(*) FROM {comment} WHERE version_id = %s AND parent_id IS NULL"
    " AND resolved_at IS {condition})"
)


class _MentionedPeople(Func):
    """The people a comment mentions as a JSON list of [mention, user id, e-mail, name]."""

    output_field = JSONField()

    def _template(self, aggregate: str, element: str) -> str:
        return _MENTIONS_SQL.format(
            aggregate=aggregate,
            element=element,
            mention=CommentMention._meta.db_table,
            user=get_user_model()._meta.db_table,
        )

    def as_sql(self, compiler, connection, **extra_context):
        template = self._template("JSON_GROUP_ARRAY", "JSON_ARRAY")
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        # jsonb: Django reads it as text and decodes it as any JSONField.
        template = self._template("JSONB_AGG", "JSONB_BUILD_ARRAY")
        return super().as_sql(compiler, connection, template=template, **extra_context)


def _with_people(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """Comments with their authors and resolvers, and the people each mentions (as
    `mentions_json`, read by `_mentioned_users`), in one query."""
    return (
        comments.select_related("author", "resolved_by")
        .annotate(mentions_json=_MentionedPeople(F("pk")))
        .order_by("created_at", "id")
    )


def _mentioned_users(comment: Comment) -> list:
    """The people `comment` mentions, in the order they were mentioned: users with the id,
    e-mail and name that pages and the API show of them, not whole models."""
    user = get_user_model()
    people = sorted(comment.mentions_json or [])  # none is [] on SQLite, NULL on PostgreSQL
    return [user(id=pk, email=email, name=name) for _, pk, email, name in people]


def _count_columns(*, version) -> dict[str, RawSQL]:
    """`thread_counts` as two columns of another query of the version's comments."""

    def count(condition: str) -> RawSQL:
        sql = _COUNT_SQL.format(comment=Comment._meta.db_table, condition=condition)
        # Only constants and a table name in the SQL; the version is a parameter.
        return RawSQL(sql, [version.pk], output_field=IntegerField())  # noqa: S611

    return {"open_count": count("NULL"), "resolved_count": count("NOT NULL")}


def _threads_begun_by(*, version, ids: list[int]) -> tuple[list[Comment], list[Comment]]:
    """The threads begun by comments `ids` (in reading order): their first comments in that
    order, and the threads as `thread_comments` returns them. One query: the first comments
    with their replies and the people they mention."""
    if not ids:
        return [], []
    rows = list(_with_people(Comment.objects.filter(Q(pk__in=ids) | Q(thread__in=ids))))
    firsts = {row.pk: row for row in rows if row.parent_id is None}
    roots = [firsts[pk] for pk in ids if pk in firsts]  # one may be gone meanwhile
    replies = [row for row in rows if row.parent_id is not None]
    return roots, _reading_order(version=version, roots=roots, replies=replies)


def _reading_order(*, version, roots: list[Comment], replies: list[Comment]) -> list[Comment]:
    """`roots` each followed by its replies (oldest first) depth-first, mentions loaded."""
    rows = [*roots, *replies]
    children: dict[int, list[Comment]] = {}
    for comment in rows:
        comment.version = version  # the one asked about: no query per comment to reach it
        comment.mentioned_users = _mentioned_users(comment)
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


def _from_thread(roots: QuerySet[Comment], *, version, thread: int | Subquery, inclusive: bool):
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
    the thread `after`, or the ones from the thread `starting_at` on. Two queries.

    Returns `comments` (flat, as `thread_comments`), `threads` (their first comments) and
    `next_after`: the last thread's id when more threads follow, else None.
    """
    roots = _threads(version=version, hide_resolved=hide_resolved).order_by(*READING_ORDER)
    if after is not None:
        roots = _from_thread(roots, version=version, thread=after, inclusive=False)
    elif starting_at is not None:
        roots = _from_thread(roots, version=version, thread=starting_at, inclusive=True)
    return _chunk(version=version, ids=_first_ids(roots, limit), limit=limit)


def _chunk(*, version, ids: list[int], limit: int) -> dict:
    """The threads begun by the first `limit` of `ids` (one more id tells that more follow),
    as `thread_chunk` returns them. One query."""
    threads, comments = _threads_begun_by(version=version, ids=ids[:limit])
    return {
        "comments": comments,
        "threads": threads,
        "next_after": ids[limit - 1] if len(ids) > limit else None,
    }


def thread_markers(*, version, hide_resolved: bool = False) -> list[ThreadMarker]:
    """Every thread of a version for the timeline, in reading order (without the resolved ones
    when `hide_resolved`): one query of four columns, no comment objects, no mentions, the rows
    as the database returns them."""
    resolved = ExpressionWrapper(Q(resolved_at__isnull=False), output_field=BooleanField())
    rows = (
        _threads(version=version, hide_resolved=hide_resolved)
        .annotate(resolved=resolved)
        .order_by(*READING_ORDER)
        .values_list("id", "time_ms", "end_ms", "resolved")
    )
    return list(rows)


def thread_counts(*, version) -> dict[str, int]:
    """How many of a version's threads are open and how many resolved. One query: the
    counting columns `version_review` reads along with its ids, on the version's own row."""
    counted = (
        type(version).objects.filter(pk=version.pk).annotate(**_count_columns(version=version))
    )
    return counted.values("open_count", "resolved_count").get()


def version_review(
    *,
    version,
    hide_resolved: bool = False,
    after: int | None = None,
    thread: int | None = None,
    limit: int = THREADS_PER_CHUNK,
) -> dict:
    """What the review page shows of a version's comments: a chunk of threads as
    `thread_chunk` returns it, the open and resolved counts, and `has_earlier` (threads come
    before the chunk). Two queries whatever the number of comments (the ids of the chunk's
    threads with the open and resolved counts; the threads with their replies and the people
    they mention), one more with `thread` or when no thread follows `after`.

    `after` continues after that thread ("Load more"). `thread` (any comment's id) makes sure
    its thread is shown: the first chunk holds it, or the chunk starts with it.

    The chunk's threads are chosen by id (no comment objects for the others) and read with
    their replies. The timeline's markers are not read here: review.js asks `thread_markers`
    for them (videos:comment_markers), so the page costs the same with 50 threads or 5,000.
    """
    roots = _threads(version=version, hide_resolved=hide_resolved).order_by(*READING_ORDER)
    if after is not None:  # "Load more" as a whole page
        roots = _from_thread(roots, version=version, thread=after, inclusive=False)
    rows = list(
        roots.annotate(**_count_columns(version=version)).values_list(
            "id", "open_count", "resolved_count"
        )[: limit + 1]
    )
    ids = [row[0] for row in rows]
    if rows:
        counts = {"open_count": rows[0][1], "resolved_count": rows[0][2]}
    elif not hide_resolved and after is None:
        counts = {"open_count": 0, "resolved_count": 0}  # no thread at all
    else:
        counts = thread_counts(version=version)
    has_earlier = after is not None
    if thread is not None and after is None:
        # The chunk that starts with the thread, and the thread itself, in one query.
        root = _root_of(version=version, comment=thread)
        starting = list(
            _from_thread(roots, version=version, thread=root, inclusive=True)
            .annotate(root=root)
            .values_list("id", "root")[: limit + 1]
        )
        found = starting[0][1] if starting else None
        if found is not None and starting[0][0] == found and found not in ids[:limit]:
            ids, has_earlier = [row[0] for row in starting], True
    return {
        **_chunk(version=version, ids=ids, limit=limit),
        **counts,
        "has_earlier": has_earlier,
    }


def _first_ids(roots: QuerySet[Comment], limit: int) -> list[int]:
    """The ids of the first `limit` + 1 of `roots`: one more tells that more follow."""
    return list(roots.values_list("id", flat=True)[: limit + 1])


def _root_of(*, version, comment: int) -> Subquery:
    """The id of the first comment of the thread comment `comment` is in, as a subquery."""
    row = Comment.objects.filter(pk=comment, version=version).annotate(
        root=Coalesce("thread_id", "id")
    )
    return Subquery(row.values("root")[:1])
