"""The creators' dashboard's figures for one workspace and date range (README, "Creators'
dashboard", has the definitions).

A post's counters grow over its life; a range's figure is what its posts gained during the
range: each post's counters at the range's end less its counters at its start (as of its last
snapshot at or before each instant), never below zero per post (a platform that removes spam
views lowers a count, which is not negative activity).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from integrations.models import Platform
from teams.models import Team
from videocreator.choices import choice_label

from ..routing import reading_analytics
from . import reads
from .insights import workspace_insights
from .reads import NOTHING, Counters, Post
from .sums import gained, totals

TOP_VIDEOS = 5
ACTIVITY_DAYS = 7
# A change within ±5 % is "stable".
TREND_BAND = 0.05


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def month_start(day: dt.date) -> dt.datetime:
    return day_start(day.replace(day=1))


def previous_month_start(day: dt.date) -> dt.datetime:
    first = day.replace(day=1)
    return month_start(first - dt.timedelta(days=1))


def growth_rate(current: int, previous: int) -> float | None:
    return (current - previous) / previous if previous else None


def trend(current: int, previous: int) -> str:
    """ "up", "down" or "stable": a change of more than TREND_BAND of the previous figure (from
    nothing, any rise is up)."""
    rate = growth_rate(current, previous)
    if rate is None:
        return "up" if current > 0 else "stable"
    if rate > TREND_BAND:
        return "up"
    if rate < -TREND_BAND:
        return "down"
    return "stable"


def post_gains(posts: list[Post], since, until, *, now) -> dict[int, Counters]:
    """What each post gained between two instants (each now or later, or read with the posts)."""
    return {post.id: gained(post.at(until, now=now), post.at(since, now=now)) for post in posts}


def _platform_rows(posts: list[Post], gains: dict[int, Counters], since, until) -> list[dict]:
    by_platform: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        by_platform[post.platform].append(post)
    all_views = sum(item.views for item in gains.values())
    rows = []
    for platform, platform_posts in by_platform.items():
        in_range = [post for post in platform_posts if since <= post.published_at < until]
        figures = totals(gains.get(post.id, NOTHING) for post in platform_posts)
        if not in_range and not figures["views"]:
            continue
        rows.append(
            {
                "platform": platform,
                "label": choice_label(Platform, platform),
                "posts": len(in_range),
                "videos": len({post.video_id for post in in_range}),
                **figures,
                "share_of_views": figures["views"] / all_views if all_views else None,
            }
        )
    rows.sort(key=lambda row: (-row["views"], -row["posts"], row["platform"]))
    return rows


def _top_videos(posts: list[Post], gains: dict[int, Counters]) -> list[dict]:
    by_video: dict[int, list[Post]] = defaultdict(list)
    for post in posts:
        by_video[post.video_id].append(post)
    ranked = []
    for video_id, video_posts in by_video.items():
        figures = totals(gains.get(post.id, NOTHING) for post in video_posts)
        if figures["views"]:
            platforms = sorted({post.platform for post in video_posts})
            ranked.append(
                {
                    "video_id": video_id,
                    "title": video_posts[0].video_title,
                    **figures,
                    "platforms": platforms,
                    "platform_labels": [choice_label(Platform, name) for name in platforms],
                }
            )
    ranked.sort(key=lambda row: (-row["views"], row["video_id"]))
    return ranked[:TOP_VIDEOS]


def _activity(posts: list[Post], *, workspace: Team, end: dt.date) -> list[dict]:
    first = end - dt.timedelta(days=ACTIVITY_DAYS - 1)
    created = reads.videos_created_by_day(
        workspace=workspace, since=day_start(first), until=day_start(end + dt.timedelta(days=1))
    )
    published: dict[dt.date, set[int]] = defaultdict(set)
    for post in posts:
        day = post.published_at.astimezone(dt.UTC).date()
        if first <= day <= end:
            published[day].add(post.video_id)
    return [
        {"day": day, "created": created.get(day, 0), "published": len(published[day])}
        for day in (first + dt.timedelta(days=offset) for offset in range(ACTIVITY_DAYS))
    ]


def views_gained(posts: list[Post], since, until, *, now) -> int:
    """The views the posts gained between two instants (as `post_gains` counts them)."""
    return sum(
        max(post.at(until, now=now).views - post.at(since, now=now).views, 0) for post in posts
    )


def _growth(posts, counts: dict, *, now, this_start, until, last_start, last_until):
    views_now = views_gained(posts, this_start, until, now=now)
    views_before = views_gained(posts, last_start, last_until, now=now)
    videos_now, videos_before = counts["this_month"], counts["last_month"]
    return {
        "this_month": {
            "start": this_start,
            "until": until,
            "videos": videos_now,
            "views": views_now,
        },
        "last_month": {
            "start": last_start,
            "until": last_until,
            "videos": videos_before,
            "views": views_before,
        },
        "videos": {
            "growth": growth_rate(videos_now, videos_before),
            "trend": trend(videos_now, videos_before),
        },
        "views": {
            "growth": growth_rate(views_now, views_before),
            "trend": trend(views_now, views_before),
        },
    }


def creators_report(
    *,
    workspace: Team,
    start: dt.date,
    end: dt.date,
    now: dt.datetime | None = None,
    zone: dt.tzinfo | None = None,
) -> dict:
    """Every figure of the creators' dashboard for `workspace` over the UTC days start..end,
    read from the analytics replica when one is configured (`routing`).

    The best times to publish are in `zone` (the reader's time zone)."""
    with reading_analytics():
        return _report(workspace=workspace, start=start, end=end, now=now, zone=zone)


def _report(*, workspace, start, end, now, zone) -> dict:
    now = now or timezone.now()
    since = day_start(start)
    until = min(day_start(end + dt.timedelta(days=1)), now)
    # "This month" is the range's last month up to the range's end; last month, as many days.
    this_start = month_start(end)
    last_start = previous_month_start(end)
    last_until = min(last_start + (until - this_start), this_start)

    posts = reads.published_posts(
        workspace=workspace,
        until=until,
        now=now,
        readings=[instant for instant in (since, until) if instant < now],
        views_at=[instant for instant in (this_start, last_start, last_until) if instant < now],
    )
    gains = post_gains(posts, since, until, now=now)
    counts = reads.video_counts(
        workspace=workspace,
        periods={
            "in_range": (since, until),
            "this_month": (this_start, until),
            "last_month": (last_start, last_until),
        },
    )
    in_range = [post for post in posts if since <= post.published_at < until]
    return {
        "workspace": workspace,
        "start": start,
        "end": end,
        "now": now,
        "overview": {
            "videos": counts["total"],
            "videos_created": counts["in_range"],
            "videos_published": len({post.video_id for post in in_range}),
            "posts_published": len(in_range),
            **totals(gains.values()),
        },
        "growth": _growth(
            posts,
            counts,
            now=now,
            this_start=this_start,
            until=until,
            last_start=last_start,
            last_until=last_until,
        ),
        "top_videos": _top_videos(posts, gains),
        "platforms": _platform_rows(posts, gains, since, until),
        "activity": _activity(posts, workspace=workspace, end=end),
        "insights": workspace_insights(posts=posts, zone=zone or dt.UTC),
    }
