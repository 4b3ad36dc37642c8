"""What every subscription change shares: the Free plan, row locks, history, dunning state."""

from __future__ import annotations

from django.db import transaction

from analytics.events import EventName, record
from billing import entitlements, ledger
from billing.models import (
    DunningNotice,
    Invoice,
    Plan,
    Subscription,
    SubscriptionChange,
    SubscriptionStatus,
)
from billing.providers import ChargeResult
from teams.models import Team

FREE_PLAN_KEY = "free"
# Dunning retries, counted in days from the first failed renewal.
RETRY_DAYS = (1, 3, 5)


def free_plan() -> Plan:
    return Plan.objects.get(key=FREE_PLAN_KEY)


def subscription_for(workspace: Team) -> Subscription:
    """The workspace's subscription; every workspace starts on Free."""
    # `free_plan` is passed uncalled: the Free plan is only looked up when the row is created.
    subscription, _created = Subscription.objects.select_related("plan").get_or_create(
        workspace=workspace, defaults={"plan": free_plan}
    )
    return subscription


def _lock(subscription: Subscription) -> Subscription:
    return (
        Subscription.objects.select_for_update()
        .select_related("plan", "workspace")
        .get(pk=subscription.pk)
    )


def _change(subscription, kind, *, actor=None, from_plan=None, to_plan=None, **details) -> None:
    SubscriptionChange.objects.create(
        subscription=subscription,
        kind=kind,
        actor=actor,
        from_plan=from_plan,
        to_plan=to_plan,
        details=details,
    )
    entitlements.forget_tier(subscription.workspace)


def _announce(subscription: Subscription, name: EventName, *, actor=None, **properties) -> None:
    """Record a `subscription.*` event (its subject is the subscription) that webhooks,
    funnels and growth read."""
    record(
        name,
        workspace=subscription.workspace,
        actor=actor,
        subject=subscription,
        properties=properties,
    )


def _money(invoice: Invoice) -> dict:
    return {"amount": invoice.total, "currency": invoice.currency, "invoice": invoice.number}


def _clear_dunning(subscription: Subscription) -> None:
    subscription.payment_failed_at = None
    subscription.retry_count = 0
    subscription.next_retry_at = None


def _pay(subscription: Subscription, invoice: Invoice, result: ChargeResult, now) -> bool:
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


def _start_period(subscription: Subscription, invoice: Invoice) -> None:
    subscription.current_period_start = invoice.period_start
    subscription.current_period_end = invoice.period_end
    subscription.status = SubscriptionStatus.ACTIVE
    _clear_dunning(subscription)
    subscription.save()


def _start_period_from_current(subscription: Subscription) -> None:
    # Paid elsewhere (e.g. at Stripe) while we were waiting: nothing is owed any more.
    subscription.status = SubscriptionStatus.ACTIVE
    _clear_dunning(subscription)
    subscription.save()


def _notify_once(subscription: Subscription, invoice: Invoice, kind: str) -> None:
    notice, created = DunningNotice.objects.get_or_create(
        invoice=invoice, kind=kind, defaults={"subscription": subscription}
    )
    if created:
        from billing.tasks import send_dunning_notice

        transaction.on_commit(lambda: send_dunning_notice.delay(notice.pk))
