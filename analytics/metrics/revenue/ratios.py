"""ARR, ARPU, customers, conversion, churn, retention, LTV and CAC over a period.

Every figure is computed from exact fractions and rounded once: money half up to the minor
unit of the reporting currency, rates and ratios half up to six decimal places (0.052632 is
5.2632 %). A figure whose denominator is zero is None (shown as "—"). Definitions are in the
README ("Metrics") and on each field below.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from analytics.metrics import conf
from teams.models import Team

from .history import day_end, day_start, recurring_invoices
from .money import ratio, round_half_up
from .movements import MrrMovements, mrr_movements
from .mrr import reporting_currency
from .spend import marketing_spend
from .stored import stored_mrr_movements
from .timeline import Movement

# The LTV:CAC ratio below which the dashboard flags it (the seed's target).
LTV_CAC_TARGET = Fraction(3)
# A month of the Gregorian calendar on average (365.25 / 12 days), to make a period's churn
# rate monthly.
AVERAGE_MONTH_DAYS = Fraction(1461, 48)


@dataclass(frozen=True, slots=True)
class SaasMetrics:
    start: datetime.date
    end: datetime.date
    currency: str  # every money figure is in minor units of this currency
    movements: MrrMovements
    # At the end of `end`:
    mrr: int
    cmrr: int
    arr: int  # MRR × 12
    customers: int  # workspaces that existed
    paying_customers: int  # workspaces with MRR above zero
    arpu: int | None  # MRR ÷ paying customers
    # Over the period:
    new_paying_customers: int  # workspaces with a "new" movement
    churned_customers: int  # workspaces with a "churn" movement
    conversion_pool: int  # never-paid workspaces at the start, plus those created in the period
    free_to_paid_conversion: Decimal | None  # new paying customers ÷ conversion pool
    customer_churn_rate: Decimal | None  # churned customers ÷ paying customers at the start
    monthly_customer_churn_rate: Decimal | None  # the same per average month (30.4375 days)
    gross_mrr_churn_rate: Decimal | None  # −(churn + contraction) ÷ opening MRR
    net_mrr_churn_rate: Decimal | None  # −(churn + contraction + expansion + reactivation) ÷ …
    net_revenue_retention: Decimal | None  # opening payers' MRR at the end, FX aside ÷ opening
    gross_margin: Decimal
    average_customer_lifetime_months: Decimal | None  # 1 ÷ monthly customer churn rate
    ltv: int | None  # ARPU × gross margin ÷ monthly customer churn rate
    marketing_spend: int
    cac: int | None  # marketing spend ÷ new paying customers
    ltv_to_cac: Decimal | None
    ltv_to_cac_below_target: bool | None  # LTV:CAC below 3
    payback_months: Decimal | None  # CAC ÷ (ARPU × gross margin)


def _divide(
    numerator: Fraction | int | None, denominator: Fraction | int | None
) -> Fraction | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return Fraction(numerator) / Fraction(denominator)


def _money(value: Fraction | None) -> int | None:
    return None if value is None else round_half_up(value)


def customer_counts(*, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Workspaces at the end of `end`; and the conversion pool: workspaces that existed at the
    start of `start` and had never had MRR, plus those created during the period. One query."""
    opening, closing = day_start(start), day_end(end)
    paid_before = recurring_invoices().filter(
        workspace_id=OuterRef("pk"), period_start__lt=opening, recurring_amount__gt=0
    )
    return Team.objects.annotate(paid_before=Exists(paid_before)).aggregate(
        customers=Count("pk", filter=Q(created_at__lt=closing)),
        never_paid=Count("pk", filter=Q(created_at__lt=opening, paid_before=False)),
        created=Count("pk", filter=Q(created_at__gte=opening, created_at__lt=closing)),
    )


def saas_metrics(
    *,
    start: datetime.date,
    end: datetime.date,
    currency: str | None = None,
    from_rollup: bool = False,
) -> SaasMetrics:
    """Every revenue figure of the days `start`..`end` inclusive (UTC) in `currency` (default
    REPORTING_CURRENCY); the movements read from the daily rollup when `from_rollup` and it
    holds the range (`stored_mrr_movements`), else replayed. Ten queries at most, whatever
    the size of the data."""
    currency = reporting_currency(currency)
    movements = None
    if from_rollup:
        movements = stored_mrr_movements(
            start=start, end=end, today=timezone.now().date(), currency=currency
        )
    if movements is None:
        movements = mrr_movements(start=start, end=end, currency=currency)
    counts = customer_counts(start=start, end=end)
    spend = marketing_spend(start=start, end=end, currency=currency).total
    gross_margin = conf.gross_margin()
    margin = Fraction(gross_margin)
    days = (end - start).days + 1

    opening = movements.opening_mrr
    new_paying = movements.counts[Movement.NEW]
    churned = movements.counts[Movement.CHURN]
    pool = counts["never_paid"] + counts["created"]
    arpu = _divide(movements.closing_mrr, movements.closing_paying)
    churn_rate = _divide(churned, movements.opening_paying)
    monthly_churn = None if churn_rate is None else churn_rate * AVERAGE_MONTH_DAYS / days
    lifetime = _divide(1, monthly_churn)
    ltv = None if arpu is None or lifetime is None else arpu * margin * lifetime
    cac = _divide(spend, new_paying)
    ltv_to_cac = _divide(ltv, cac)
    payback = _divide(cac, None if arpu is None else arpu * margin)
    lost = -(movements.churn + movements.contraction)
    regained = movements.expansion + movements.reactivation
    return SaasMetrics(
        start=start,
        end=end,
        currency=currency,
        movements=movements,
        mrr=movements.closing_mrr,
        cmrr=movements.closing_cmrr,
        arr=movements.closing_mrr * 12,
        customers=counts["customers"],
        paying_customers=movements.closing_paying,
        arpu=_money(arpu),
        new_paying_customers=new_paying,
        churned_customers=churned,
        conversion_pool=pool,
        free_to_paid_conversion=ratio(_divide(new_paying, pool)),
        customer_churn_rate=ratio(churn_rate),
        monthly_customer_churn_rate=ratio(monthly_churn),
        gross_mrr_churn_rate=ratio(_divide(lost, opening)),
        net_mrr_churn_rate=ratio(_divide(lost - regained, opening)),
        net_revenue_retention=ratio(_divide(movements.retained_mrr, opening)),
        gross_margin=gross_margin,
        average_customer_lifetime_months=ratio(lifetime),
        ltv=_money(ltv),
        marketing_spend=spend,
        cac=_money(cac),
        ltv_to_cac=ratio(ltv_to_cac),
        ltv_to_cac_below_target=None if ltv_to_cac is None else ltv_to_cac < LTV_CAC_TARGET,
        payback_months=ratio(payback),
    )
