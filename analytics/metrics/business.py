"""The business dashboard's figures over a range of days: `business_report`, one selector.

Every figure of the staff dashboard (/analytics/business/), of its CSV exports and of
GET /api/v1/analytics/business/ comes from `business_report`, composed from the metric
functions (`revenue`, `engagement`, `cohorts`, `funnels`). When the daily rollup table lands,
the sections read it here instead and the views, API and charts do not change.

A range is whole UTC days, both ends included, at most `MAX_REPORT_DAYS` long. Figures "now"
in the seed's words (total users, 7- and 30-day active, sign-ups in 7 days, total videos) are
taken at the end of the range's last day, so an older range shows what was true then. Every
read runs inside `reading_analytics()`: on the read replica when one is configured. The number
of queries depends on which sections are asked for, never on the amount of data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from accounts.models import User
from analytics.events import EventName
from analytics.models import Event

from . import revenue, rollups
from .cohorts import retention_cohorts
from .engagement import (
    FIRST_DAY,
    activation_rate,
    active_users,
    average_video_length,
    day_range,
    day_start,
    platforms_by_posts,
    ratio,
    templates_by_use,
    videos_per_user,
)
from .funnels import FUNNELS, predefined_funnel
from .routing import reading_analytics

# The longest range the dashboard and its API compute (the page shortens longer ones).
MAX_REPORT_DAYS = 366
RECENT_DAYS = 7  # "new sign-ups in 7 days", "videos created in 7 days"
TREND_MONTHS = 6  # growth trends: the months ending with the range's last month
COHORT_MONTHS = 12  # the cohort heatmap: sign-up months ending with the range's last month
TOP_TEMPLATES = 10
SEED_FUNNEL = "visitor_to_pro"  # Visitor → Sign-up → Verified → First video → Pro

Report = dict[str, Any]


# -- months -------------------------------------------------------------------------------------


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months after `month`'s (before, when negative)."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def _as_month(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC).date()
    return value.replace(day=1)


def _change(current: int | None, previous: int | None) -> tuple[int | None, float | None]:
    """Month-over-month velocity: the change, and the change as a share of the month before."""
    if current is None or previous is None:
        return None, None
    return current - previous, ratio(current - previous, previous)


def _end_instant(day: dt.date) -> dt.datetime:
    return day_start(day) + dt.timedelta(days=1)


# -- sections -----------------------------------------------------------------------------------


def _missing_rate(missing: revenue.FxRateMissing) -> dict:
    return {"currency": missing.currency, "day": missing.day}


def revenue_section(*, start: dt.date, end: dt.date) -> dict:
    """MRR at the end of the range with its movements over it (ChartMogul's, with FX impact),
    ARR, customers, paying customers, conversion, ARPU, churn, retention, LTV, CAC and LTV:CAC
    (flagged below the seed's target of 3), and MRR per subscription currency. All money in
    minor units of the reporting currency. When an exchange rate is missing, no figure (a
    wrong total is worse than none) and the rate to add."""
    try:
        metrics = revenue.saas_metrics(start=start, end=end, from_rollup=True)
    except revenue.FxRateMissing as missing:
        return {"currency": revenue.reporting_currency(), "missing_rate": _missing_rate(missing)}
    movements = metrics.movements
    return {
        "currency": metrics.currency,
        "missing_rate": None,
        "mrr": metrics.mrr,
        "cmrr": metrics.cmrr,
        "arr": metrics.arr,
        "opening_mrr": movements.opening_mrr,
        "net_new_mrr": movements.net_new,
        "movements": [
            {
                "kind": str(kind),
                "amount": movements.amounts[kind],
                "workspaces": movements.counts[kind],
            }
            for kind in revenue.MOVEMENTS
        ],
        "customers": metrics.customers,
        "paying_customers": metrics.paying_customers,
        "new_paying_customers": metrics.new_paying_customers,
        "churned_customers": metrics.churned_customers,
        "conversion_pool": metrics.conversion_pool,
        "free_to_paid_conversion": metrics.free_to_paid_conversion,
        "arpu": metrics.arpu,
        "customer_churn_rate": metrics.customer_churn_rate,
        "monthly_customer_churn_rate": metrics.monthly_customer_churn_rate,
        "gross_mrr_churn_rate": metrics.gross_mrr_churn_rate,
        "net_mrr_churn_rate": metrics.net_mrr_churn_rate,
        "net_revenue_retention": metrics.net_revenue_retention,
        "gross_margin": metrics.gross_margin,
        "average_customer_lifetime_months": metrics.average_customer_lifetime_months,
        "ltv": metrics.ltv,
        "marketing_spend": metrics.marketing_spend,
        "cac": metrics.cac,
        "ltv_to_cac": metrics.ltv_to_cac,
        "ltv_to_cac_target": Decimal(revenue.LTV_CAC_TARGET.numerator)
        / Decimal(revenue.LTV_CAC_TARGET.denominator),
        "ltv_to_cac_below_target": metrics.ltv_to_cac_below_target,
        "payback_months": metrics.payback_months,
        "by_currency": [
            {
                "currency": code,
                "mrr": totals.mrr,
                "reported_mrr": totals.reported_mrr,
                "paying": totals.paying,
            }
            for code, totals in movements.closing_by_currency.items()
        ],
    }


def users_section(*, start: dt.date, end: dt.date) -> dict:
    """Accounts at the end of the range, those active in its last 1, 7 and 30 days, sign-ups of
    its last 7 days, the activation rate of the range's sign-ups, and videos per account."""
    until = _end_instant(end)
    accounts = User.objects.filter(date_joined__lt=until).aggregate(
        total=Count("pk"),
        recent=Count("pk", filter=Q(date_joined__gte=until - dt.timedelta(days=RECENT_DAYS))),
    )
    active = active_users(day=end)
    activation = activation_rate(start=start, end=end)
    videos = videos_per_user(day=end)
    return {
        "as_of": end,
        "total": accounts["total"],
        "new_7_days": accounts["recent"],
        "active_1_day": active["dau"],
        "active_7_days": active["wau"],
        "active_30_days": active["mau"],
        "dau_mau": active["dau_mau"],
        "activation": {
            "days": activation["days"],
            "signed_up": activation["signed_up"],
            "activated": activation["activated"],
            "rate": activation["rate"],
        },
        "videos_per_user": videos["per_user"],
        "videos_per_creator": videos["per_creator"],
    }


def content_section(*, start: dt.date, end: dt.date) -> dict:
    """Videos created up to the end of the range, in its last 7 days and in the range
    (`video.created` events: deleted videos count), posts per platform, the most used
    templates and the average length of the range's videos."""
    since, until = day_range(start=start, end=end)
    made = Event.objects.filter(name=EventName.VIDEO_CREATED, occurred_at__lt=until).aggregate(
        total=Count("pk"),
        recent=Count("pk", filter=Q(occurred_at__gte=until - dt.timedelta(days=RECENT_DAYS))),
        in_range=Count("pk", filter=Q(occurred_at__gte=since)),
    )
    platforms = platforms_by_posts(start=start, end=end)
    posts = sum(row["posts"] for row in platforms)
    length = average_video_length(start=start, end=end)
    return {
        "as_of": end,
        "total_videos": made["total"],
        "videos_7_days": made["recent"],
        "videos_in_range": made["in_range"],
        "average_length_seconds": length["average_seconds"],
        "platforms": [{**row, "share": ratio(row["posts"], posts)} for row in platforms],
        "templates": templates_by_use(start=start, end=end, limit=TOP_TEMPLATES),
    }


def growth_section(*, start: dt.date, end: dt.date) -> dict:
    """The `TREND_MONTHS` calendar months ending with the range's last month: sign-ups in
    each and MRR at each month's end (the last month up to the range's end, `partial`), each
    with its change from the month before and that change as a share (velocity)."""
    last = end.replace(day=1)
    # No month before the first day there can be figures for (a range in early 2000).
    months = [
        month
        for month in (add_months(last, n) for n in range(1 - TREND_MONTHS, 1))
        if month >= FIRST_DAY
    ]
    before = add_months(months[0], -1)
    signups = {
        _as_month(month): count
        for month, count in User.objects.filter(
            date_joined__gte=day_start(max(before, FIRST_DAY)), date_joined__lt=_end_instant(end)
        )
        .annotate(month=TruncMonth("date_joined", tzinfo=dt.UTC))
        .values("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
    }
    missing = None
    closing_days = {month: min(month_end(month), end) for month in months}
    try:
        # From the daily rollup (days it has not reached, and today, computed live).
        mrr_by_day = rollups.daily_series(
            keys=["mrr"], start=max(months[0] - dt.timedelta(days=1), FIRST_DAY), end=end
        )["mrr"]
    except revenue.FxRateMissing as error:
        missing, mrr_by_day = _missing_rate(error), {}
    previous_signups = signups.get(before, 0)
    previous_mrr = mrr_by_day.get(months[0] - dt.timedelta(days=1))
    rows = []
    for month in months:
        count = signups.get(month, 0)
        mrr = mrr_by_day.get(closing_days[month])
        signups_change, signups_velocity = _change(count, previous_signups)
        mrr_change, mrr_velocity = _change(mrr, previous_mrr)
        rows.append(
            {
                "month": month,
                "partial": closing_days[month] < month_end(month),
                "signups": count,
                "signups_change": signups_change,
                "signups_velocity": signups_velocity,
                "mrr": mrr,
                "mrr_change": mrr_change,
                "mrr_velocity": mrr_velocity,
            }
        )
        previous_signups, previous_mrr = count, mrr
    return {"currency": revenue.reporting_currency(), "missing_rate": missing, "months": rows}


def cohorts_section(*, start: dt.date, end: dt.date) -> dict:
    """Retention of the `COHORT_MONTHS` monthly sign-up cohorts ending with the range's last
    month, months 0–12, as known at the end of the range."""
    first = max(add_months(end.replace(day=1), 1 - COHORT_MONTHS), FIRST_DAY)
    as_of = _end_instant(end) - dt.timedelta(microseconds=1)
    return {"as_of": end, "cohorts": retention_cohorts(start=first, end=end, as_of=as_of)}


def funnel_section(*, start: dt.date, end: dt.date) -> dict:
    """The seed's funnel (Visitor → Sign-up → Verified → First video → Pro) of the people who
    entered during the range, with steps whose drop exceeds 20 % flagged."""
    result = predefined_funnel(key=SEED_FUNNEL, start=start, end=end)
    return {
        "key": SEED_FUNNEL,
        "label": str(FUNNELS[SEED_FUNNEL].label),
        "window_days": result["window_days"],
        "drop_flag": result["drop_flag"],
        "steps": result["steps"],
    }


SECTIONS: dict[str, Callable[..., dict]] = {
    "revenue": revenue_section,
    "users": users_section,
    "content": content_section,
    "growth": growth_section,
    "cohorts": cohorts_section,
    "funnel": funnel_section,
}


def check_report_range(*, start: dt.date, end: dt.date) -> None:
    """A ValueError with a translated message unless `start`..`end` is a range of days the
    report computes: real dates in 2000–2999, in order, at most MAX_REPORT_DAYS long."""
    day_range(start=start, end=end)
    if (end - start).days + 1 > MAX_REPORT_DAYS:
        raise ValueError(
            _("A date range can cover at most %(days)s days.") % {"days": MAX_REPORT_DAYS}
        )


def business_report(
    *, start: dt.date, end: dt.date, sections: Collection[str] | None = None
) -> Report:
    """Every figure of the business dashboard for the days `start`..`end` (UTC, inclusive):
    the sections named in `sections` (all of `SECTIONS` by default), each a dict of plain
    values (money in minor units of `currency`, shares as numbers from 0 to 1, None where
    there is nothing to divide by). `platform_health` is None: it comes with a later issue.

    Raises ValueError (translated) for a range `check_report_range` refuses or an unknown
    section."""
    check_report_range(start=start, end=end)
    wanted = list(SECTIONS) if sections is None else list(dict.fromkeys(sections))
    unknown = [name for name in wanted if name not in SECTIONS]
    if unknown:  # a caller's mistake, never a visitor's: the views name known sections
        raise ValueError(f"Unknown sections {unknown}; known: {list(SECTIONS)}")
    report: Report = {
        "start": start,
        "end": end,
        "currency": revenue.reporting_currency(),
        "platform_health": None,
    }
    with reading_analytics():
        for name in wanted:
            report[name] = SECTIONS[name](start=start, end=end)
    return report


def movement_breakdown(*, start: dt.date, end: dt.date, kind: str) -> dict:
    """The drill-down of one MRR movement over `start`..`end`: the workspaces behind it with
    their amounts (minor units of `currency`), largest first; the amounts add up to the
    movement's figure in `business_report`. ValueError (translated) for an unknown kind or a
    refused range; `missing_rate` set instead of rows when an exchange rate is missing."""
    check_report_range(start=start, end=end)
    if kind not in {str(movement) for movement in revenue.MOVEMENTS}:
        raise ValueError(_("“%(kind)s” is not an MRR movement.") % {"kind": str(kind)[:50]})
    currency = revenue.reporting_currency()
    with reading_analytics():
        try:
            rows = revenue.mrr_movement_breakdown(start=start, end=end, kind=revenue.Movement(kind))
        except revenue.FxRateMissing as missing:
            return {"kind": kind, "currency": currency, "missing_rate": _missing_rate(missing)}
    return {
        "kind": kind,
        "currency": currency,
        "missing_rate": None,
        "total": sum(row.amount for row in rows),
        "workspaces": [
            {
                "workspace_id": row.workspace_id,
                "workspace_name": row.workspace_name,
                "amount": row.amount,
                "days": len(row.days),
                "first_day": min(row.days),
                "last_day": max(row.days),
            }
            for row in rows
        ],
    }
