"""How a generated post does: its audience, reached over its first days as the sandbox
channel's posts reach theirs — audience × (1 − e^(−hours/pace)) — and its own rates per view.

Which posts do well is not random: templates differ (a reach and an engagement factor each),
and so do publishing weekdays and hours (evenings and midweek reach more people), so the
dashboard's best templates and best times have something to find. A counter the platform does
not report (integrations/publishers/) stays None.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from integrations.publishers.sandbox import STATISTICS_RATES

PLATFORMS = ("youtube", "instagram", "tiktok", "facebook", "x")
COUNTERS = ("views", "likes", "comments", "shares", "saves", "average_watch_seconds", "impressions")
REPORTED = {
    "youtube": {"views", "likes", "comments", "shares", "average_watch_seconds"},
    "instagram": {"views", "likes", "comments", "shares", "saves", "average_watch_seconds"},
    "tiktok": {"views", "likes", "comments", "shares"},
    "facebook": {"views", "likes", "comments", "shares", "average_watch_seconds"},
    "x": {"views", "likes", "comments", "shares", "saves", "impressions"},
}
AUDIENCE = {"youtube": 5000, "instagram": 7000, "tiktok": 11000, "facebook": 2500, "x": 1500}
# Per view: (counter, lowest, highest), as the sandbox channel's.
RATES = STATISTICS_RATES
ENGAGEMENTS = ("likes", "comments", "shares", "saves")
# When people publish (weights per UTC hour), and how many they reach on each weekday.
PUBLISH_HOURS = (1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 10, 12, 10, 9, 9, 10, 12, 14, 13, 10, 7, 4, 2)
WEEKDAY_REACH = (0.9, 1.15, 1.3, 1.1, 0.95, 0.7, 0.75)  # Monday first


@dataclass(frozen=True, slots=True)
class Curve:
    """One post's numbers as it ages: `at(hours)` never falls as `hours` grows."""

    audience: float
    pace_hours: float
    rates: dict[str, float]
    watch_seconds: float
    reported: frozenset[str]

    def at(self, hours: float) -> tuple:
        """The counters (in COUNTERS order) `hours` after publishing."""
        views = math.floor(self.audience * (1 - math.exp(-hours / self.pace_hours)))
        numbers = {name: math.floor(views * rate) for name, rate in self.rates.items()}
        numbers["views"] = views
        numbers["average_watch_seconds"] = self.watch_seconds if views else None
        return tuple(numbers[name] if name in self.reported else None for name in COUNTERS)


def spread_factors(rng: random.Random, count: int, low: float, high: float) -> list[float]:
    """`count` factors spread geometrically from `low` to `high`, in random order."""
    steps = max(count - 1, 1)
    factors = [low * (high / low) ** (n / steps) for n in range(count)]
    rng.shuffle(factors)
    return factors


def publish_time(rng: random.Random, *, start: dt.datetime, now: dt.datetime) -> dt.datetime:
    """A time in [start, now − 10 min) on any day, at an hour people publish."""
    latest = now - dt.timedelta(minutes=10)
    while True:
        day = (start + (latest - start) * rng.random()).date()
        hour = rng.choices(range(24), weights=PUBLISH_HOURS)[0]
        moment = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)
        moment += dt.timedelta(seconds=rng.randrange(3600))
        if start <= moment < latest:
            return moment


def time_reach(moment: dt.datetime) -> float:
    """How many people a post published at `moment` reaches, relative to other times: most in
    the evening, a little bump at noon, more midweek than at the weekend."""
    hour = moment.hour + moment.minute / 60
    evening = math.exp(-(((hour - 18.5) / 3) ** 2))
    noon = math.exp(-(((hour - 12) / 2) ** 2))
    return WEEKDAY_REACH[moment.weekday()] * (0.45 + 0.9 * evening + 0.3 * noon)


def curve_for(
    rng: random.Random,
    *,
    platform: str,
    published_at: dt.datetime,
    reach: float,
    engagement: float,
    seconds: float,
) -> Curve:
    """A post's curve: the platform's audience × the template's `reach` × the time's, with
    per-post noise; rates per view × the template's `engagement`."""
    audience = AUDIENCE[platform] * reach * time_reach(published_at) * rng.lognormvariate(0, 0.6)
    rates = {name: rng.uniform(low, high) for name, low, high in RATES}
    for name in ENGAGEMENTS:
        rates[name] *= engagement
    return Curve(
        audience=audience,
        pace_hours=rng.uniform(6, 60),
        rates=rates,
        watch_seconds=round(seconds * rng.uniform(0.35, 0.85), 1),
        reported=frozenset(REPORTED[platform]),
    )
