"""What every subscription change shares: the Free plan, row locks, history, dunning state."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from analytics.events import EventName, record
from billing import entitlements, ledger
from billing.models import (
    ChangeKind,
    Invoice,
    Plan,
    PlanPrice,
    Subscription,
    SubscriptionChange,
    SubscriptionStatus,
    Tier,
)
from billing.providers import ChargeResult
from teams.models import Team

FREE_PLAN_KEY = "free"
# Dunning retries, counted in days from the first failed renewal.
RETRY_DAYS = (1, 3, 5)

# Where a change came from: our own pages and tasks, or Stripe telling us of one made there.
Source = Literal["app", "stripe"]


def free_plan() -> Plan:
    return Plan.objects.get(key=FREE_PLAN_KEY)


def plan_ensure_buyable(*, plan: Plan, currency: str) -> None:
    """Raise a ValidationError unless `plan` is a public paid plan priced in `currency`."""
    if plan.tier != Tier.PRO or not plan.is_public:
        raise ValidationError(_("This plan cannot be bought."))
    if not PlanPrice.objects.filter(plan=plan, currency=currency).exists():
        raise ValidationError(_("This plan is not sold in %(currency)s.") % {"currency": currency})


def subscription_for(workspace: Team) -> Subscription:
    """The workspace's subscription; every workspace starts on Free."""
    # `free_plan` is passed uncalled: the Free plan is only looked up when the row is created.
    subscription, _created = Subscription.objects.select_related("plan").get_or_create(
        workspace=workspace, defaults={"plan": free_plan}
    )
    return subscription


def subscription_lock(*, subscription: Subscription) -> Subscription:
    return (
        Subscription.objects.select_for_update()
        .select_related("plan", "workspace")
        .get(pk=subscription.pk)
    )


def subscription_change_log(
    *,
    subscription: Subscription,
    kind: ChangeKind,
    actor: User | None = None,
    from_plan: Plan | None = None,
    to_plan: Plan | None = None,
    **details: Any,
) -> SubscriptionChange:
    """Add a row to the subscription's history; the workspace's cached tier is dropped."""
    change = SubscriptionChange.objects.create(
        subscription=subscription,
        kind=kind,
        actor=actor,
        from_plan=from_plan,
        to_plan=to_plan,
        details=details,
    )
    entitlements.forget_tier(subscription.workspace)
    return change


def subscription_event_record(
    *, subscription: Subscription, name: EventName, actor: User | None = None, **properties: Any
) -> None:
    """Record a `subscription.*` event (its subject is the subscription) that webhooks,
    funnels and growth read."""
    record(
        name,
        workspace=subscription.workspace,
        actor=actor,
        subject=subscription,
        properties=properties,
    )


def plan_name(plan: Plan) -> str:
    """The plan's name in the default language, whatever language is active: the event log
    (and the webhooks built from it) is read by machines, not by one reader."""
    return plan.name_en or plan.name


def invoice_money(invoice: Invoice) -> dict[str, Any]:
    """An invoice's amount, currency and number, as event properties."""
    return {"amount": invoice.total, "currency": invoice.currency, "invoice": invoice.number}


def dunning_clear(*, subscription: Subscription) -> None:
    """Forget a failed renewal's retries; the caller saves."""
    subscription.payment_failed_at = None
    subscription.retry_count = 0
    subscription.next_retry_at = None


def charge_result_apply(
    *,
    subscription: Subscription,
    invoice: Invoice,
    result: ChargeResult,
    now: datetime.datetime,
) -> bool:
    """Apply a charge's result to the ledger and the subscription. True when paid."""
    if result.provider_invoice_id and not invoice.provider_invoice_id:
        invoice.provider_invoice_id = result.provider_invoice_id
        invoice.save(update_fields=["provider_invoice_id"])
    ledger.payment_record(
        workspace=subscription.workspace,
        invoice=invoice,
        amount=invoice.total,
        currency=invoice.currency,
        succeeded=result.succeeded,
        provider=subscription.provider,
        provider_payment_id=result.provider_payment_id,
        failure_reason=result.failure_reason,
    )
    if result.succeeded:
        ledger.invoice_mark_paid(invoice=invoice, paid_at=now)
    return result.succeeded


def subscription_begin(
    *,
    subscription: Subscription,
    plan: Plan,
    currency: str,
    now: datetime.datetime,
    provider: str,
    provider_customer_id: str = "",
    provider_subscription_id: str = "",
    cancel_at_period_end: bool = False,
) -> None:
    """A new paid period of `plan` from `now` (a checkout, a free month); saved."""
    subscription.plan = plan
    subscription.currency = currency
    subscription.status = SubscriptionStatus.ACTIVE
    subscription.current_period_start = now
    subscription.current_period_end = ledger.period_end(now, plan.interval)
    subscription.cancel_at_period_end = cancel_at_period_end
    subscription.canceled_at = None
    subscription.provider = provider
    subscription.provider_customer_id = provider_customer_id
    subscription.provider_subscription_id = provider_subscription_id
    dunning_clear(subscription=subscription)
    subscription.save()


def subscription_period_start(*, subscription: Subscription, invoice: Invoice) -> None:
    """The paid invoice's period becomes the current one, and the plan is active again."""
    subscription.current_period_start = invoice.period_start
    subscription.current_period_end = invoice.period_end
    subscription.status = SubscriptionStatus.ACTIVE
    dunning_clear(subscription=subscription)
    subscription.save()
