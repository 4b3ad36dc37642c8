"""The MRR invariant on generated histories: for any period, MRR(end) − MRR(start) = Σ movements,
to the minor unit.

Hypothesis writes histories of up to four workspaces through billing's real services and the
daily renewal and dunning tasks: upgrades from Free in USD, EUR or GBP, monthly and annual
plans, coupons (once, repeating, forever), switches between monthly and annual with their
unused-time credit, credits, refunds, cancellations at the period's end and their undoing,
declining cards (past due, recovered, moved to Free), immediate ends, returns after churn, and
exchange rates that move. Actions the product refuses in that state (a switch while past due, a
second upgrade) are refused here too, and change nothing.

The two sides come from different derivations: `mrr_on` picks each workspace's invoice in SQL,
`mrr_movements` and `mrr_series` replay the invoices and history rows day by day in Python.
Billing's own current state is a third witness: at the end, the paying workspaces are exactly
those whose subscription is paid.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.metrics.revenue import (
    Movement,
    mrr_movement_breakdown,
    mrr_movements,
    mrr_on,
    mrr_series,
)
from billing.models import Invoice, Subscription, SubscriptionChange

from .conftest import START
from .ledger_histories import RICH_HISTORY, act, draw_step, move_rate, world

DAY = datetime.timedelta(days=1)

periods = st.lists(st.tuples(st.integers(0, 800), st.integers(0, 800)), min_size=1, max_size=4)
rate_moves = st.lists(
    st.tuples(
        st.integers(1, 700), st.sampled_from(["USD", "GBP"]), st.decimals("0.7", "1.6", places=4)
    ),
    max_size=12,
)


def _ledger_days() -> set[datetime.date]:
    """Days on which billing wrote something MRR depends on, read straight from its tables."""
    moments = list(Invoice.objects.values_list("period_start", flat=True)) + list(
        SubscriptionChange.objects.values_list("created_at", flat=True)
    )
    return {moment.astimezone(datetime.UTC).date() for moment in moments}


def _check(first: datetime.date, last: datetime.date, chosen: list[tuple[int, int]]) -> None:
    span = (last - first).days
    series = mrr_series(start=first, end=last)
    by_day = {totals.day: totals for totals in series}
    previous_mrr = mrr_on(day=first - DAY).mrr
    for totals in series:
        # Each day's movements are the day's change of MRR.
        assert sum(entry.amount for entry in totals.entries) == totals.mrr - previous_mrr
        previous_mrr = totals.mrr
    # The replay agrees with mrr_on (its own SQL) around every day either of them, or billing,
    # saw a change (MRR is flat between them).
    changed = _ledger_days() | {t.day for t in series if t.entries}
    for day in sorted({d + delta * DAY for d in changed for delta in (-1, 0, 1)}):
        if day not in by_day:
            continue
        totals, snapshot = by_day[day], mrr_on(day=day)
        assert (totals.mrr, totals.cmrr, totals.paying) == (
            snapshot.mrr,
            snapshot.cmrr,
            snapshot.paying,
        ), day
        assert {c: (t.mrr, t.reported_mrr, t.paying) for c, t in totals.by_currency.items()} == {
            c: (t.mrr, t.reported_mrr, t.paying) for c, t in snapshot.by_currency.items()
        }, day
    # Any period: closing − opening = net new MRR, and the drill-down adds up to each figure.
    for a, b in [(0, span), *chosen]:
        start = first + DAY * (min(a, b) % (span + 1))
        end = first + DAY * (max(a, b) % (span + 1))
        if end < start:
            start, end = end, start
        movements = mrr_movements(start=start, end=end)
        assert movements.opening_mrr == mrr_on(day=start - DAY).mrr
        assert movements.closing_mrr == mrr_on(day=end).mrr
        assert movements.closing_mrr - movements.opening_mrr == movements.net_new
        assert movements.amounts[Movement.NEW] >= 0 <= movements.amounts[Movement.REACTIVATION]
        assert movements.amounts[Movement.CHURN] <= 0 >= movements.amounts[Movement.CONTRACTION]
        rows = mrr_movement_breakdown(start=start, end=end)
        for kind in Movement:
            assert sum(r.amount for r in rows if r.kind == kind) == movements.amounts[kind]
        daily = [e for t in series if start <= t.day <= end for e in t.entries]
        assert sum(e.amount for e in daily) == movements.net_new


def _check_against_billing(workspaces: list, today: datetime.date) -> None:
    snapshot = mrr_on(day=today)
    paying = {row.workspace_id: row for row in snapshot.workspaces}
    for ws in workspaces:
        subscription = Subscription.objects.select_related("plan").get(workspace=ws)
        assert (ws.pk in paying) == subscription.is_paid, ws.pk
        if subscription.is_paid:
            row = paying[ws.pk]
            assert (row.currency, row.plan_key) == (subscription.currency, subscription.plan.key)
            assert row.cancel_scheduled == subscription.cancel_at_period_end
            # At most the plan's full monthly price (a lasting coupon lowers it).
            price = subscription.plan.price_in(subscription.currency)
            months = 12 if subscription.plan.interval == "year" else 1
            assert 0 < row.mrr <= -(-price // months)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same histories on every run
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mrr_changes_by_its_movements(clock, data):
    with transaction.atomic():
        ledger, workspaces = world(clock)
        # Exchange rates move on days of their own; renewals then meet new rates.
        for offset, currency, rate in data.draw(rate_moves, label="rate moves"):
            move_rate(START.date() + offset * DAY, currency, rate)
        for _ in range(data.draw(st.integers(3, 20), label="steps")):
            ledger.days_pass(data.draw(st.integers(0, 40), label="days"))
            clock.advance(minutes=7)  # no two actions at the same instant
            act(ledger, workspaces, draw_step(data, ledger, workspaces))
        ledger.days_pass(data.draw(st.integers(0, 60), label="tail"))
        _check(START.date() - DAY, clock.today + DAY, data.draw(periods, label="periods"))
        _check_against_billing(workspaces, clock.today)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_mrr_changes_by_its_movements_in_a_rich_history(clock):
    ledger, workspaces = world(clock)
    move_rate(START.date() + 31 * DAY, "USD", Decimal("1.2"))  # renewals in EUR meet it
    move_rate(START.date() + 31 * DAY, "GBP", Decimal("0.9"))
    for gap, step in RICH_HISTORY:
        ledger.days_pass(gap)
        clock.advance(minutes=7)
        assert act(ledger, workspaces, step), step
    ledger.days_pass(45)
    first, last = START.date() - DAY, clock.today + DAY
    whole = mrr_movements(start=first, end=last)
    assert all(whole.amounts[kind] for kind in Movement), whole.amounts
    _check(first, last, [(10, 40), (30, 31), (0, 90), (60, 200)])
    _check_against_billing(workspaces, clock.today)
