"""Monthly sign-up cohorts: how many of each month's new accounts come back, month after month,
and how the money their workspaces pay develops.

A cohort is the accounts that signed up (`User.date_joined`) in one calendar month (UTC).
Month k of a cohort is the k-th calendar month after its sign-up month (month 0 is the sign-up
month itself). An account is retained in month k when it did a key action in that month
(`engagement.KEY_ACTIONS`: signed in, created, rendered, scheduled or published a video).

Revenue retention follows the cohort's workspaces, the workspaces its accounts created (a
person's personal workspace, and the teams they started): the paid invoices' totals per month
(`Invoice.paid_at`), in integer minor units per currency, relative to month 0. Pass `convert`
to add every currency up in one reporting currency instead (see `Converter`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import TypedDict

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from analytics.models import Event
from billing.models import Invoice
from billing.models.invoices import InvoiceStatus

from .engagement import KEY_ACTIONS, day_start, instant, ratio

RETENTION_MONTHS = 12
MAX_COHORTS = 120

# (amount in minor units, its currency, the first day of the month it was paid in) → the
# amount in the reporting currency's minor units. It is called once per cohort, month and
# currency (at most MAX_COHORTS × 13 × the number of currencies), so it should read rates
# loaded beforehand, not query per call. The SaaS metrics' FX module provides one.
Converter = Callable[[int, str, dt.date], int]


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def _months_between(first: dt.date, later: dt.date) -> int:
    return (later.year - first.year) * 12 + later.month - first.month


def _as_month(value: dt.date | dt.datetime) -> dt.date:
    """TruncMonth gives a datetime on PostgreSQL and SQLite alike; its month as a date."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC).date()
    return value.replace(day=1)


def _cohort_months(
    start: dt.date, end: dt.date, as_of: dt.datetime | None
) -> tuple[list[dt.date], dt.datetime]:
    """The cohorts' months from `start`'s month to `end`'s, and the instant up to which
    activity is read (`as_of`, now by default)."""
    for day in (start, end):
        day_start(day)  # a date in range, or a ValueError
    if end < start:
        raise ValueError(_("The start must not be after the end."))
    count = _months_between(_month(start), _month(end)) + 1
    if count > MAX_COHORTS:
        raise ValueError(_("Ask for at most %(count)s monthly cohorts.") % {"count": MAX_COHORTS})
    if as_of is None:
        as_of = timezone.now()
    elif not isinstance(as_of, dt.datetime):
        raise ValueError(_("Give dates and times with a time zone."))
    instant(as_of)  # with a time zone and in range, or a ValueError
    return [_add_months(_month(start), n) for n in range(count)], as_of


def _reached(cohort: dt.date, month_index: int, as_of: dt.datetime) -> bool:
    """Whether month k of the cohort has begun by `as_of` (a month under way counts)."""
    return _add_months(cohort, month_index) <= as_of.astimezone(dt.UTC).date()


class RetentionCohort(TypedDict):
    cohort: dt.date
    size: int
    retained: list[int | None]
    retention: list[float | None]


def retention_cohorts(
    *, start: dt.date, end: dt.date, as_of: dt.datetime | None = None
) -> list[RetentionCohort]:
    """Monthly sign-up cohorts from `start`'s month to `end`'s, oldest first, each with its
    size and, for months 0..12, the accounts retained (`retained[k]`) and their share of the
    size (`retention[k]`). A month that has not begun by `as_of` is None in both; a cohort
    without sign-ups has size 0 and shares of None. Two queries."""
    months, as_of = _cohort_months(start, end, as_of)
    since, until = day_start(months[0]), day_start(_add_months(months[-1], 1))
    horizon = min(as_of, day_start(_add_months(months[-1], RETENTION_MONTHS + 1)))
    sizes = {
        _as_month(cohort): size
        for cohort, size in User.objects.filter(date_joined__gte=since, date_joined__lt=until)
        .annotate(cohort=TruncMonth("date_joined", tzinfo=dt.UTC))
        .values("cohort")
        .annotate(size=Count("pk"))
        .values_list("cohort", "size")
    }
    active: dict[tuple[dt.date, int], int] = {}
    rows = (
        Event.objects.filter(
            name__in=KEY_ACTIONS,
            actor__date_joined__gte=since,
            actor__date_joined__lt=until,
            occurred_at__gte=since,
            occurred_at__lt=horizon,
        )
        .annotate(
            cohort=TruncMonth("actor__date_joined", tzinfo=dt.UTC),
            month=TruncMonth("occurred_at", tzinfo=dt.UTC),
        )
        .values("cohort", "month")
        .annotate(users=Count("actor", distinct=True))
        .values_list("cohort", "month", "users")
    )
    for cohort, month, users in rows:
        cohort = _as_month(cohort)
        active[cohort, _months_between(cohort, _as_month(month))] = users
    result: list[RetentionCohort] = []
    for cohort in months:
        size = sizes.get(cohort, 0)
        retained = [
            active.get((cohort, k), 0) if _reached(cohort, k, as_of) else None
            for k in range(RETENTION_MONTHS + 1)
        ]
        result.append(
            {
                "cohort": cohort,
                "size": size,
                "retained": retained,
                "retention": [None if n is None else ratio(n, size) for n in retained],
            }
        )
    return result


