"""Batch ingestion (analytics.ingest.events_ingest) against a bare bulk_create of the same rows.

BENCH_INGEST_EVENTS client events (default 50,000) in batches of 500, as the API receives them:
JSON-decoded items with text uuids and times. The baseline builds the same Event rows from
already-typed values and calls `Event.objects.bulk_create` with them, nothing else; the service
checks every item (uuid, name, time window, properties' size, depth, NUL and numbers), asks which
ids are already stored, and inserts with `ignore_conflicts`. The two alternate batch by batch, so
both meet the same table size, and the best of BENCH_INGEST_ROUNDS rounds of each is kept. The
issue's target: the service at no less than 0.5× the baseline's rate.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ingest_bench \\
        .venv/bin/pytest tests/perf/bench_ingest.py -s -p no:cacheprovider --override-ini="addopts="

(or `make bench` for every benchmark; without DATABASE_URL they run on SQLite).
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid

import pytest
from django.db import connection
from django.utils import timezone

EVENTS = int(os.environ.get("BENCH_INGEST_EVENTS", "50000"))
ROUNDS = int(os.environ.get("BENCH_INGEST_ROUNDS", "3"))
BATCH = 500
TARGET = 0.5
NAMES = ["editor.opened", "template.previewed", "export:clicked", "pricing.viewed"]


def typed_rows(now: dt.datetime, count: int) -> list[dict]:
    """What a client sends, already as Python values (the baseline's input)."""
    return [
        {
            "id": uuid.uuid4(),
            "name": NAMES[n % len(NAMES)],
            "occurred_at": now - dt.timedelta(seconds=n),
            "properties": {"step": n, "button": "save", "tags": ["a", "b"], "ratio": 0.5},
            "anonymous_id": f"visitor-{n % 97}",
        }
        for n in range(count)
    ]


def as_items(rows: list[dict]) -> list[dict]:
    """The same rows as the API's JSON parser hands them over: text uuids and times."""
    return [
        {
            "uuid": str(row["id"]),
            "name": row["name"],
            "occurred_at": row["occurred_at"].isoformat(),
            "properties": row["properties"],
            "anonymous_id": row["anonymous_id"],
        }
        for row in rows
    ]


def bare_bulk_create(rows: list[dict]) -> None:
    from analytics.models import Event, EventSource

    Event.objects.bulk_create([Event(source=EventSource.CLIENT, **row) for row in rows])


def one_round(now: dt.datetime) -> tuple[float, float]:
    """Seconds for EVENTS rows through each path, alternating batch by batch."""
    from analytics.ingest import events_ingest

    baseline = service = 0.0
    for _start in range(0, EVENTS, BATCH):
        rows = typed_rows(now, BATCH)
        started = time.perf_counter()
        bare_bulk_create(rows)
        baseline += time.perf_counter() - started

        items = as_items(typed_rows(now, BATCH))
        started = time.perf_counter()
        result = events_ingest(items=items, now=now)
        service += time.perf_counter() - started
        assert (result.accepted, result.errors) == (BATCH, [])
    return baseline, service


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_batch_ingestion_rate_against_a_bare_bulk_create():
    from analytics.models import Event

    now = timezone.now()
    one_round(now)  # warm up: caches, the table's first pages
    rounds = [one_round(now) for _ in range(ROUNDS)]
    baseline = min(seconds for seconds, _ in rounds)
    service = min(seconds for _, seconds in rounds)
    stored = Event.objects.count()
    ratio = baseline / service
    print(
        f"\n{EVENTS:,} events in batches of {BATCH}, best of {ROUNDS} rounds "
        f"({stored:,} rows in the table at the end)"
        f"\n  bare bulk_create:        {EVENTS / baseline:10,.0f} events/s ({baseline:.2f} s)"
        f"\n  events_ingest (service): {EVENTS / service:10,.0f} events/s ({service:.2f} s)"
        f"\n  service / bare = {ratio:.2f}× (target ≥ {TARGET}×)"
    )
    if connection.vendor == "postgresql":
        assert ratio >= TARGET
