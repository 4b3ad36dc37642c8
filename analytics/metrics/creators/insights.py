"""When to publish and which templates work, from a workspace's own posts (README, "Creators'
dashboard", defines them).

A post's *lift* is its views in its first 48 hours over the median of that figure among the
workspace's posts on the same platform: 1.5 means half as many views again as usual there.
Comparing within a platform keeps a platform with bigger audiences from deciding every answer.
A slot's or template's lift is the median of its posts' lifts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from statistics import median

from .reads import Counters, Post
from .sums import totals

# Below this many posts with first-48-hour views the page shows no best time: too few to say.
MIN_POSTS = 10
# A weekday, hour or template needs this many posts to be ranked.
MIN_PER_GROUP = 3
TOP_TEMPLATES = 5


def _lifts(posts: list[Post], first_views: dict[int, int]) -> list[tuple[Post, float]]:
    by_platform: dict[str, list[int]] = defaultdict(list)
    for post in posts:
        if post.id in first_views:
            by_platform[post.platform].append(first_views[post.id])
    usual = {platform: median(views) for platform, views in by_platform.items()}
    return [
        (post, first_views[post.id] / usual[post.platform])
        for post in posts
        if post.id in first_views and usual[post.platform] > 0
    ]


def _ranked(groups: dict, keys) -> list[dict]:
    """One row per key: how many posts, and their median lift when there are enough."""
    return [
        {
            "key": key,
            "posts": len(groups.get(key, [])),
            "lift": median(groups[key]) if len(groups.get(key, [])) >= MIN_PER_GROUP else None,
        }
        for key in keys
    ]


def _best(rows: list[dict]) -> dict | None:
    ranked = [row for row in rows if row["lift"] is not None]
    return max(ranked, key=lambda row: (row["lift"], row["posts"])) if ranked else None


def workspace_insights(*, posts: list[Post], zone: dt.tzinfo) -> dict:
    """The best weekday and hour to publish (in `zone`) and the best templates, from `posts`
    that are at least 48 hours old; nothing is ranked below `MIN_POSTS` such posts."""
    lifts = _lifts(
        posts,
        {post.id: post.first_hours_views for post in posts if post.first_hours_views is not None},
    )
    enough = len(lifts) >= MIN_POSTS
    by_weekday: dict[int, list[float]] = defaultdict(list)
    by_hour: dict[int, list[float]] = defaultdict(list)
    by_template: dict[int, list[float]] = defaultdict(list)
    for post, lift in lifts:
        local = post.published_at.astimezone(zone)
        by_weekday[local.weekday()].append(lift)
        by_hour[local.hour].append(lift)
        by_template[post.template_id].append(lift)
    weekdays = _ranked(by_weekday, range(7)) if enough else []
    hours = _ranked(by_hour, range(24)) if enough else []
    return {
        "posts": len(lifts),
        "minimum": MIN_POSTS,
        "enough": enough,
        "time_zone": str(zone),
        "weekdays": weekdays,
        "best_weekday": _best(weekdays),
        "hours": hours,
        "best_hour": _best(hours),
        "templates": _templates(posts, by_template) if enough else [],
    }


def _templates(posts: list[Post], by_template: dict[int, list[float]]) -> list[dict]:
    ranked = [row for row in _ranked(by_template, sorted(by_template)) if row["lift"] is not None]
    ranked.sort(key=lambda row: (-row["lift"], -row["posts"], row["key"]))
    ranked = ranked[:TOP_TEMPLATES]
    latest: dict[int, list[Counters]] = defaultdict(list)
    names: dict[int, tuple[str, str]] = {}
    for post in posts:
        latest[post.template_id].append(post.latest)
        names[post.template_id] = (post.template_key, post.template_name)
    rows = []
    for row in ranked:
        template_id = row["key"]
        key, name = names[template_id]
        rows.append(
            {
                "template_id": template_id,
                "template_key": key,
                "name": name,
                "posts": row["posts"],
                "lift": row["lift"],
                "engagement_rate": totals(latest[template_id])["engagement_rate"],
            }
        )
    return rows