class RevenueCohort(TypedDict):
    cohort: dt.date
    revenue: dict[str, list[int | None]]
    retention: dict[str, list[float | None]]


def revenue_cohorts(
    *,
    start: dt.date,
    end: dt.date,
    as_of: dt.datetime | None = None,
    convert: Converter | None = None,
    reporting_currency: str = "",
) -> list[RevenueCohort]:
    """Revenue retention of the monthly sign-up cohorts from `start`'s month to `end`'s,
    oldest first: for months 0..12, the paid invoices' totals of the cohort's workspaces by the
    month they were paid, and each month's total relative to month 0 (None when month 0 had no
    revenue, as in a free-first product is common, or the month has not begun by `as_of`).

    Without `convert`, `revenue` and `retention` have one entry per currency that was paid in
    (integer minor units, never mixed). With `convert` and `reporting_currency`, each cohort,
    month and currency's total is converted at the month's first day and added up under
    `reporting_currency`. Totals are what was invoiced and paid: refunds are not deducted. One
    query (plus what `convert` does)."""
    months, as_of = _cohort_months(start, end, as_of)
    if convert is not None and not reporting_currency:
        raise ValueError(_("Name the currency to convert into."))
    since, until = day_start(months[0]), day_start(_add_months(months[-1], 1))
    horizon = min(as_of, day_start(_add_months(months[-1], RETENTION_MONTHS + 1)))
    rows = (
        Invoice.objects.filter(
            status=InvoiceStatus.PAID,
            workspace__created_by__date_joined__gte=since,
            workspace__created_by__date_joined__lt=until,
            paid_at__gte=since,
            paid_at__lt=horizon,
        )
        .annotate(
            cohort=TruncMonth("workspace__created_by__date_joined", tzinfo=dt.UTC),
            month=TruncMonth("paid_at", tzinfo=dt.UTC),
        )
        .values("cohort", "month", "currency")
        .annotate(paid=Sum("total"))
        .values_list("cohort", "month", "currency", "paid")
    )
    paid: dict[dt.date, dict[str, dict[int, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for cohort, month, currency, amount in rows:
        cohort, month = _as_month(cohort), _as_month(month)
        index = _months_between(cohort, month)
        if index > RETENTION_MONTHS:
            continue
        if convert is not None:
            paid[cohort][reporting_currency][index] += convert(int(amount), currency, month)
        else:
            paid[cohort][currency][index] += int(amount)
    result: list[RevenueCohort] = []
    for cohort in months:
        revenue: dict[str, list[int | None]] = {}
        retention: dict[str, list[float | None]] = {}
        for currency in sorted(paid.get(cohort, {})):
            by_month = paid[cohort][currency]
            amounts = [
                by_month.get(k, 0) if _reached(cohort, k, as_of) else None
                for k in range(RETENTION_MONTHS + 1)
            ]
            revenue[currency] = amounts
            retention[currency] = [
                None if amount is None else ratio(amount, amounts[0] or 0) for amount in amounts
            ]
        result.append({"cohort": cohort, "revenue": revenue, "retention": retention})
    return result
