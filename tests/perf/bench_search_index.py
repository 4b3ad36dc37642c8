"""The video list and a title search over 100,000 videos in one workspace, from indexes.

Fills one workspace with BENCH_SEARCH_VIDEOS videos (default 100,000; "coffee" in 1 % of the
titles, 10 % failed) and runs VACUUM ANALYZE, as autovacuum would. Then, for each query the
list page and the API make (the page of 24 and the paginator's COUNT), it prints the plan
(EXPLAIN ANALYZE) and the median of BENCH_SEARCH_RUNS timings, of the statement alone (the
database's work, which is what an index changes) and through the ORM (what the view pays);
then times the very same statements with index scans switched off (`SET LOCAL
enable_indexscan / enable_bitmapscan / enable_indexonlyscan = off`: the sequential scan the
indexes replace) in the same run, with the ratio. Asserts that the list, the status filter
and the title search are served by their indexes (`video_ws_created`,
`video_ws_status_created`, `video_title_trgm`).

SQLite has no trigram index (it is PostgreSQL-only) and no switch to turn indexes off: there
the queries are only timed and their plans printed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/indexes_bench \\
        .venv/bin/pytest tests/perf/bench_search_index.py -s -p no:cacheprovider \\
        --override-ini="addopts="

(or `make bench` for every benchmark; without DATABASE_URL they run on SQLite).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.utils import timezone

VIDEOS = int(os.environ.get("BENCH_SEARCH_VIDEOS", "100000"))
RUNS = int(os.environ.get("BENCH_SEARCH_RUNS", "20"))
PAGE = 24  # videos.views.videos.VIDEOS_PER_PAGE and the API's page size alike
BATCH = 5000
NO_INDEXES = (
    "SET LOCAL enable_indexscan = off",
    "SET LOCAL enable_bitmapscan = off",
    "SET LOCAL enable_indexonlyscan = off",
)
ADJECTIVES = "Spring Summer Autumn Winter Quick Weekly Launch Customer Team Product Holiday Flash"
NOUNS = "sale tips story demo recap teaser tutorial update interview showcase giveaway review"


def title(n: int) -> str:
    adjectives, nouns = ADJECTIVES.split(), NOUNS.split()
    base = f"{adjectives[n % len(adjectives)]} {nouns[n // len(adjectives) % len(nouns)]} #{n}"
    return f"Coffee break: {base}" if n % 100 == 42 else base


def fill(workspace, count: int) -> float:
    from videos.models import Template, Video, VideoStatus

    template = Template.objects.order_by("pk").first()  # a starter template
    now = timezone.now()
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        Video.objects.bulk_create(
            [
                Video(
                    workspace=workspace,
                    template=template,
                    title=title(n),
                    fields={"headline": title(n), "background": "#123456"},
                    duration_seconds=30,
                    status=VideoStatus.FAILED if n % 10 == 9 else VideoStatus.READY,
                    created_at=now - dt.timedelta(minutes=n),
                )
                for n in range(first, min(first + BATCH, count))
            ]
        )
    return time.perf_counter() - started


def statements(run: Callable[[], object]) -> list[tuple[str, object]]:
    """The SQL and parameters `run` sends."""
    sent: list[tuple[str, object]] = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        run()
    return sent


def plan(sql: str, params) -> str:
    postgresql = connection.vendor == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgresql else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    return "\n".join(row[0] if postgresql else row[-1] for row in rows)


def median_ms(run: Callable[[], object]) -> float:
    run()  # warm the caches the first request after a restart would not have
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def sql_run(sql: str, params) -> Callable[[], object]:
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def measure(queryset, *, orm: bool = True) -> dict[str, tuple[float, float | None, str]]:
    """{"page" | "count": (SQL median ms, ORM median ms, plan)} in the current settings: the
    statement alone (the database's work, what an index changes) and through the ORM (what
    the view pays, model instances included)."""
    parts = {"page": lambda: list(queryset()[:PAGE]), "count": lambda: queryset().count()}
    result = {}
    for name, run in parts.items():
        ((sql, params),) = statements(run)
        through_orm = median_ms(run) if orm else None
        result[name] = (median_ms(sql_run(sql, params)), through_orm, plan(sql, params))
    return result


def measure_without_indexes(queryset) -> dict[str, tuple[float, float | None, str]]:
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in NO_INDEXES:
            cursor.execute(setting)
        return measure(queryset, orm=False)


def indented(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_list_and_title_search_are_served_from_indexes(owner, workspace):
    from teams.permissions import scope_for_user
    from videos import selectors
    from videos.models import Video

    seconds = fill(workspace, VIDEOS)
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE videos_video" if postgresql else "ANALYZE")
    print(f"\n{VIDEOS:,} videos in one workspace, written in {seconds:.1f} s; {RUNS} runs each")
    if not postgresql:
        print("SQLite: the trigram index is PostgreSQL-only; the queries are only timed.")

    def page_query(**filters):
        return lambda: selectors.videos_for_workspace(workspace=workspace, **filters)

    def api_query(**filters):
        videos = Video.objects.select_related("template")
        return lambda: selectors.videos_filtered(scope_for_user(owner, videos), **filters)

    queries = {
        # With every video in one workspace either index gives the page in order.
        "list": (page_query(), ("video_ws_created", "video_created")),
        "search 'coffee'": (page_query(search="coffee"), ("video_title_trgm",)),
        "status 'failed'": (page_query(status="failed"), ("video_ws_status_created",)),
        "API list, all your workspaces": (api_query(), ("video_created",)),
        "API search 'coffee'": (api_query(search="coffee"), ("video_title_trgm",)),
    }
    served = {}
    for label, (queryset, indexes) in queries.items():
        found = queryset().count()
        ours = measure(queryset)
        print(f"\n== {label} ({found:,} videos)")
        for part, (ms, orm_ms, text) in ours.items():
            print(f"-- {part}: {ms:.2f} ms SQL, {orm_ms:.2f} ms through the ORM\n{indented(text)}")
        if not postgresql:
            continue
        scans = measure_without_indexes(queryset)
        for part, (ms, _orm, text) in scans.items():
            nodes = [line.strip(" ->") for line in text.splitlines() if "Scan" in line]
            print(
                f"-- {part} without indexes: {ms:.2f} ms SQL, {ms / ours[part][0]:.1f}× the "
                f"time with them ({'; '.join(node.split('  (')[0] for node in nodes)})"
            )
        served[label] = any(index in text for index in indexes for _ms, _orm, text in ours.values())
    if postgresql:
        assert served == dict.fromkeys(served, True), served
