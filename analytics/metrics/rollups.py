"""The daily rollup: each day's figures stored once, so dashboards read rows instead of
replaying the ledger and the event log.

`daily_figures` computes a range of days with the metric functions' own series (one pass of
the ledger, one query per event series): a rebuild gives exactly what the functions give.
`rollups_write` stores them with each day's MRR movements per workspace and the dashboard
funnel's entries (an upsert: running it twice rewrites the same rows); beat runs it hourly for
the last days (`refresh_recent`), `manage.py rebuild_metrics --since DATE` for any range.
`daily_series` reads them, computing live the days not stored yet (today always).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from typing import NamedTuple

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User

from .engagement import active_users_series, day_range, missing_spans, videos_created_per_day
from .funnels import funnel_entries_write, stored_window_days
from .models import DailyMetric, MrrMovementEntry
from .revenue import MOVEMENTS, MovementEntry, mrr_series, reporting_currency
from .revenue.stored import MOVEMENTS_STORED

# Figures in the reporting currency; movement keys are "mrr_" + the movement ("mrr_new").
MONEY_KEYS = ("mrr", "cmrr", *(f"mrr_{movement}" for movement in MOVEMENTS))
# MRR in each subscription currency (the row's currency is that currency).
NATIVE_MRR_KEY = "mrr_native"
COUNT_KEYS = ("paying", "dau", "wau", "mau", "signups", "videos_created")
KEYS = (*MONEY_KEYS, NATIVE_MRR_KEY, *COUNT_KEYS)
# Days that can still change after midnight (a late renewal task, a late event): refreshed
# every hour along with today.
RECENT_DAYS = 3


class Written(NamedTuple):
    """What a rollup write stored: daily figures, and the stored funnels' entries."""

    figures: int
    funnel_entries: int


class Figure(NamedTuple):
    day: dt.date
    key: str
    currency: str
    value: int


def _signups_per_day(*, start: dt.date, end: dt.date) -> dict[dt.date, int]:
    since, until = day_range(start=start, end=end)
    return dict(
        User.objects.filter(date_joined__gte=since, date_joined__lt=until)
        .annotate(day=TruncDate("date_joined", tzinfo=dt.UTC))
        .values("day")
        .annotate(count=Count("id"))
        .values_list("day", "count")
    )


MRR_KEYS = frozenset({*MONEY_KEYS, NATIVE_MRR_KEY, "paying"})
ACTIVE_KEYS = ("dau", "wau", "mau")


def daily_figures(
    *,
    start: dt.date,
    end: dt.date,
    currency: str | None = None,
    keys: Collection[str] | None = None,
    movement_entries: list[MovementEntry] | None = None,
) -> list[Figure]:
    """Every figure of every day from `start` to `end` inclusive (UTC), as the metric
    functions compute them; only those of `keys` (and the others computed along with them)
    when given. The MRR movements per workspace are added to `movement_entries` when given.
    A fixed number of queries whatever the range or the data."""
    currency = reporting_currency(currency)
    wanted = set(KEYS if keys is None else keys)
    figures: list[Figure] = []
    if wanted & MRR_KEYS:
        figures += _mrr_figures(
            start=start, end=end, currency=currency, movement_entries=movement_entries
        )
    if wanted.intersection(ACTIVE_KEYS):
        for active in active_users_series(start=start, end=end):
            figures += [Figure(active["day"], key, "", active[key]) for key in ACTIVE_KEYS]
    if wanted & {"signups", "videos_created"}:
        signups = _signups_per_day(start=start, end=end)
        for row in videos_created_per_day(start=start, end=end):
            figures.append(Figure(row["day"], "videos_created", "", row["videos"]))
            figures.append(Figure(row["day"], "signups", "", signups.get(row["day"], 0)))
    return figures


def _mrr_figures(
    *,
    start: dt.date,
    end: dt.date,
    currency: str,
    movement_entries: list[MovementEntry] | None = None,
) -> list[Figure]:
    figures: list[Figure] = []
    for totals in mrr_series(start=start, end=end, currency=currency):
        if movement_entries is not None:
            movement_entries.extend(totals.entries)
        moved: dict[str, int] = defaultdict(int)
        for entry in totals.entries:
            moved[entry.kind] += entry.amount
        figures += [
            Figure(totals.day, "mrr", currency, totals.mrr),
            Figure(totals.day, "cmrr", currency, totals.cmrr),
            Figure(totals.day, "paying", "", totals.paying),
            *(Figure(totals.day, f"mrr_{kind}", currency, moved[kind]) for kind in MOVEMENTS),
            *(
                Figure(totals.day, NATIVE_MRR_KEY, code, native.mrr)
                for code, native in totals.by_currency.items()
            ),
        ]
    return figures


