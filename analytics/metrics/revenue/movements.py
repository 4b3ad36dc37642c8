"""MRR movements over a period, ChartMogul's way, and the workspaces behind each.

A period is the days `start`..`end` inclusive (UTC). Its opening MRR is MRR at the start of
`start` (that is `mrr_on(day=start - 1 day)`), its closing MRR is `mrr_on(day=end)`. Each day,
each workspace whose MRR changed gets movements, comparing its MRR at the end of the day with
the end of the day before:

- new: from nothing to MRR, for a workspace that never had MRR before;
- reactivation: from nothing to MRR, for a workspace that had MRR before (it had churned);
- churn: from MRR to nothing (negative);
- expansion / contraction: MRR went up / down (contraction negative), measured at the new
  period's exchange rate;
- FX impact: the part of a change that only comes from converting at the new period's rate
  instead of the old one (same currency, same amount, a new rate when a period renews).

Net new MRR is the sum of all six. For any period, closing − opening = net new MRR, exactly in
minor units: every workspace's MRR is a rounded integer and every movement a difference of them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from teams.models import Team

from .mrr import reporting_currency
from .timeline import MOVEMENTS, CurrencyTotals, DayTotals, Movement, MovementEntry, Replay


@dataclass(frozen=True, slots=True)
class MrrMovements:
    start: datetime.date
    end: datetime.date
    currency: str
    opening_mrr: int
    closing_mrr: int
    closing_cmrr: int
    opening_paying: int
    closing_paying: int
    closing_by_currency: dict[str, CurrencyTotals]  # per subscription currency, paying ones
    amounts: dict[Movement, int]  # signed minor units of `currency`, every kind present
    counts: dict[Movement, int]  # workspaces with at least one such movement
    # The opening paying workspaces' MRR at the end, FX impact left out (for NRR).
    retained_mrr: int

    @property
    def net_new(self) -> int:
        return sum(self.amounts.values())

    @property
    def new(self) -> int:
        return self.amounts[Movement.NEW]

    @property
    def expansion(self) -> int:
        return self.amounts[Movement.EXPANSION]

    @property
    def contraction(self) -> int:
        return self.amounts[Movement.CONTRACTION]

    @property
    def churn(self) -> int:
        return self.amounts[Movement.CHURN]

    @property
    def reactivation(self) -> int:
        return self.amounts[Movement.REACTIVATION]

    @property
    def fx(self) -> int:
        return self.amounts[Movement.FX]


@dataclass(frozen=True, slots=True)
class WorkspaceMovement:
    """A workspace's movements of one kind over a period (the drill-down's row)."""

    workspace_id: int
    workspace_name: str  # as shown in the active language ("" for a deleted workspace)
    kind: Movement
    amount: int
    days: tuple[datetime.date, ...]


def _entries(
    *, start: datetime.date, end: datetime.date, currency: str
) -> tuple[Replay, list[MovementEntry], DayTotals]:
    if end < start:
        raise ValueError("The period ends before it starts.")
    replay = Replay(start=start, end=end, currency=currency).load()
    entries: list[MovementEntry] = []
    for totals in replay.days():
        entries.extend(totals.entries)
    return replay, entries, totals


def mrr_movements(
    *, start: datetime.date, end: datetime.date, currency: str | None = None
) -> MrrMovements:
    """The movements of the days `start`..`end` (inclusive, UTC), in `currency` (default
    REPORTING_CURRENCY); a daily rollup calls it with start == end.

    Five queries at most, whatever the size of the ledger or the length of the period.
    """
    currency = reporting_currency(currency)
    replay, entries, closing = _entries(start=start, end=end, currency=currency)
    opening = replay.opening_mrr()
    amounts = dict.fromkeys(MOVEMENTS, 0)
    workspaces: dict[Movement, set[int]] = defaultdict(set)
    retained = sum(opening.values())
    for entry in entries:
        amounts[entry.kind] += entry.amount
        workspaces[entry.kind].add(entry.workspace_id)
        if entry.workspace_id in opening and entry.kind != Movement.FX:
            retained += entry.amount
    return MrrMovements(
        start=start,
        end=end,
        currency=currency,
        opening_mrr=sum(opening.values()),
        closing_mrr=closing.mrr,
        closing_cmrr=closing.cmrr,
        opening_paying=len(opening),
        closing_paying=closing.paying,
        closing_by_currency=closing.by_currency,
        amounts=amounts,
        counts={kind: len(workspaces[kind]) for kind in MOVEMENTS},
        retained_mrr=retained,
    )


def mrr_movement_breakdown(
    *,
    start: datetime.date,
    end: datetime.date,
    kind: Movement | None = None,
    currency: str | None = None,
) -> list[WorkspaceMovement]:
    """The workspaces behind the movements of `start`..`end`: one row per workspace and kind
    (only `kind` when given) with the sum of its amounts and the days they happened, ordered
    by kind, then by size. The amounts of a kind add up to `mrr_movements(...)`'s figure.

    Six queries at most, whatever the size of the ledger or the length of the period.
    """
    currency = reporting_currency(currency)
    _replay, entries, _closing = _entries(start=start, end=end, currency=currency)
    grouped: dict[tuple[Movement, int], list[MovementEntry]] = defaultdict(list)
    for entry in entries:
        if kind is None or entry.kind == kind:
            grouped[(entry.kind, entry.workspace_id)].append(entry)
    names = {}
    if grouped:
        teams = Team.objects.filter(pk__in={pk for _kind, pk in grouped})
        names = {
            team.pk: team.display_name for team in teams.only("name", "is_personal", "named_after")
        }
    rows = [
        WorkspaceMovement(
            workspace_id=pk,
            workspace_name=names.get(pk, ""),
            kind=movement,
            amount=sum(e.amount for e in items),
            days=tuple(e.day for e in items),
        )
        for (movement, pk), items in grouped.items()
    ]
    order = {movement: index for index, movement in enumerate(MOVEMENTS)}
    rows.sort(key=lambda row: (order[row.kind], -abs(row.amount), row.workspace_id))
    return rows
