"""A workspace's publishing history at scale, for the creators' dashboard and its benchmark
(`manage.py seed_performance`): videos made from the starter templates, schedules publishing
them to YouTube, Instagram, TikTok, Facebook and X, and each post's statistics snapshots.

Snapshots follow the poller's own schedule (`polls`: at publishing, hourly for 48 hours, daily
until 90 days, weekly after), from each post's publishing until now. When those are more than
asked for, every post keeps its last one and the rest are shared out in proportion to each
post's polls, evenly over its life. Counters never fall (`audience`); the post holds its last
snapshot's numbers, and `next_stats_at` is when the poller would ask next. The demo's history
(`demo_performance` in videocreator/demo.py) uses the same schedule.

Rows are written in bulk (PostgreSQL's COPY, an `executemany` INSERT on SQLite) with keys
handed out in advance, as `seed_analytics` writes its history (analytics.metrics.seeding.writer).
"""

from .audience import publish_time
from .generate import (
    GENERATED_PREFIX,
    PerformanceDataExists,
    PerformanceSummary,
    check_arguments,
    has_generated_history,
    performance_seed,
)
from .polls import apportion, kept_polls, poll_offsets, poll_times

__all__ = [
    "GENERATED_PREFIX",
    "PerformanceDataExists",
    "PerformanceSummary",
    "apportion",
    "check_arguments",
    "has_generated_history",
    "kept_polls",
    "performance_seed",
    "poll_offsets",
    "poll_times",
    "publish_time",
]
