"""Marketing spend over a period, in the reporting currency, for CAC.

Spend is recorded per channel and month (`MarketingSpend`). A period that covers part of a
month takes that share of the month's spend by days (10 days of a 31-day month: 10/31). Each
row is converted at the rate of its month's first day (the start of the period it pays for,
as MRR is converted at its period's start) and rounded half up once, to the minor unit.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from fractions import Fraction

from .fx import FxTable, fx_table
from .mrr import reporting_currency


@dataclass(frozen=True, slots=True)
class SpendTotal:
    start: datetime.date
    end: datetime.date
    currency: str
    total: int
    by_channel: dict[str, int]


def _overlap_days(
    month: datetime.date, start: datetime.date, end: datetime.date
) -> tuple[int, int]:
    days_in_month = calendar.monthrange(month.year, month.month)[1]
    last = month.replace(day=days_in_month)
    overlap = (min(end, last) - max(start, month)).days + 1
    return max(0, overlap), days_in_month


def marketing_spend(
    *, start: datetime.date, end: datetime.date, currency: str | None = None
) -> SpendTotal:
    """Spend of the days `start`..`end` inclusive, in total and per channel, in `currency`
    (default REPORTING_CURRENCY). Two queries at most; raises FxRateMissing."""
    from analytics.metrics.models import MarketingSpend

    if end < start:
        raise ValueError("The period ends before it starts.")
    currency = reporting_currency(currency)
    rows = list(
        MarketingSpend.objects.filter(month__gte=start.replace(day=1), month__lte=end)
        .order_by("month", "channel")
        .values_list("channel", "month", "amount", "currency")
    )
    foreign = [row for row in rows if row[3] != currency]
    rates = FxTable([])
    if foreign:
        rates = fx_table(
            currencies={currency, *(row[3] for row in foreign)},
            start=min(row[1] for row in foreign),
            end=max(row[1] for row in foreign),
        )
    by_channel: dict[str, int] = {}
    for channel, month, amount, code in rows:
        overlap, days_in_month = _overlap_days(month, start, end)
        share = Fraction(amount * overlap, days_in_month)
        by_channel[channel] = by_channel.get(channel, 0) + rates.convert(
            share, code, currency, month
        )
    return SpendTotal(
        start=start,
        end=end,
        currency=currency,
        total=sum(by_channel.values()),
        by_channel=dict(sorted(by_channel.items())),
    )
