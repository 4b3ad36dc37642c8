"""Adding up posts' counters: the one place the dashboard's totals and rates are worked out."""

from __future__ import annotations

from collections.abc import Iterable

from videos.performance import engagement_rate

from .reads import SUMMED, Counters


def gained(after: Counters, before: Counters) -> Counters:
    """What a post gained between two readings, per counter never below zero; its average
    watch time is the later reading's."""
    return Counters(
        max(after.views - before.views, 0),
        max(after.likes - before.likes, 0),
        max(after.comments - before.comments, 0),
        max(after.shares - before.shares, 0),
        after.average_watch_seconds,
    )


def totals(counters: Iterable[Counters]) -> dict:
    """Summed counters; the engagement rate over the posts with views (a platform that
    reports likes but no views, as Instagram without the insights scope, would otherwise raise
    it), as on a video's performance page; the average watch time weighted by views, over
    the posts whose platform reports one."""
    sums = dict.fromkeys(SUMMED, 0)
    engaged = dict.fromkeys(SUMMED, 0)
    watched = weight = 0.0
    for item in counters:
        for name in SUMMED:
            sums[name] += getattr(item, name)
        if not item.views:
            continue
        for name in SUMMED:
            engaged[name] += getattr(item, name)
        if item.average_watch_seconds is not None:
            watched += item.average_watch_seconds * item.views
            weight += item.views
    return {
        **sums,
        "average_watch_seconds": watched / weight if weight else None,
        "engagement_rate": engagement_rate(**engaged),
    }
