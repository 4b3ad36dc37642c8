"""Proration and coupon arithmetic, in integer minor units."""

import datetime

import pytest

from billing import ledger
from billing.models import Coupon, CouponDuration, Credit, Plan

UTC = datetime.UTC
START = datetime.datetime(2026, 1, 1, tzinfo=UTC)


def _coupon(**fields) -> Coupon:
    return Coupon(code="X", name="X", duration=CouponDuration.ONCE, **fields)


@pytest.mark.parametrize(
    ("percent", "amount", "expected"),
    [
        (20, 1200, 240),
        (20, 1800, 360),
        (15, 999, 150),
        (33, 1000, 330),
        (100, 5900, 5900),
        (50, 1, 1),
    ],
)
def test_percent_discount_rounds_half_up(percent, amount, expected):
    assert ledger.coupon_discount(_coupon(percent_off=percent), amount, "USD") == expected


def test_amount_discount_only_in_its_currency_and_never_beyond_the_charge():
    coupon = _coupon(amount_off=500, currency="USD")
    assert ledger.coupon_discount(coupon, 1200, "USD") == 500
    assert ledger.coupon_discount(coupon, 300, "USD") == 300
    assert ledger.coupon_discount(coupon, 1100, "EUR") == 0


def test_unused_amount_is_exact_and_rounds_down():
    end = START + datetime.timedelta(days=30)
    half = START + datetime.timedelta(days=15)
    assert ledger.unused_amount(1200, START, end, half) == 600
    third = START + datetime.timedelta(days=10)
    assert ledger.unused_amount(1000, START, end, third) == 666  # 666.66… rounds down
    assert ledger.unused_amount(1200, START, end, end) == 0
    assert ledger.unused_amount(1200, START, end, START - datetime.timedelta(days=1)) == 1200


def test_period_end_handles_month_lengths():
    assert ledger.period_end(datetime.datetime(2026, 1, 31, tzinfo=UTC), "month") == (
        datetime.datetime(2026, 2, 28, tzinfo=UTC)
    )
    assert ledger.period_end(START, "year") == datetime.datetime(2027, 1, 1, tzinfo=UTC)


@pytest.mark.django_db
def test_draft_applies_coupon_then_credits_in_order():
    plan = Plan.objects.get(key="pro-monthly")
    credits = [
        Credit(pk=1, amount=300, remaining=300, currency="USD"),
        Credit(pk=2, amount=900, remaining=900, currency="USD"),
        Credit(pk=3, amount=900, remaining=900, currency="EUR"),
    ]
    draft = ledger.draft_invoice(
        plan=plan,
        currency="USD",
        period_start=START,
        coupon=_coupon(percent_off=20),
        credits=credits,
    )
    assert (draft.subtotal, draft.discount) == (1200, 240)
    assert draft.credit_applied == 960
    assert [(c.pk, used) for c, used in draft.credit_allocations] == [(1, 300), (2, 660)]
    assert draft.total == 0


@pytest.mark.django_db
def test_draft_with_more_credit_than_charge_leaves_a_credit():
    plan = Plan.objects.get(key="pro-monthly")
    unused = ledger.DraftLine("proration", "Unused annual time", -9000)
    draft = ledger.draft_invoice(plan=plan, currency="USD", period_start=START, proration=unused)
    assert draft.subtotal == 1200 - 9000
    assert draft.total == 0
    assert draft.leftover_credit == 7800


@pytest.mark.django_db
def test_yen_prices_have_no_minor_unit():
    from billing.money import format_money

    assert Plan.objects.get(key="pro-monthly").price_in("JPY") == 1800
    assert format_money(1800, "JPY", "en") == "¥1,800"
    assert format_money(1200, "USD", "de") == "12,00\xa0$"
