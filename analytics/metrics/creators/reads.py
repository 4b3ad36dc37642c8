"""The creators' dashboard's reads: a workspace's published posts and their counters at given
instants. Each function is one query, however many posts and snapshots there are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateTimeField,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate

from teams.models import Team
from videos.models import PlatformPost, PostSnapshot, PostStatus, Video

# The counters the dashboard adds up (average watch time is weighted, not added).
SUMMED = ("views", "likes", "comments", "shares")
FIRST_HOURS = dt.timedelta(hours=48)


@dataclass(frozen=True, slots=True)
class Counters:
    views: int = 0
    likes: int = 0
    comments: int = 0
    shares: int = 0
    average_watch_seconds: float | None = None


NOTHING = Counters()


@dataclass(frozen=True, slots=True)
class Post:
    """A published post with its latest counters, and what the dashboard shows of its video
    and template (read with it: no query per top video or template)."""

    id: int
    platform: str
    video_id: int
    video_title: str
    template_id: int
    template_key: str
    template_name: str
    published_at: dt.datetime
    latest: Counters


def _counters(views, likes, comments, shares, average_watch_seconds) -> Counters:
    # A counter the platform did not report counts as 0 (videos/performance.py).
    return Counters(views or 0, likes or 0, comments or 0, shares or 0, average_watch_seconds)


def _published(workspace: Team, *, until: dt.datetime) -> QuerySet[PlatformPost]:
    return PlatformPost.objects.filter(
        schedule__workspace=workspace, status=PostStatus.PUBLISHED, published_at__lt=until
    )


def published_posts(*, workspace: Team, until: dt.datetime) -> list[Post]:
    """Every post of the workspace published before `until`, with its latest counters."""
    rows = (
        _published(workspace, until=until)
        .order_by("pk")
        .values_list(
            "pk",
            "platform",
            "schedule__video_id",
            "schedule__video__title",
            "schedule__video__template_id",
            "schedule__video__template__key",
            "schedule__video__template__name",
            "published_at",
            *SUMMED,
            "average_watch_seconds",
        )
    )
    return [Post(*row[:8], latest=_counters(*row[8:])) for row in rows]


def _snapshot_counters(posts: QuerySet[PlatformPost], bound) -> dict[int, Counters]:
    # One index probe per post for its last snapshot at or before the bound, then those rows.
    last = (
        PostSnapshot.objects.filter(post=OuterRef("pk"), taken_at__lte=bound)
        .order_by("-taken_at")
        .values("pk")[:1]
    )
    rows = PostSnapshot.objects.filter(
        pk__in=posts.annotate(snapshot=Subquery(last)).values("snapshot")
    ).values_list("post_id", *SUMMED, "average_watch_seconds")
    return {post_id: _counters(*counters) for post_id, *counters in rows}


def counters_at(*, workspace: Team, instant: dt.datetime) -> dict[int, Counters]:
    """Each post's counters as its last snapshot at or before `instant` had them. A post with
    no snapshot by then is left out (its counters were 0)."""
    return _snapshot_counters(_published(workspace, until=instant), instant)


def first_hours_counters(*, workspace: Team, now: dt.datetime) -> dict[int, Counters]:
    """Each post published at least 48 hours before `now`: its counters 48 hours after it was
    published (its last snapshot by then)."""
    bound = ExpressionWrapper(OuterRef("published_at") + FIRST_HOURS, output_field=DateTimeField())
    return _snapshot_counters(_published(workspace, until=now - FIRST_HOURS), bound)


def video_counts(*, workspace: Team, periods: dict[str, tuple[dt.datetime, dt.datetime]]) -> dict:
    """Videos in the workspace now, and videos created in each named period, in one query."""
    return Video.objects.filter(workspace=workspace).aggregate(
        total=Count("pk"),
        **{
            name: Count("pk", filter=Q(created_at__gte=since, created_at__lt=until))
            for name, (since, until) in periods.items()
        },
    )


def videos_created_by_day(
    *, workspace: Team, since: dt.datetime, until: dt.datetime
) -> dict[dt.date, int]:
    """Videos created on each UTC day of [since, until)."""
    rows = (
        Video.objects.filter(workspace=workspace, created_at__gte=since, created_at__lt=until)
        .annotate(day=TruncDate("created_at", tzinfo=dt.UTC))
        .values("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
    )
    return dict(rows)
