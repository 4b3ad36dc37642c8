"""How a published post performs: the one definition of engagement rate, and how often a
post's statistics are polled as it ages (videos/publishing/statistics.py polls them)."""

from __future__ import annotations

import datetime as dt

HOURLY_UNTIL = dt.timedelta(hours=48)
DAILY_UNTIL = dt.timedelta(days=90)


def engagement_rate(
    *, likes: int | None, comments: int | None, shares: int | None, views: int | None
) -> float | None:
    """Engagement rate = (likes + comments + shares) ÷ views.

    A counter the platform did not report counts as 0; with no views (0 or unknown) there is
    no rate: None."""
    if not views:
        return None
    return ((likes or 0) + (comments or 0) + (shares or 0)) / views


def next_stats_poll(*, published_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """When to ask for a post's numbers next: hourly during its first 48 hours, daily until it
    is 90 days old, weekly after that."""
    age = now - (published_at or now)
    if age < HOURLY_UNTIL:
        return now + dt.timedelta(hours=1)
    if age < DAILY_UNTIL:
        return now + dt.timedelta(days=1)
    return now + dt.timedelta(weeks=1)
