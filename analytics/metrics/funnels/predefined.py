"""The funnels of `FUNNELS` by key, and the rollup of the stored ones (`STORED_FUNNELS`).

A stored funnel's entries are written once per day (`funnel_entries_write`, called by
analytics.metrics.rollups: beat every hour for the days whose paths can still grow,
`manage.py rebuild_metrics` for any range), each day with a `DailyMetric` row
`funnel_entries:<key>` saying it is stored and how many entered. A range of whole days is then
read from those rows, with the days not stored (today always) computed live; each person's best
entry is chosen across both, so the figures are the funnel function's own. On PostgreSQL that
choice and the medians are one query.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from django.db import connections, router, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ..engagement import day_start, missing_spans
from ..models import DailyMetric, FunnelEntry
from .definitions import FUNNELS, STORED_FUNNELS, FunnelDefinition
from .paths import (
    Entry,
    Funnel,
    FunnelQuery,
    best_entries,
    entries,
    figures,
    funnel_query,
    funnel_result,
    live_figures,
)
from .steps import shown

DAY = dt.timedelta(days=1)


def marker_key(key: str) -> str:
    """The `DailyMetric` key whose row says a funnel's entries of that day are stored."""
    return f"funnel_entries:{key}"


def _definition(key: object) -> FunnelDefinition:
    definition = FUNNELS.get(key) if isinstance(key, str) else None
    if definition is None:
        raise ValueError(
            _("“%(key)s” is not a funnel: choose one of %(keys)s.")
            % {"key": shown(key), "keys": ", ".join(FUNNELS)}
        )
    return definition


def predefined_funnel(
    *,
    key: str,
    start: dt.date | dt.datetime,
    end: dt.date | dt.datetime,
    window_days: int | None = None,
    drop_flag: float | None = None,
    today: dt.date | None = None,
) -> Funnel:
    """One of `FUNNELS` by its key, over a range, with its own window unless one is given;
    a stored funnel over whole days with its own window is read from the rollup."""
    definition = _definition(key)
    query = funnel_query(
        steps=definition.step_keys,
        start=start,
        end=end,
        window_days=definition.window_days if window_days is None else window_days,
        drop_flag=drop_flag,
    )
    stored = key in STORED_FUNNELS and query.window_days == definition.window_days
    if stored and _is_midnight(query.since) and _is_midnight(query.until):
        counts, medians = _stored_figures(key, query, today or timezone.now().date())
    else:
        counts, medians = live_figures(query)
    return funnel_result(query, counts, medians)


def _is_midnight(instant: dt.datetime) -> bool:
    return instant.astimezone(dt.UTC).timetz() == dt.time(tzinfo=dt.UTC)


# -- the rollup ---------------------------------------------------------------------------------


@transaction.atomic
def funnel_entries_write(*, start: dt.date, end: dt.date) -> int:
    """Store every entry of the stored funnels from `start` to `end` (UTC days, inclusive),
    replacing what was stored for those days. Returns how many entries were written."""
    since, until = day_start(start), day_start(end) + DAY
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    written = 0
    for key in STORED_FUNNELS:
        definition = FUNNELS[key]
        rows = [
            FunnelEntry(
                funnel=key,
                day=entered_at.date(),
                person=str(entry.person),
                entered_at=entered_at,
                waits=list(entry.waits),
            )
            for entry in entries(
                steps=definition.step_keys,
                since=since,
                until=until,
                window_days=definition.window_days,
            )
            for entered_at in [dt.datetime.fromtimestamp(entry.entered, dt.UTC)]
        ]
        per_day = dict.fromkeys(days, 0)
        for row in rows:
            per_day[row.day] += 1
        FunnelEntry.objects.filter(funnel=key, day__gte=start, day__lte=end).delete()
        FunnelEntry.objects.bulk_create(rows, batch_size=5000)
        _mark_shared(key)
        DailyMetric.objects.filter(key=marker_key(key), day__gte=start, day__lte=end).delete()
        DailyMetric.objects.bulk_create(
            DailyMetric(day=day, key=marker_key(key), value=count) for day, count in per_day.items()
        )
        written += len(rows)
    return written


