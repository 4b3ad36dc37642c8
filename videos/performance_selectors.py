"""How one video performs on the platforms it was published to: each published post with its
latest numbers, totals across the platforms, and each post's views over time.

Two queries however many posts and snapshots there are (one without the series, for the video
page's card). No permission logic: the caller passes a video it fetched with `get_for_user`.
Engagement rate is `performance.engagement_rate`, the one definition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F

from integrations.models import Platform
from videocreator.choices import choice_label

from .models import PlatformPost, PostSnapshot, PostStatus, Video
from .performance import engagement_rate

COUNTERS = ("views", "likes", "comments", "shares", "saves", "impressions")


@dataclass(frozen=True)
class SeriesPoint:
    taken_at: dt.datetime
    views: int


@dataclass(frozen=True)
class PostPerformance:
    """One published post: its latest numbers as its platform last reported them (None: not
    reported), and its views over time (snapshots that reported views, oldest first)."""

    id: int
    schedule_id: int
    platform: str
    platform_label: str
    remote_url: str
    published_at: dt.datetime | None
    version_number: int | None  # None: the version it published was since deleted
    views: int | None
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None
    impressions: int | None
    average_watch_seconds: float | None
    stats_taken_at: dt.datetime | None
    deleted: bool  # deleted on the platform: the numbers are the last it reported
    engagement_rate: float | None
    share_of_views: float | None  # of the video's total views, 0..1
    series: list[SeriesPoint] = field(default_factory=list)


@dataclass(frozen=True)
class PerformanceTotals:
    """Sums across the posts (None: no post reported that counter). The engagement rate and
    the average watch time (weighted by views) count only the posts that reported views, so
    that likes of a post without views do not inflate the rate."""

    views: int | None
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None
    impressions: int | None
    engagement_rate: float | None
    average_watch_seconds: float | None


@dataclass(frozen=True)
class VideoPerformance:
    video: Video
    posts: list[PostPerformance]
    totals: PerformanceTotals

    @property
    def has_statistics(self) -> bool:
        """Whether any post's numbers have come in yet."""
        return any(post.stats_taken_at is not None for post in self.posts)

    @property
    def has_series(self) -> bool:
        return any(post.series for post in self.posts)


def _sum(rows: list[dict], key: str) -> int | None:
    values = [row[key] for row in rows if row[key] is not None]
    return sum(values) if values else None


def performance_totals(rows: list[dict]) -> PerformanceTotals:
    """Totals of posts' counters (dicts with the COUNTERS and `average_watch_seconds`)."""
    with_views = [row for row in rows if row["views"]]
    watched = [row for row in with_views if row["average_watch_seconds"] is not None]
    watched_views = sum(row["views"] for row in watched)
    return PerformanceTotals(
        **{key: _sum(rows, key) for key in COUNTERS},
        engagement_rate=engagement_rate(
            likes=_sum(with_views, "likes"),
            comments=_sum(with_views, "comments"),
            shares=_sum(with_views, "shares"),
            views=_sum(with_views, "views"),
        ),
        average_watch_seconds=(
            sum(row["average_watch_seconds"] * row["views"] for row in watched) / watched_views
            if watched_views
            else None
        ),
    )


def _series(post_ids: list[int]) -> dict[int, list[SeriesPoint]]:
    """Each post's snapshots that reported views, oldest first: one query."""
    series: dict[int, list[SeriesPoint]] = {post_id: [] for post_id in post_ids}
    if not post_ids:
        return series
    rows = (
        PostSnapshot.objects.filter(post_id__in=post_ids, views__isnull=False)
        .order_by("post_id", "taken_at", "id")
        .values_list("post_id", "taken_at", "views")
    )
    for post_id, taken_at, views in rows:
        series[post_id].append(SeriesPoint(taken_at=taken_at, views=views))
    return series


def video_performance(*, video: Video, with_series: bool = True) -> VideoPerformance:
    """The video's published posts (oldest first) with their numbers, and the totals.

    One query for the posts and, `with_series`, one for all their snapshots."""
    rows = list(
        PlatformPost.objects.filter(schedule__video=video, status=PostStatus.PUBLISHED)
        .annotate(version_number=F("schedule__version__number"))
        .order_by(F("published_at").asc(nulls_last=True), "platform", "id")
        .values(
            "id",
            "schedule_id",
            "platform",
            "remote_url",
            "published_at",
            "version_number",
            *COUNTERS,
            "average_watch_seconds",
            "stats_taken_at",
            "stats_deleted",
        )
    )
    totals = performance_totals(rows)
    series = _series([row["id"] for row in rows]) if with_series else {}
    posts = [
        PostPerformance(
            id=row["id"],
            schedule_id=row["schedule_id"],
            platform=row["platform"],
            platform_label=choice_label(Platform, row["platform"]),
            remote_url=row["remote_url"],
            published_at=row["published_at"],
            version_number=row["version_number"],
            **{key: row[key] for key in COUNTERS},
            average_watch_seconds=row["average_watch_seconds"],
            stats_taken_at=row["stats_taken_at"],
            deleted=row["stats_deleted"],
            engagement_rate=engagement_rate(
                likes=row["likes"],
                comments=row["comments"],
                shares=row["shares"],
                views=row["views"],
            ),
            share_of_views=(
                row["views"] / totals.views if totals.views and row["views"] is not None else None
            ),
            series=series.get(row["id"], []),
        )
        for row in rows
    ]
    return VideoPerformance(video=video, posts=posts, totals=totals)