def _figures_write(*, start: dt.date, end: dt.date, currency: str | None = None) -> int:
    """Store the figures of `start`…`end` (replacing what was stored for those days, so a
    currency no longer used disappears), and each day's MRR movements per workspace with a
    row saying the day's are stored (`MOVEMENTS_STORED`). Returns how many figures."""
    currency = reporting_currency(currency)
    entries: list[MovementEntry] = []
    figures = daily_figures(start=start, end=end, currency=currency, movement_entries=entries)
    per_day = Counter(entry.day for entry in entries)
    markers = [
        Figure(start + dt.timedelta(days=n), MOVEMENTS_STORED, currency, 0)
        for n in range((end - start).days + 1)
    ]
    stored_keys = (*KEYS, MOVEMENTS_STORED)
    DailyMetric.objects.filter(key__in=stored_keys, day__gte=start, day__lte=end).delete()
    DailyMetric.objects.bulk_create(
        (
            DailyMetric(day=f.day, key=f.key, currency=f.currency, value=f.value)
            for f in [*figures, *(m._replace(value=per_day[m.day]) for m in markers)]
        ),
        batch_size=5000,
    )
    MrrMovementEntry.objects.filter(day__gte=start, day__lte=end).delete()
    MrrMovementEntry.objects.bulk_create(
        (
            MrrMovementEntry(
                day=e.day,
                workspace_id=e.workspace_id,
                kind=e.kind,
                amount=e.amount,
                currency=currency,
            )
            for e in entries
        ),
        batch_size=5000,
    )
    return len(figures)


@transaction.atomic
def rollups_write(*, start: dt.date, end: dt.date, currency: str | None = None) -> Written:
    """Store every rollup of `start`…`end`: the daily figures with the MRR movements
    (`_figures_write`) and the stored funnels' entries, replacing those days'."""
    return Written(
        _figures_write(start=start, end=end, currency=currency),
        funnel_entries_write(start=start, end=end),
    )


@transaction.atomic
def refresh_recent(*, today: dt.date | None = None) -> Written:
    """Beat's hourly refresh: the figures of the last few days and today, and the funnel
    entries of the days whose paths can still grow (the window) besides those."""
    today = today or timezone.now().date()
    funnel_days = stored_window_days() + RECENT_DAYS
    return Written(
        _figures_write(start=today - dt.timedelta(days=RECENT_DAYS), end=today),
        funnel_entries_write(start=today - dt.timedelta(days=funnel_days), end=today),
    )


def daily_series(
    *,
    keys: Sequence[str],
    start: dt.date,
    end: dt.date,
    currency: str | None = None,
    today: dt.date | None = None,
) -> dict[str, dict[dt.date, int]]:
    """{key: {day: value}} for each day of `start`…`end`, from the stored rollup; days not
    stored (today always, and days no rollup has reached) computed live. Money keys are in
    `currency` (default REPORTING_CURRENCY). `NATIVE_MRR_KEY` has a row per currency and is
    read from `DailyMetric` directly, not through here."""
    unknown = (set(keys) - set(KEYS)) | ({NATIVE_MRR_KEY} & set(keys))
    if unknown:
        raise ValueError(f"Unknown rollup keys: {sorted(unknown)}")
    currency = reporting_currency(currency)
    today = today or timezone.now().date()
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    series: dict[str, dict[dt.date, int]] = {key: {} for key in keys}
    rows = DailyMetric.objects.filter(
        key__in=keys, day__gte=start, day__lte=min(end, today - dt.timedelta(days=1))
    ).values_list("day", "key", "currency", "value")
    stored: set[dt.date] = set()
    for day, key, row_currency, value in rows:
        if key in MONEY_KEYS and row_currency != currency:
            continue  # stored in another reporting currency: recompute
        series[key][day] = value
        stored.add(day)
    complete = {day for day in stored if all(day in series[key] for key in keys)}
    for first, last in missing_spans(days, complete):
        for figure in daily_figures(start=first, end=last, currency=currency, keys=keys):
            if figure.key in series:
                series[figure.key][figure.day] = figure.value
    return series
