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
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.metrics.models import FxRate
from analytics.metrics.revenue import (
    Movement,
    mrr_movement_breakdown,
    mrr_movements,
    mrr_on,
    mrr_series,
)
from billing.models import CouponDuration, Invoice, Subscription, SubscriptionChange

from .conftest import START, Ledger, make_coupon

WORKSPACES = 4
DAY = datetime.timedelta(days=1)

periods = st.lists(st.tuples(st.integers(0, 800), st.integers(0, 800)), min_size=1, max_size=4)
rate_moves = st.lists(
    st.tuples(
        st.integers(1, 700), st.sampled_from(["USD", "GBP"]), st.decimals("0.7", "1.6", places=4)
    ),
    max_size=12,
)
PLANS = ["pro-monthly", "pro-annual"]
COUPONS = ["", "", "HALFONCE", "QUARTER3", "TENFOREVER", "TWOOFF"]
# What an owner of a paid workspace may do next; "rate" moves an exchange rate instead.
PAID_ACTIONS = ["switch", "cancel", "resume", "end", "card", "refund", "credit", "rate", "wait"]


def _draw_step(data, ledger: Ledger, workspaces: list) -> tuple:
    """A step that mostly makes sense in the workspace's state (so histories are rich); some
    are refused by billing, as they would be in production."""
    target = data.draw(st.integers(0, WORKSPACES - 1), label="workspace")
    subscription = ledger.subscription(workspaces[target])
    if not subscription.is_paid:
        return (
            "subscribe",
            target,
            data.draw(st.sampled_from(PLANS), label="plan"),
            data.draw(st.sampled_from(["USD", "EUR", "GBP"]), label="currency"),
            data.draw(st.sampled_from(COUPONS), label="coupon"),
        )
    name = data.draw(st.sampled_from(PAID_ACTIONS), label="action")
    if name == "card":
        return (name, target, data.draw(st.sampled_from(["ok", "decline"]), label="card"))
    if name == "refund":
        return (name, target, data.draw(st.sampled_from(["0.5", "1"]), label="share"))
    if name == "credit":
        return (name, target, data.draw(st.integers(1, 3000), label="credit"))
    if name == "rate":
        currency = data.draw(st.sampled_from(["USD", "GBP"]), label="rate currency")
        rate = data.draw(st.decimals("0.7", "1.6", places=4), label="rate")
        return (name, currency, rate)
    return (name, target)


def _act(ledger: Ledger, workspaces: list, step: tuple) -> bool:
    """Take the step; False when billing refused it."""
    name, *args = step
    if name == "wait":
        return True
    if name == "rate":
        _move_rate(ledger.clock.today, *args)
        return True
    target = workspaces[args[0]]
    try:
        if name == "subscribe":
            ledger.subscribe(target, plan=args[1], currency=args[2], coupon=args[3])
        elif name == "switch":
            other = {"pro-monthly": "pro-annual", "pro-annual": "pro-monthly"}
            ledger.switch(target, other[ledger.subscription(target).plan.key])
        elif name == "cancel":
            ledger.cancel(target)
        elif name == "resume":
            ledger.resume(target)
        elif name == "end":
            ledger.end_now(target)
        elif name == "card":
            ledger.card(target, args[1])
        elif name == "refund":
            ledger.refund_last_payment(target, Decimal(args[1]))
        elif name == "credit":
            ledger.credit(target, args[1], ledger.subscription(target).currency)
    except ValidationError:
        return False  # refused in this state (a switch while past due, …): nothing changed
    return True


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


def _world(clock) -> tuple[Ledger, list]:
    cache.clear()  # the tier cache is keyed by workspace id, which a rollback can reuse
    clock.now = START
    make_coupon("HALFONCE", CouponDuration.ONCE, percent_off=50)
    make_coupon("QUARTER3", CouponDuration.REPEATING, percent_off=25, duration_months=3)
    make_coupon("TENFOREVER", CouponDuration.FOREVER, percent_off=10)
    make_coupon("TWOOFF", CouponDuration.FOREVER, amount_off=200, currency="USD")
    FxRate.objects.bulk_create(
        [
            FxRate(day=START.date(), currency="USD", rate_per_eur=Decimal("1.1")),
            FxRate(day=START.date(), currency="GBP", rate_per_eur=Decimal("0.85")),
        ]
    )
    ledger = Ledger(clock)
    return ledger, [ledger.workspace() for _ in range(WORKSPACES)]


def _move_rate(day: datetime.date, currency: str, rate: Decimal) -> None:
    FxRate.objects.update_or_create(day=day, currency=currency, defaults={"rate_per_eur": rate})


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
        ledger, workspaces = _world(clock)
        # Exchange rates move on days of their own; renewals then meet new rates.
        for offset, currency, rate in data.draw(rate_moves, label="rate moves"):
            _move_rate(START.date() + offset * DAY, currency, rate)
        for _ in range(data.draw(st.integers(3, 20), label="steps")):
            ledger.days_pass(data.draw(st.integers(0, 40), label="days"))
            clock.advance(minutes=7)  # no two actions at the same instant
            _act(ledger, workspaces, _draw_step(data, ledger, workspaces))
        ledger.days_pass(data.draw(st.integers(0, 60), label="tail"))
        _check(START.date() - DAY, clock.today + DAY, data.draw(periods, label="periods"))
        _check_against_billing(workspaces, clock.today)
        transaction.set_rollback(True)


# One history with everything in it, written out, so that every movement is sure to occur.
RICH_HISTORY = [
    (0, ("subscribe", 0, "pro-monthly", "USD", "QUARTER3")),
    (0, ("subscribe", 1, "pro-annual", "EUR", "HALFONCE")),
    (0, ("subscribe", 2, "pro-monthly", "GBP", "TENFOREVER")),
    (0, ("subscribe", 3, "pro-monthly", "USD", "TWOOFF")),
    (10, ("refund", 0, "0.5")),
    (0, ("credit", 3, 500)),
    (5, ("switch", 1)),  # annual → monthly: expansion, the unused year credited
    (3, ("switch", 0)),  # monthly → annual, the coupon still running: contraction
    (2, ("cancel", 2)),
    (20, ("card", 3, "decline")),  # 14 Feb; fails on 5 Mar, moved to Free on 10 Mar
    (40, ("subscribe", 2, "pro-annual", "GBP", "")),  # ended on 5 Feb; back on 26 Mar: reactivation
    (5, ("subscribe", 3, "pro-monthly", "EUR", "")),  # back in another currency
    (10, ("cancel", 1)),
    (3, ("resume", 1)),
    (30, ("end", 0)),
]


@pytest.mark.django_db
def test_mrr_changes_by_its_movements_in_a_rich_history(clock):
    ledger, workspaces = _world(clock)
    _move_rate(START.date() + 31 * DAY, "USD", Decimal("1.2"))  # renewals in EUR meet it
    _move_rate(START.date() + 31 * DAY, "GBP", Decimal("0.9"))
    for gap, step in RICH_HISTORY:
        ledger.days_pass(gap)
        clock.advance(minutes=7)
        assert _act(ledger, workspaces, step), step
    ledger.days_pass(45)
    first, last = START.date() - DAY, clock.today + DAY
    whole = mrr_movements(start=first, end=last)
    assert all(whole.amounts[kind] for kind in Movement), whole.amounts
    _check(first, last, [(10, 40), (30, 31), (0, 90), (60, 200)])
    _check_against_billing(workspaces, clock.today)
