"""Reads of a version's review comments: threads in reading order, a chunk at a time, and the
timeline's markers for every thread."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connections
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)

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


@dataclass(frozen=True)
class TimelineMarkers:
    """The threads a review page marks on its timeline, and how many are open and resolved."""

    rows: list[ThreadMarker]  # in reading order; without the resolved ones when hidden
    json: str  # `rows` as compact JSON for review.js: [[id, time_ms, end_ms, resolved], …]
    open_count: int
    resolved_count: int


def _compact_json(rows: list) -> str:
    return json.dumps(rows, separators=(",", ":"))


# PostgreSQL writes the markers' JSON itself: for thousands of threads, one text value instead
# of thousands of rows to fetch, convert and encode again (2.4 ms → 0.9 ms at 2,500 threads).
# Only numbers, null and booleans in it, so taking out the spaces json_agg puts after commas
# changes nothing else.
MARKERS_SQL = """
    SELECT COUNT(*) FILTER (WHERE resolved_at IS NULL),
           COUNT(*) FILTER (WHERE resolved_at IS NOT NULL),
           REPLACE(COALESCE(JSON_AGG(
               JSON_BUILD_ARRAY(id, time_ms, end_ms, resolved_at IS NOT NULL)
               ORDER BY time_ms, created_at, id
           ) FILTER (WHERE resolved_at IS NULL OR NOT %s), '[]')::text, ' ', '')
    FROM {table}
    WHERE version_id = %s AND parent_id IS NULL
"""


def thread_markers(*, version, hide_resolved: bool = False) -> TimelineMarkers:
    """Every thread of a version for the timeline, in reading order (without the resolved ones
    when `hide_resolved`), with the open and resolved counts: one query of four columns, no
    comment objects, no mentions."""
    connection = connections[Comment.objects.db]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                MARKERS_SQL.format(table=connection.ops.quote_name(Comment._meta.db_table)),
                [hide_resolved, version.pk],
            )
            open_count, resolved_count, text = cursor.fetchone()
        rows = [tuple(row) for row in json.loads(text)]
        return TimelineMarkers(rows, text, open_count, resolved_count)
    resolved = ExpressionWrapper(Q(resolved_at__isnull=False), output_field=BooleanField())
    every = list(
        _threads(version=version, hide_resolved=False)
        .annotate(resolved=resolved)
        .order_by(*READING_ORDER)
        .values_list("id", "time_ms", "end_ms", "resolved")
    )
    rows = [row for row in every if not row[3]] if hide_resolved else every
    resolved_count = sum(1 for row in every if row[3])
    return TimelineMarkers(rows, _compact_json(rows), len(every) - resolved_count, resolved_count)


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
    every thread shown (`ThreadMarker`s) and `markers_json` (the same as JSON), the open and
    resolved counts and `has_earlier` (threads come before the chunk).

    `after` continues after that thread ("Load more"). `thread` (any comment's id) makes sure
    its thread is shown: the first chunk holds it, or the chunk starts with it.

    The markers are read first, every thread's: they give the counts and the chunk's threads
    by position, so the chunk is read by id with its replies in one query.
    """
    markers = thread_markers(version=version, hide_resolved=hide_resolved)
    ids = [marker[0] for marker in markers.rows]
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
    return {
        "comments": comments,
        "threads": roots,
        "next_after": chosen[-1] if start + limit < len(ids) else None,
        "open_count": markers.open_count,
        "resolved_count": markers.resolved_count,
        "markers": markers.rows,
        "markers_json": markers.json,
        "has_earlier": start > 0,
    }


def _thread_of(*, version, comment: int) -> int | None:
    """The id of the first comment of the thread that comment `comment` is in."""
    row = Comment.objects.filter(version=version, pk=comment).values_list("id", "thread_id")
    found = row.first()
    return (found[1] or found[0]) if found else None
