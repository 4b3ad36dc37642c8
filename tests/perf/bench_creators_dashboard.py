"""The creators' dashboard (/analytics/) at scale, against the floor of a one-line signed-in
view measured in the same rounds.

The data (issue 16 §Speed): `seed_performance` in one workspace — BENCH_CREATORS_POSTS
published posts (default 10,000) and BENCH_CREATORS_SNAPSHOTS statistics snapshots (default
1,000,000) over 365 days — then VACUUM ANALYZE, as autovacuum leaves a live database. A member
of the workspace (a viewer) requests each route in-process through the whole middleware stack
(server time, no network): 2 warm-ups each, then BENCH_CREATORS_RUNS rounds (default 20) in
which the routes take turns, so a burst of load from elsewhere falls on all of them alike, the
floor included. It prints p50 and p95 per route, each p95's ratio to the floor's, and each
route's query count.

Issue 16's target: the dashboard's server time under 1 s (asserted at p95 on PostgreSQL at the
full size).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_creators \\
        .venv/bin/pytest tests/perf/bench_creators_dashboard.py -s -p no:cacheprovider \\
        --override-ini="addopts="

Scale it down for a quick look with BENCH_CREATORS_POSTS=1000 BENCH_CREATORS_SNAPSHOTS=100000.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from teams.models import Membership, Role, Team
from tests.factories import UserFactory
from videocreator.performance_data import performance_seed

POSTS = int(os.environ.get("BENCH_CREATORS_POSTS", "10000"))
SNAPSHOTS = int(os.environ.get("BENCH_CREATORS_SNAPSHOTS", "1000000"))
RUNS = int(os.environ.get("BENCH_CREATORS_RUNS", "20"))
# BENCH_CREATORS_PROFILE=1 prints the default range's slowest queries (where its time goes).
PROFILE = os.environ.get("BENCH_CREATORS_PROFILE", "")
DAYS = 365
WARM_UPS = 2
TARGET_SECONDS = 1.0
FLOOR = "floor (one-line signed-in view)"


def _percentiles(client: Client, pages: dict[str, str]) -> dict[str, tuple[float, float]]:
    """p50 and p95 (seconds) per route, the routes taking turns one request each per round."""
    for path in pages.values():
        for _ in range(WARM_UPS):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
    seconds: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(RUNS):
        for name, path in pages.items():
            started = time.perf_counter()
            client.get(path)
            seconds[name].append(time.perf_counter() - started)
    results = {}
    for name, times in seconds.items():
        cuts = statistics.quantiles(times, n=20, method="inclusive")
        results[name] = (statistics.median(times), cuts[18])
    return results


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries.captured_queries)


def _profile(client: Client, path: str) -> None:
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:6]:
        print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:600]}")


@pytest.mark.timeout(1800)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.urls("tests.floor_urls")
def test_creators_dashboard_at_scale() -> None:
    owner = UserFactory()
    workspace = Team.objects.create(name="Scale Studio", created_by=owner)
    Membership.objects.create(team=workspace, user=owner, role=Role.OWNER)
    viewer = UserFactory()
    Membership.objects.create(team=workspace, user=viewer, role=Role.VIEWER)
    started = time.perf_counter()
    with transaction.atomic():  # committed here: the deferred foreign-key checks count too
        summary = performance_seed(
            workspace=workspace, posts=POSTS, snapshots=SNAPSHOTS, days=DAYS, seed=16
        )
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    vacuumed = time.perf_counter() - started

    client = Client()
    client.force_login(viewer)
    today = timezone.localdate()
    year = f"from={today - dt.timedelta(days=DAYS)}&to={today}"
    ws = workspace.pk
    pages = {
        FLOOR: "/floor/",
        "dashboard (default range)": f"/analytics/?workspace={ws}",
        f"dashboard ({DAYS + 1} days)": f"/analytics/?workspace={ws}&{year}",
        "dashboard CSV (top videos)": f"/analytics/?workspace={ws}&format=csv&table=top_videos",
        "API overview (default range)": f"/api/v1/analytics/overview/?workspace={ws}",
    }
    queries = {name: _queries(client, path) for name, path in pages.items()}
    if PROFILE:
        _profile(client, pages["dashboard (default range)"])
    results = _percentiles(client, pages)
    floor_p95 = results[FLOOR][1]
    rows = summary.rows
    print(
        f"\nseed_performance --posts {POSTS:,} --snapshots {SNAPSHOTS:,} --days {DAYS}: "
        f"{seeded:.1f} s, commit included ({rows['videos.PlatformPost']:,} posts, "
        f"{rows['videos.PostSnapshot']:,} snapshots, {rows['videos.Video']:,} videos); "
        f"VACUUM ANALYZE {vacuumed:.1f} s; {RUNS} runs per route, as a viewer"
    )
    print(f"{'route':<32} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'p95/floor':>10}")
    for name, (p50, p95) in results.items():
        print(
            f"{name:<32} {queries[name]:>7} {p50 * 1000:8.1f} {p95 * 1000:8.1f} "
            f"{p95 / floor_p95:9.1f}×"
        )
    slowest = max(p95 for name, (_p50, p95) in results.items() if name.startswith("dashboard"))
    print(f"slowest dashboard p95: {slowest:.3f} s (goal < {TARGET_SECONDS:.0f} s)")
    if connection.vendor == "postgresql" and POSTS >= 10_000 and SNAPSHOTS >= 1_000_000:
        assert slowest < TARGET_SECONDS
