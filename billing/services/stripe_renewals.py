"""Renewals Stripe collects on its own schedule, and its failed attempts, as webhooks report them.

Each is written once however often Stripe repeats itself: its invoice id finds our invoice,
and every payment attempt has its own provider payment id.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import EventName
from billing import ledger
from billing.models import (
    ChangeKind,
    Invoice,
    InvoiceReason,
    InvoiceStatus,
    Provider,
    Subscription,
    SubscriptionStatus,
)

from .common import (
    invoice_money,
    subscription_change_log,
    subscription_event_record,
    subscription_lock,
    subscription_period_start,
)
from .lifecycle import invoice_payment_failed


def _renewal_invoice(*, subscription: Subscription, provider_invoice_id: str) -> Invoice:
    """Our invoice for Stripe's renewal invoice, written through the ledger once."""
    invoice = Invoice.objects.filter(
        provider=Provider.STRIPE, provider_invoice_id=provider_invoice_id
    ).first()
    if invoice is not None:
        return invoice
    if subscription.current_period_end is None:
        raise LookupError(f"Subscription {subscription.pk} has no paid period to renew")
    period_start = subscription.current_period_end
    invoice = Invoice.objects.filter(
        subscription=subscription, reason=InvoiceReason.RENEWAL, period_start=period_start
    ).first()
    if invoice is not None:
        if not invoice.provider_invoice_id:
            invoice.provider_invoice_id = provider_invoice_id
            invoice.save(update_fields=["provider_invoice_id"])
        return invoice
    draft = ledger.draft_invoice(
        plan=subscription.plan,
        currency=subscription.currency,
        period_start=period_start,
        coupon=ledger.coupon_for_next_invoice(workspace=subscription.workspace),
        # Stripe does not know our credit balance, so its invoice used none of it.
        credits=[],
    )
    return ledger.invoice_create(
        subscription=subscription,
        plan=subscription.plan,
        draft=draft,
        reason=InvoiceReason.RENEWAL,
        provider=Provider.STRIPE,
        provider_invoice_id=provider_invoice_id,
    )


@transaction.atomic
def renewal_record_payment(
    *,
    subscription: Subscription,
    provider_invoice_id: str,
    amount_paid: int | None,
    currency: str,
) -> Invoice:
    """Stripe collected a renewal (on time or on a retry): invoice, payment, next period.

    `amount_paid` in `currency` is what Stripe reports; without a usable one, the
    invoice's total is recorded.
    """
    now = timezone.now()
    subscription = subscription_lock(subscription=subscription)
    invoice = _renewal_invoice(subscription=subscription, provider_invoice_id=provider_invoice_id)
    if invoice.status == InvoiceStatus.PAID:
        return invoice
    was_past_due = subscription.status == SubscriptionStatus.PAST_DUE
    usable = amount_paid is not None and amount_paid >= 0 and currency.upper() == invoice.currency
    ledger.payment_record(
        workspace=subscription.workspace,
        invoice=invoice,
        amount=amount_paid if usable else invoice.total,
        currency=invoice.currency,
        succeeded=True,
        provider=Provider.STRIPE,
        provider_payment_id=f"{provider_invoice_id}:paid",
    )
    ledger.invoice_mark_paid(invoice=invoice, paid_at=now)
    subscription_period_start(subscription=subscription, invoice=invoice)
    subscription_change_log(
        subscription=subscription,
        kind=ChangeKind.RECOVERED if was_past_due else ChangeKind.RENEWED,
        to_plan=subscription.plan,
        invoice=invoice.number,
        source="stripe",
    )
    if was_past_due:
        subscription_event_record(
            subscription=subscription,
            name=EventName.SUBSCRIPTION_RECOVERED,
            plan=subscription.plan.key,
            **invoice_money(invoice),
        )
    return invoice


@transaction.atomic
def renewal_record_failure(
    *,
    subscription: Subscription,
    provider_invoice_id: str,
    amount_due: int | None,
    attempt: int,
) -> Invoice:
    """Stripe's attempt number `attempt` to collect a renewal failed: record it, start dunning."""
    subscription = subscription_lock(subscription=subscription)
    invoice = _renewal_invoice(subscription=subscription, provider_invoice_id=provider_invoice_id)
    ledger.payment_record(
        workspace=subscription.workspace,
        invoice=invoice,
        amount=amount_due if amount_due is not None else invoice.total,
        currency=invoice.currency,
        succeeded=False,
        provider=Provider.STRIPE,
        provider_payment_id=f"{provider_invoice_id}:attempt:{attempt}",
        failure_reason=_("Stripe could not collect the payment (attempt %(attempt)s).")
        % {"attempt": attempt},
    )
    if invoice.status == InvoiceStatus.OPEN:
        invoice_payment_failed(subscription=subscription, invoice=invoice)
    return invoice
