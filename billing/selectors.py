"""Reads for the pricing page, the billing page and the API, in a bounded number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet, Sum

from teams.models import Team
from teams.permissions import role_allows

from . import entitlements, usage
from .models import (
    BillingNotice,
    Credit,
    DunningNotice,
    Interval,
    Invoice,
    InvoiceLine,
    Plan,
    PlanPrice,
    Provider,
    Subscription,
    SubscriptionChange,
    SubscriptionStatus,
    Tier,
)
from .money import format_money
from .services import subscription_for


def plans_with_prices():
    return Plan.objects.filter(is_public=True).prefetch_related(
        Prefetch("prices", queryset=PlanPrice.objects.order_by("currency"))
    )


def pricing_context(*, currency: str, period: str) -> dict:
    plans = list(plans_with_prices())
    free = next(p for p in plans if p.tier == Tier.FREE)
    monthly = next(p for p in plans if p.interval == Interval.MONTH)
    annual = next(p for p in plans if p.interval == Interval.YEAR)
    pro = annual if period == "year" else monthly
    monthly_price = monthly.price_in(currency)
    annual_price = annual.price_in(currency)
    saving_percent = round(100 * (12 * monthly_price - annual_price) / (12 * monthly_price))
    return {
        "currency": currency,
        "period": period,
        "free_plan": free,
        "pro_plan": pro,
        "free_price": format_money(0, currency),
        "pro_price": format_money(pro.price_in(currency), currency),
        "pro_monthly_equivalent": format_money(annual_price // 12, currency)
        if period == "year"
        else None,
        "annual_saving_percent": saving_percent,
        "entitlements": entitlements.table(),
    }


def credit_balance(*, workspace: Team, currency: str) -> int:
    return (
        Credit.objects.filter(workspace=workspace, currency=currency).aggregate(
            total=Sum("remaining")
        )["total"]
        or 0
    )


def billing_page_context(*, workspace: Team, role: str) -> dict:
    """Everything the billing page shows, for a member with `role` (checked by the caller)."""
    subscription = subscription_for(workspace)
    entitlements.remember_tier(workspace, subscription)  # the usage rows need no second fetch
    can_manage = role_allows(role, "billing")
    switch_to = None
    if subscription.is_paid:
        other = Interval.YEAR if subscription.plan.interval == Interval.MONTH else Interval.MONTH
        switch_to = plans_with_prices().filter(tier=Tier.PRO, interval=other).first()
    return {
        "workspace": workspace,
        "subscription": subscription,
        "role": role,
        "can_manage": can_manage,
        "is_sandbox": subscription.provider == Provider.SANDBOX,
        # A month of Pro given as a referral reward: no card, it ends unless they subscribe.
        "is_free_month": subscription.is_paid and subscription.provider == Provider.NONE,
        "price": format_money(
            subscription.plan.price_in(subscription.currency), subscription.currency
        ),
        "switch_to": switch_to,
        "switch_price": format_money(
            switch_to.price_in(subscription.currency), subscription.currency
        )
        if switch_to
        else None,
        "usage": usage.usage_rows(workspace=workspace),
        "usage_period": entitlements.usage_period(workspace),
        "credit": format_money(
            credit_balance(workspace=workspace, currency=subscription.currency),
            subscription.currency,
        ),
        "invoices": invoices_for(workspace=workspace)[:24] if can_manage else [],
        "changes": SubscriptionChange.objects.filter(subscription=subscription).select_related(
            "from_plan", "to_plan", "actor"
        )[:10],
    }


def invoices_for(*, workspace: Team):
    return Invoice.objects.filter(workspace=workspace).select_related("plan")


def invoices_with_lines(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """`invoices` with their lines and each line's plan (which its description names)."""
    return invoices.prefetch_related(
        Prefetch("lines", queryset=InvoiceLine.objects.select_related("plan"))
    )


def subscription_summary(*, subscription: Subscription) -> dict:
    return {
        "workspace": subscription.workspace_id,
        "plan": subscription.plan.key,
        "tier": subscription.plan.tier,
        "status": subscription.status,
        "currency": subscription.currency,
        "amount": subscription.plan.price_in(subscription.currency),
        "current_period_start": subscription.current_period_start,
        "current_period_end": subscription.current_period_end,
        "cancel_at_period_end": subscription.cancel_at_period_end,
        "provider": subscription.provider,
    }


def dunning_notices_still_relevant(*, now: datetime.datetime) -> QuerySet[DunningNotice]:
    """Notices of the last day that still describe the subscription: a "payment failed"
    notice only while the subscription is past due (news of a failure it has since recovered
    from, or ended over, would mislead)."""
    return DunningNotice.objects.filter(created_at__gte=now - datetime.timedelta(days=1)).exclude(
        Q(kind=DunningNotice.Kind.PAYMENT_FAILED)
        & ~Q(subscription__status=SubscriptionStatus.PAST_DUE)
    )


# A receipt or a plan's end is worth sending late after an outage; news older than this is not.
BILLING_NOTICE_RELEVANCE = datetime.timedelta(days=3)


def billing_notices_still_relevant(*, now: datetime.datetime) -> QuerySet[BillingNotice]:
    """Notices of the last three days that still describe the subscription: a confirmed
    cancellation only while the plan is still set to end (not after it was resumed or ended)."""
    return BillingNotice.objects.filter(created_at__gte=now - BILLING_NOTICE_RELEVANCE).exclude(
        Q(kind=BillingNotice.Kind.CANCEL_SCHEDULED) & Q(subscription__cancel_at_period_end=False)
    )
