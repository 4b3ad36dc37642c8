"""Billing histories for the MRR tests, written through billing's real services: the step a
generated history draws next (`draw_step`) and takes (`act`), the world it starts from
(`world`), an exchange rate that moves (`move_rate`), and one rich history with every
movement in it (`RICH_HISTORY`)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from hypothesis import strategies as st

from analytics.metrics.models import FxRate
from billing.models import CouponDuration

from .conftest import START, Ledger, make_coupon

WORKSPACES = 4
PLANS = ["pro-monthly", "pro-annual"]
COUPONS = ["", "", "HALFONCE", "QUARTER3", "TENFOREVER", "TWOOFF"]
# What an owner of a paid workspace may do next; "rate" moves an exchange rate instead.
PAID_ACTIONS = ["switch", "cancel", "resume", "end", "card", "refund", "credit", "rate", "wait"]


def draw_step(data, ledger: Ledger, workspaces: list) -> tuple:
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


def act(ledger: Ledger, workspaces: list, step: tuple) -> bool:
    """Take the step; False when billing refused it."""
    name, *args = step
    if name == "wait":
        return True
    if name == "rate":
        move_rate(ledger.clock.today, *args)
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


def world(clock) -> tuple[Ledger, list]:
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


def move_rate(day: datetime.date, currency: str, rate: Decimal) -> None:
    FxRate.objects.update_or_create(day=day, currency=currency, defaults={"rate_per_eur": rate})


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
