"""Exchange rates: conversion through the euro, the latest earlier rate, a clear failure."""

import datetime
from decimal import Decimal

import pytest

from analytics.metrics.revenue import FxRateMissing, fx_convert, fx_rate, fx_table
from analytics.metrics.revenue.money import ratio, round_half_up

D = datetime.date
FRIDAY, SATURDAY, MONDAY = D(2026, 1, 9), D(2026, 1, 10), D(2026, 1, 12)


@pytest.fixture
def friday_rates(rates):
    rates(
        (FRIDAY, "USD", "1.1740"),
        (FRIDAY, "GBP", "0.8734"),
        (FRIDAY, "JPY", "182.93"),
        (MONDAY, "USD", "1.2000"),
    )


def test_euros_to_dollars(friday_rates):
    # 100.00 EUR × 1.1740 = 117.40 USD.
    assert fx_convert(amount=10000, source="EUR", target="USD", day=FRIDAY) == 11740


def test_dollars_to_pounds_go_through_the_euro(friday_rates):
    # 100.00 USD ÷ 1.1740 × 0.8734 = 74.395229… GBP → 74.40 (7439.5229 pence rounds up).
    assert fx_convert(amount=10000, source="USD", target="GBP", day=FRIDAY) == 7440


def test_minor_units_differ_between_currencies(friday_rates):
    # 12.00 USD ÷ 1.1740 × 182.93 = 1869.81 yen → 1870 (yen have no minor unit).
    assert fx_convert(amount=1200, source="USD", target="JPY", day=FRIDAY) == 1870
    # 1800 yen ÷ 182.93 × 1.1740 = 11.5518 USD → 1155 cents (1155.18).
    assert fx_convert(amount=1800, source="JPY", target="USD", day=FRIDAY) == 1155


def test_a_day_without_rates_uses_the_latest_earlier_one(friday_rates):
    assert fx_rate(currency="USD", day=SATURDAY) == Decimal("1.1740")
    assert fx_convert(amount=10000, source="EUR", target="USD", day=SATURDAY) == 11740
    assert fx_rate(currency="USD", day=MONDAY) == Decimal("1.2000")


def test_no_rate_on_or_before_the_day_fails_clearly(friday_rates):
    with pytest.raises(FxRateMissing) as raised:
        fx_convert(amount=100, source="EUR", target="USD", day=FRIDAY - datetime.timedelta(1))
    assert (raised.value.currency, raised.value.day) == ("USD", D(2026, 1, 8))
    assert "manage.py load_fx_rates" in str(raised.value)
    with pytest.raises(FxRateMissing):
        fx_rate(currency="BRL", day=MONDAY)


def test_the_euro_and_a_currency_to_itself_need_no_rate(db, django_assert_num_queries):
    assert fx_rate(currency="EUR", day=FRIDAY) == 1
    with django_assert_num_queries(0):
        assert (
            fx_table(currencies=["EUR"], start=FRIDAY, end=FRIDAY).convert(
                1234, "KRW", "KRW", FRIDAY
            )
            == 1234
        )


def test_one_table_serves_a_range_with_one_query(friday_rates, django_assert_num_queries):
    with django_assert_num_queries(1):
        table = fx_table(currencies=["USD", "GBP"], start=SATURDAY, end=MONDAY)
    # Friday's rate (the latest before the range) and Monday's are both in it.
    assert table.rate("USD", SATURDAY) == Decimal("1.1740")
    assert table.rate("USD", MONDAY) == Decimal("1.2000")
    assert table.rate("GBP", MONDAY) == Decimal("0.8734")


def test_rounding_is_half_up_once():
    assert [round_half_up(x) for x in (Decimal("0.5"), Decimal("1.5"), Decimal("2.5"))] == [1, 2, 3]
    assert round_half_up(Decimal("-0.5")) == 0
    assert ratio(Decimal(1) / 3) == Decimal("0.333333")
    assert ratio(None) is None
