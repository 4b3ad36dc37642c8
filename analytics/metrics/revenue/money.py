"""Exact money arithmetic for the metrics: one rounding rule, applied once per figure.

Every intermediate value is an exact fraction (`fractions.Fraction`); a figure is rounded only
when it becomes an amount in minor units, half up (our amounts are never negative when
rounded, so half up and half away from zero agree). Ratios are rounded half up to
`RATIO_PLACES` decimal places.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from babel.numbers import get_currency_precision, is_currency

RATIO_PLACES = 6

# Months in a plan's billing period: MRR is the period's recurring amount divided by this.
MONTHS_PER_INTERVAL = {"month": 1, "year": 12}


def is_currency_code(value: str) -> bool:
    """Three capital letters that babel knows as an ISO 4217 currency."""
    return (
        isinstance(value, str)
        and len(value) == 3
        and value.isascii()
        and value.isupper()
        and is_currency(value)
    )


def minor_digits(currency: str) -> int:
    """Decimal places of the currency's minor unit: 2 for USD, 0 for JPY and KRW."""
    return get_currency_precision(currency)


def round_half_up(value: Fraction | int) -> int:
    """The nearest integer, halves rounded up (towards +∞)."""
    value = Fraction(value)
    return (value.numerator * 2 + value.denominator) // (value.denominator * 2)


def ratio(value: Fraction | None) -> Decimal | None:
    """An exact fraction as a Decimal rounded half up to RATIO_PLACES places; None stays None."""
    if value is None:
        return None
    return Decimal(round_half_up(Fraction(value) * 10**RATIO_PLACES)).scaleb(-RATIO_PLACES)


def monthly(amount: int, interval: str) -> Fraction:
    """A period's amount as an exact monthly amount: annual ÷ 12, monthly as is."""
    try:
        return Fraction(amount, MONTHS_PER_INTERVAL[interval])
    except KeyError:
        raise ValueError(f"A {interval!r} plan has no billing period to normalise") from None
