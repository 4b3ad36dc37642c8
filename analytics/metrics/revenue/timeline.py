"""The MRR engine: values invoices' periods in the reporting currency and replays the ledger
day by day, classifying each workspace's change of MRR into ChartMogul's movements.

Every workspace's MRR is an integer in minor units (its own currency's and the reporting
currency's), rounded once from the exact value; totals are sums of those integers and every
movement is a difference of them, so the movements of a period add up exactly to the change of
total MRR over it.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from billing.models import ChangeKind

from .fx import FxTable, fx_table
from .history import (
    Change,
    OpeningState,
    Segment,
    changes_between,
    day_end,
    day_start,
    opening_states,
    paid_before,
    segments_between,
)
from .money import monthly, round_half_up


class Movement(StrEnum):
    """ChartMogul's MRR movements. New, expansion and reactivation are positive, contraction
    and churn negative, FX impact either."""

    NEW = "new"
    EXPANSION = "expansion"
    CONTRACTION = "contraction"
    CHURN = "churn"
    REACTIVATION = "reactivation"
    FX = "fx"


MOVEMENTS = list(Movement)


@dataclass(frozen=True, slots=True)
class MovementEntry:
    """One workspace's movement of one kind on one day, in reporting-currency minor units."""

    day: datetime.date
    workspace_id: int
    kind: Movement
    amount: int


class Valuer:
    """Each segment's MRR in its own currency and in the reporting currency (cached: most
    periods share their amount, plan and rate day with many others)."""

    def __init__(self, *, currency: str, rates: FxTable) -> None:
        self.currency = currency
        self.rates = rates
        self._values: dict[tuple, tuple[int, int]] = {}
        self._restated: dict[tuple, int] = {}

    def _exact(self, segment: Segment) -> Fraction:
        return monthly(segment.recurring_amount, segment.interval)

    def value(self, segment: Segment) -> tuple[int, int]:
        """(MRR in the segment's currency, MRR in the reporting currency), both minor units."""
        foreign = segment.currency != self.currency
        key = (
            segment.recurring_amount,
            segment.interval,
            segment.currency,
            segment.rate_day if foreign else None,
        )
        cached = self._values.get(key)
        if cached is None:
            exact = self._exact(segment)
            cached = (
                round_half_up(exact),
                self.rates.convert(exact, segment.currency, self.currency, segment.rate_day),
            )
            self._values[key] = cached
        return cached

    def restated(self, segment: Segment, day: datetime.date) -> int:
        """The segment's MRR converted at `day`'s rate instead of its own period's (cached
        like `value`: a year of renewals restates the same few amounts thousands of times)."""
        key = (segment.recurring_amount, segment.interval, segment.currency, day)
        cached = self._restated.get(key)
        if cached is None:
            exact = self._exact(segment)
            cached = self.rates.convert(exact, segment.currency, self.currency, day)
            self._restated[key] = cached
        return cached


def rates_for(segments: Collection[Segment], currency: str) -> FxTable:
    """One query for the rates that convert every segment on its own start day."""
    foreign = [s for s in segments if s.currency != currency]
    if not foreign:
        return FxTable([])
    days = [s.rate_day for s in foreign]
    return fx_table(
        currencies={currency, *(s.currency for s in foreign)}, start=min(days), end=max(days)
    )


@dataclass(slots=True)
class CurrencyTotals:
    mrr: int = 0  # in the currency itself
    reported_mrr: int = 0  # in the reporting currency
    paying: int = 0


@dataclass(frozen=True, slots=True)
class DayTotals:
    """The state at the end of `day` and the movements during it."""

    day: datetime.date
    mrr: int
    cmrr: int
    paying: int
    by_currency: dict[str, CurrencyTotals]
    entries: tuple[MovementEntry, ...]


@dataclass(slots=True)
class _Workspace:
    segment: Segment | None = None
    cancel_scheduled: bool = False


