"""Exchange rates: conversion between any two currencies through the euro.

`FxRate` rows are the ECB's reference rates (units of a currency per euro). To convert an
amount on a day, both currencies' rates of that day are used; a day without a rate (a weekend,
a holiday, a day not loaded yet) uses the latest earlier rate, and a currency without any rate
on or before the day raises `FxRateMissing`, which says what to load. Converting a currency to
itself needs no rate.

The factor between two currencies is exact (a fraction of the two stored decimals, scaled by
their minor units); an amount is rounded once, half up, to the target's minor unit.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext

from .money import minor_digits, round_half_up

BASE_CURRENCY = "EUR"


class FxRateMissing(LookupError):
    """No exchange rate for a currency on or before a day."""

    def __init__(self, currency: str, day: datetime.date) -> None:
        self.currency = currency
        self.day = day
        # In the active language: the staff dashboard shows it as it is.
        super().__init__(
            gettext(
                "No exchange rate for %(currency)s on or before %(day)s: load the ECB reference "
                "rates with “manage.py load_fx_rates FILE” or add one in the admin (Business "
                "metrics → Exchange rates)."
            )
            % {"currency": currency, "day": day.isoformat()}
        )


class FxTable:
    """Rates loaded once (one query) for some currencies over a range of days."""

    def __init__(self, rows: Iterable[tuple[str, datetime.date, Decimal]]) -> None:
        by_currency: dict[str, list[tuple[datetime.date, Decimal]]] = {}
        for currency, day, rate in rows:
            by_currency.setdefault(currency, []).append((day, rate))
        self._days: dict[str, list[datetime.date]] = {}
        self._rates: dict[str, list[Decimal]] = {}
        for currency, pairs in by_currency.items():
            pairs.sort()
            self._days[currency] = [day for day, _rate in pairs]
            self._rates[currency] = [rate for _day, rate in pairs]

    def rate(self, currency: str, day: datetime.date) -> Decimal:
        """Units of `currency` per euro on `day` (the latest rate on or before it)."""
        if currency == BASE_CURRENCY:
            return Decimal(1)
        days = self._days.get(currency, [])
        index = bisect.bisect_right(days, day) - 1
        if index < 0:
            raise FxRateMissing(currency, day)
        return self._rates[currency][index]

    def factor(self, source: str, target: str, day: datetime.date) -> Fraction:
        """Minor units of `target` per minor unit of `source` on `day`, exactly."""
        if source == target:
            return Fraction(1)
        per_eur = Fraction(self.rate(target, day)) / Fraction(self.rate(source, day))
        return per_eur * Fraction(10) ** (minor_digits(target) - minor_digits(source))

    def convert(self, amount: Fraction | int, source: str, target: str, day: datetime.date) -> int:
        """`amount` minor units of `source` in minor units of `target`, rounded half up."""
        return round_half_up(Fraction(amount) * self.factor(source, target, day))


def fx_table(*, currencies: Iterable[str], start: datetime.date, end: datetime.date) -> FxTable:
    """The rates of `currencies` for converting on any day from `start` to `end`: every row in
    the range and, per currency, the latest row before it. One query (none for only euros)."""
    from analytics.metrics.models import FxRate

    wanted = sorted(set(currencies) - {BASE_CURRENCY})
    if not wanted:
        return FxTable([])
    latest_before = (
        FxRate.objects.filter(currency=OuterRef("currency"), day__lte=start)
        .order_by("-day")
        .values("day")[:1]
    )
    rows = FxRate.objects.filter(currency__in=wanted).filter(
        Q(day__gt=start, day__lte=end) | Q(day=Subquery(latest_before))
    )
    return FxTable(rows.values_list("currency", "day", "rate_per_eur"))


def fx_rate(*, currency: str, day: datetime.date) -> Decimal:
    """Units of `currency` per euro on `day`; raises FxRateMissing. One query at most."""
    return fx_table(currencies=[currency], start=day, end=day).rate(currency, day)


def fx_convert(*, amount: int, source: str, target: str, day: datetime.date) -> int:
    """`amount` minor units of `source` in `target` at `day`'s rates, rounded half up to the
    minor unit. One query at most; raises FxRateMissing."""
    return fx_table(currencies=[source, target], start=day, end=day).convert(
        amount, source, target, day
    )
