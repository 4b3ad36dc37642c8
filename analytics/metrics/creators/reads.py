"""The creators' dashboard's reads: a workspace's published posts and their counters at given
instants. Each function is one query, however many posts and snapshots there are: the posts
with correlated subqueries that probe the snapshots' (post, taken_at) index, a few per post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import JSONObject, TruncDate

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
    """A published post with its latest counters, what the dashboard shows of its video and
    template, its counters at the instants asked for (`readings`, `views_at`: absent or 0 before
    it was published) and its views 48 hours after publishing (None: not 48 hours old, or no
    snapshot reported views by then)."""

    id: int
    platform: str
    video_id: int
    video_title: str
    template_id: int
    template_key: str
    template_name: str
    published_at: dt.datetime
    latest: Counters
    readings: dict[dt.datetime, Counters] = field(default_factory=dict)
    views_at: dict[dt.datetime, int] = field(default_factory=dict)
    first_hours_views: int | None = None

    def at(self, instant: dt.datetime, *, now: dt.datetime) -> Counters:
        """The post's counters at `instant`, which must be now or later, or one asked for."""
        if instant >= now:
            return self.latest
        if instant in self.readings:
            return self.readings[instant] or NOTHING
        return Counters(views=self.views_at[instant])


def _counters(views, likes, comments, shares, average_watch_seconds) -> Counters:
    # A counter the platform did not report counts as 0 (videos/performance.py).
    return Counters(views or 0, likes or 0, comments or 0, shares or 0, average_watch_seconds)


def _published(workspace: Team, *, until: dt.datetime) -> QuerySet[PlatformPost]:
    return PlatformPost.objects.filter(
        schedule__workspace=workspace, status=PostStatus.PUBLISHED, published_at__lt=until
    )


def _last_snapshot(bound) -> QuerySet[PostSnapshot]:
    # One backward probe of the (post, taken_at) index per post.
    return PostSnapshot.objects.filter(post=OuterRef("pk"), taken_at__lte=bound).order_by(
        "-taken_at"
    )


def _reading_at(instant: dt.datetime) -> Case:
    """The post's counters at `instant` as one JSON value (one probe, not one per counter);
    nothing for a post published after it."""
    counters = JSONObject(**{name: name for name in (*SUMMED, "average_watch_seconds")})
    return Case(
        When(published_at__gt=instant, then=Value(None, output_field=JSONField())),
        default=Subquery(
            _last_snapshot(instant).values(counters=counters)[:1], output_field=JSONField()
        ),
        output_field=JSONField(),
    )


def _views_at(bound, *, published_after=None) -> Case | Subquery:
    views = Subquery(_last_snapshot(bound).values("views")[:1], output_field=BigIntegerField())
    if published_after is None:
        return views
    return Case(
        When(published_at__gt=published_after, then=Value(None)),
        default=views,
        output_field=BigIntegerField(),
    )


def published_posts(
    *,
    workspace: Team,
    until: dt.datetime,
    now: dt.datetime,
    readings: Iterable[dt.datetime] = (),
    views_at: Iterable[dt.datetime] = (),
) -> list[Post]:
    """Every post of the workspace published before `until`, with its latest counters, its
    counters at each of `readings`, its views at each of `views_at` and its views 48 hours after
    publishing: one query, a few index probes per post."""
    readings, views_at = sorted(set(readings)), sorted(set(views_at) - set(readings))
    first_hours_bound = ExpressionWrapper(
        OuterRef("published_at") + FIRST_HOURS, output_field=DateTimeField()
    )
    annotations = {
        **{f"reading_{index}": _reading_at(instant) for index, instant in enumerate(readings)},
        **{
            f"views_{index}": _views_at(instant, published_after=instant)
            for index, instant in enumerate(views_at)
        },
        "first_hours_views": _views_at(first_hours_bound, published_after=now - FIRST_HOURS),
    }
    rows = (
        _published(workspace, until=until)
        .annotate(**annotations)
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
            *annotations,
        )
    )
    posts = []
    for row in rows:
        counters_read = row[13 : 13 + len(readings)]
        views_read = row[13 + len(readings) : -1]
        posts.append(
            Post(
                *row[:8],
                latest=_counters(*row[8:13]),
                readings={
                    instant: _counters(**read) if read else NOTHING
                    for instant, read in zip(readings, counters_read, strict=True)
                },
                views_at={
                    instant: views or 0 for instant, views in zip(views_at, views_read, strict=True)
                },
                first_hours_views=row[-1],
            )
        )
    return posts


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