@dataclass
class Replay:
    """The ledger replayed over days `start`..`end`; `days()` yields each day's totals."""

    start: datetime.date
    end: datetime.date
    currency: str
    workspace_ids: Collection[int] | None = None
    # Filled by load():
    opening: dict[int, _Workspace] = field(default_factory=dict)
    segments: list[Segment] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    valuer: Valuer | None = None
    # Workspaces that had paid before the first day (a return is then a reactivation), and
    # when the others' first paid invoice of the range started.
    paid_before: set[int] = field(default_factory=set)
    first_paid: dict[int, datetime.datetime] = field(default_factory=dict)

    def load(self) -> Replay:
        """Five queries at most, whatever the size of the ledger."""
        since, until = day_start(self.start), day_end(self.end)
        states = opening_states(at=since, workspace_ids=self.workspace_ids)
        self.segments = segments_between(since=since, until=until, workspace_ids=self.workspace_ids)
        self.changes = changes_between(since=since, until=until, workspace_ids=self.workspace_ids)
        self.opening = {pk: _opening(state) for pk, state in states.items()}
        if self.segments:
            # Asked only about the workspaces billed in the range: the only ones that can start
            # paying in it.
            self.paid_before = paid_before(
                at=since, billed_since=since, billed_until=until, workspace_ids=self.workspace_ids
            )
        for segment in self.segments:  # in order: the first one seen is the earliest
            if segment.recurring_amount > 0:
                self.first_paid.setdefault(segment.workspace_id, segment.start)
        everything = [s.segment for s in states.values()] + self.segments
        self.valuer = Valuer(currency=self.currency, rates=rates_for(everything, self.currency))
        return self

    def is_paying(self, segment: Segment | None) -> bool:
        return segment is not None and self.valuer.value(segment)[0] > 0

    def reported(self, segment: Segment | None) -> int:
        return self.valuer.value(segment)[1] if self.is_paying(segment) else 0

    def opening_mrr(self) -> dict[int, int]:
        """MRR per paying workspace at the start of the first day (the end of the day before)."""
        return {
            pk: self.reported(ws.segment)
            for pk, ws in self.opening.items()
            if self.is_paying(ws.segment)
        }

    def days(self) -> Iterator[DayTotals]:
        state = {pk: _Workspace(ws.segment, ws.cancel_scheduled) for pk, ws in self.opening.items()}
        by_currency: dict[str, CurrencyTotals] = {}
        totals = {"mrr": 0, "scheduled": 0, "paying": 0}

        def count(workspace: _Workspace, sign: int) -> None:
            if not self.is_paying(workspace.segment):
                return
            native, reported = self.valuer.value(workspace.segment)
            bucket = by_currency.setdefault(workspace.segment.currency, CurrencyTotals())
            bucket.mrr += sign * native
            bucket.reported_mrr += sign * reported
            bucket.paying += sign
            totals["mrr"] += sign * reported
            totals["paying"] += sign
            if workspace.cancel_scheduled:
                totals["scheduled"] += sign * reported

        for workspace in state.values():
            count(workspace, +1)
        events = _events_by_day(self.segments, self.changes)
        day = self.start
        while day <= self.end:
            before: dict[int, Segment | None] = {}
            for kind, item in events.get(day, ()):
                workspace = state.setdefault(item.workspace_id, _Workspace())
                before.setdefault(item.workspace_id, workspace.segment)
                count(workspace, -1)
                _apply(workspace, kind, item)
                count(workspace, +1)
            entries = tuple(
                entry
                for pk, previous in before.items()
                for entry in self._classify(day, pk, previous, state[pk].segment)
            )
            yield DayTotals(
                day=day,
                mrr=totals["mrr"],
                cmrr=totals["mrr"] - totals["scheduled"],
                paying=totals["paying"],
                by_currency={
                    code: CurrencyTotals(t.mrr, t.reported_mrr, t.paying)
                    for code, t in sorted(by_currency.items())
                    if t.paying
                },
                entries=entries,
            )
            day += datetime.timedelta(days=1)

    def _classify(
        self,
        day: datetime.date,
        workspace_id: int,
        previous: Segment | None,
        current: Segment | None,
    ) -> list[MovementEntry]:
        was, now = self.is_paying(previous), self.is_paying(current)
        if not was and not now:
            return []

        def entry(kind: Movement, amount: int) -> MovementEntry:
            return MovementEntry(day=day, workspace_id=workspace_id, kind=kind, amount=amount)

        if not was:
            # A workspace that had paid before this day is back; one that never had is new.
            first_paid = self.first_paid.get(workspace_id)
            returning = workspace_id in self.paid_before or (
                first_paid is not None and first_paid < day_start(day)
            )
            kind = Movement.REACTIVATION if returning else Movement.NEW
            return [entry(kind, self.reported(current))]
        if not now:
            return [entry(Movement.CHURN, -self.reported(previous))]
        if previous is current:
            return []
        # The previous period's MRR at the new period's rate separates the exchange rate's
        # part of the change from the customer's; in another currency there is no such part.
        restated = self.reported(previous)
        if previous.currency == current.currency:
            restated = self.valuer.restated(previous, current.rate_day)
        fx = restated - self.reported(previous)
        change = self.reported(current) - restated
        entries = [entry(Movement.FX, fx)] if fx else []
        if change > 0:
            entries.append(entry(Movement.EXPANSION, change))
        elif change < 0:
            entries.append(entry(Movement.CONTRACTION, change))
        return entries


def _opening(state: OpeningState) -> _Workspace:
    if state.ended:
        return _Workspace(None, False)
    return _Workspace(state.segment, state.cancel_scheduled)


def _events_by_day(
    segments: list[Segment], changes: list[Change]
) -> dict[datetime.date, list[tuple[str, Segment | Change]]]:
    """Invoices starting and history rows, by UTC day, in time order; at the same instant an
    invoice comes before a history row, and invoices in the order `opening_states` picks the
    latest by (period start, issue time, id)."""
    timed = [(s.start, 0, s.issued_at, s.invoice_id, "segment", s) for s in segments] + [
        (c.at, 1, c.at, c.pk, "change", c) for c in changes
    ]
    timed.sort(key=lambda t: t[:4])
    by_day: dict[datetime.date, list[tuple[str, Segment | Change]]] = {}
    for at, _order, _issued, _pk, kind, item in timed:
        by_day.setdefault(at.astimezone(datetime.UTC).date(), []).append((kind, item))
    return by_day


def _apply(workspace: _Workspace, kind: str, item: Segment | Change) -> None:
    if kind == "segment":
        workspace.segment = item
        return
    if item.kind == ChangeKind.ENDED:
        # An end closes the latest invoice issued at or before it.
        if workspace.segment is not None and workspace.segment.issued_at <= item.at:
            workspace.segment = None
        workspace.cancel_scheduled = False
    else:
        workspace.cancel_scheduled = item.kind == ChangeKind.CANCEL_SCHEDULED
