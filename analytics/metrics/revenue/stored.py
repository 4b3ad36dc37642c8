"""A range's MRR movements from the daily rollup: the stored days' movement entries summed in
the database, the range's last day replayed (its closing state and today's movements live),
and the opening MRR and paying count of the day before. The same `MrrMovements` as
`mrr_movements` (tested on generated histories), read in a fixed handful of queries instead of
replaying every invoice of the range.

The rollup (analytics.metrics.rollups) writes a day's entries with a `DailyMetric` row
`MOVEMENTS_STORED` in the reporting currency saying the day is stored; a range with a day that
is not (before its last) is replayed whole.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Min, Q, Sum

from ..models import DailyMetric, MrrMovementEntry
from .movements import MrrMovements
from .mrr import reporting_currency
from .timeline import MOVEMENTS, Movement, Replay

# The DailyMetric key whose row (in the reporting currency) says a day's entries are stored;
# its value is how many there are.
MOVEMENTS_STORED = "mrr_movement_entries"
DAY = datetime.timedelta(days=1)
# A workspace whose first movement of the range is one of these was not paying before it.
ARRIVALS = frozenset({Movement.NEW, Movement.REACTIVATION})


def stored_mrr_movements(
    *,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
    currency: str | None = None,
) -> MrrMovements | None:
    """`mrr_movements(start=, end=, currency=)` from the rollup, or None when the rollup does
    not hold the days it needs: the day before `start` and every day before `end` (the last
    day is replayed, so a range ending today has today live). None for a range that ends
    after `today`."""
    currency = reporting_currency(currency)
    if end < start:
        raise ValueError("The period ends before it starts.")
    if end > today:
        return None
    before = start - DAY
    rows = DailyMetric.objects.filter(
        Q(key=MOVEMENTS_STORED, currency=currency, day__gte=start, day__lt=end)
        | Q(day=before, key="mrr", currency=currency)
        | Q(day=before, key="paying", currency="")
    ).values_list("day", "key", "value")
    stored_days, opening = set(), {}
    for day, key, value in rows:
        if key == MOVEMENTS_STORED:
            stored_days.add(day)
        else:
            opening[key] = value
    if len(stored_days) != (end - start).days or len(opening) != 2:
        return None

    last = next(Replay(start=end, end=end, currency=currency).load().days())
    amounts = dict.fromkeys(MOVEMENTS, 0)
    workspaces: dict[Movement, set[int]] = defaultdict(set)
    # Per workspace: its first day in the range and the kinds of that day, and its amounts
    # other than FX impact (what it keeps of the opening MRR, for NRR).
    first_day: dict[int, datetime.date] = {}
    first_kinds: dict[int, set[Movement]] = defaultdict(set)
    kept: dict[int, int] = defaultdict(int)

    def add(workspace_id: int, kind: Movement, amount: int, day: datetime.date) -> None:
        amounts[kind] += amount
        workspaces[kind].add(workspace_id)
        if kind != Movement.FX:
            kept[workspace_id] += amount
        held = first_day.get(workspace_id)
        if held is None or day < held:
            first_day[workspace_id] = day
            first_kinds[workspace_id] = {kind}
        elif day == held:
            first_kinds[workspace_id].add(kind)

    stored = (
        MrrMovementEntry.objects.filter(currency=currency, day__gte=start, day__lt=end)
        .values("workspace_id", "kind")
        .annotate(total=Sum("amount"), first=Min("day"))
        .values_list("workspace_id", "kind", "total", "first")
    )
    for workspace_id, kind, total, first in stored:
        add(workspace_id, Movement(kind), total, first)
    for entry in last.entries:
        add(entry.workspace_id, entry.kind, entry.amount, entry.day)
    # A workspace paying at the opening meets the range with a churn, an expansion, a
    # contraction or an FX impact; one that was not, with a new or a reactivation.
    retained = opening["mrr"] + sum(
        amount for pk, amount in kept.items() if not first_kinds[pk] & ARRIVALS
    )
    return MrrMovements(
        start=start,
        end=end,
        currency=currency,
        opening_mrr=opening["mrr"],
        closing_mrr=last.mrr,
        closing_cmrr=last.cmrr,
        opening_paying=opening["paying"],
        closing_paying=last.paying,
        closing_by_currency=last.by_currency,
        amounts=amounts,
        counts={kind: len(workspaces[kind]) for kind in MOVEMENTS},
        retained_mrr=retained,
    )