def _mark_shared(key: str) -> None:
    stored = FunnelEntry.objects.filter(funnel=key)
    several = stored.values("person").annotate(rows=Count("id")).filter(rows__gt=1)
    stored.filter(shared=False, person__in=several.values("person")).update(shared=True)
    stored.filter(shared=True).exclude(person__in=several.values("person")).update(shared=False)


# -- reading the rollup -------------------------------------------------------------------------


def _stored_figures(
    key: str, query: FunnelQuery, today: dt.date
) -> tuple[list[int], list[float | None]]:
    first = query.since.astimezone(dt.UTC).date()
    last = query.until.astimezone(dt.UTC).date() - DAY
    stored = sorted(
        DailyMetric.objects.filter(
            key=marker_key(key), day__gte=first, day__lte=min(last, today - DAY)
        ).values_list("day", flat=True)
    )
    days = [first + n * DAY for n in range((last - first).days + 1)]
    live: list[Entry] = []
    for span_first, span_last in missing_spans(days, set(stored)):
        live += entries(
            steps=query.steps,
            since=day_start(span_first),
            until=day_start(span_last) + DAY,
            window_days=query.window_days,
        )
    steps = len(query.steps)
    alias = router.db_for_read(FunnelEntry)
    if connections[alias].vendor == "postgresql":
        return _figures_in_postgres(alias, key, stored, live, steps)
    rows = FunnelEntry.objects.filter(funnel=key, day__in=stored).values_list(
        "person", "entered_at", "waits"
    )
    found = [Entry(str(e.person), e.entered, e.waits) for e in live] + [
        Entry(person, entered_at.timestamp(), tuple(waits)) for person, entered_at, waits in rows
    ]
    return figures(best_entries(found), steps=steps)


def _figures_in_postgres(
    alias: str, key: str, stored: Sequence[dt.date], live: Sequence[Entry], steps: int
) -> tuple[list[int], list[float | None]]:
    # Each person's best entry (furthest, then earliest) among the stored days' rows and the
    # live ones, then every step's count and median, without moving a row into Python. Only
    # the people with several entries (or one live) need the sort that picks the best.
    counts = ", ".join(
        f"count(*) FILTER (WHERE jsonb_array_length(waits) >= {n})" for n in range(steps)
    )
    medians = ", ".join(
        f"percentile_cont(0.5) WITHIN GROUP (ORDER BY (waits->>{n})::float8)"
        for n in range(steps - 1)
    )
    table = FunnelEntry._meta.db_table
    # Only the table's name and the generated column lists are interpolated.
    sql = f"""
        WITH live(person, entered_at, waits) AS (
            SELECT * FROM unnest(%(persons)s::text[], %(entered)s::timestamptz[], %(waits)s::text[])
        ), contested AS (
            SELECT person, entered_at, waits FROM {table}
            WHERE funnel = %(key)s AND day = ANY(%(days)s::date[])
              AND (shared OR person = ANY(%(persons)s::text[]))
            UNION ALL
            SELECT person, entered_at, waits::jsonb FROM live
        ), best AS (
            SELECT waits FROM {table}
            WHERE funnel = %(key)s AND day = ANY(%(days)s::date[])
              AND NOT shared AND person <> ALL(%(persons)s::text[])
            UNION ALL (
                SELECT DISTINCT ON (person COLLATE "C") waits FROM contested
                ORDER BY person COLLATE "C", jsonb_array_length(waits) DESC, entered_at
            )
        )
        SELECT {counts}, {medians} FROM best
    """  # noqa: S608
    params = {
        "key": key,
        "days": list(stored),
        "persons": [str(entry.person) for entry in live],
        "entered": [dt.datetime.fromtimestamp(entry.entered, dt.UTC) for entry in live],
        "waits": [json.dumps(list(entry.waits)) for entry in live],
    }
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return list(row[:steps]), [None, *row[steps:]]
