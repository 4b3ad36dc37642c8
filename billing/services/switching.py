"""Switching between monthly and annual, the unused time credited in the ledger."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import EventName
from billing import ledger
from billing.models import (
    ChangeKind,
    Interval,
    Invoice,
    InvoiceReason,
    InvoiceStatus,
    LineKind,
    Plan,
    Provider,
    Subscription,
    SubscriptionStatus,
)
from billing.models.invoices import line_description
from billing.providers import ChargeResult, get_provider
from teams.permissions import ensure_can

from .common import (
    charge_result_apply,
    invoice_money,
    plan_ensure_buyable,
    subscription_change_log,
    subscription_event_record,
    subscription_lock,
    subscription_period_start,
)


def _switch_draft(*, subscription, plan, now, credits) -> ledger.InvoiceDraft:
    paid = (
        Invoice.objects.filter(
            subscription=subscription,
            status=InvoiceStatus.PAID,
            period_start__lte=now,
            period_end__gt=now,
        )
        .order_by("-period_start")
        .first()
    )
    proration = None
    if paid is not None:
        unused = ledger.unused_amount(paid.total, paid.period_start, paid.period_end, now)
        proration = ledger.DraftLine(
            LineKind.PRORATION,
            line_description(kind=LineKind.PRORATION, plan=paid.plan, start=now, end=None),
            -unused,
            now,
            paid.period_end,
            paid.plan,
        )
    return ledger.draft_invoice(
        plan=plan,
        currency=subscription.currency,
        period_start=now,
        proration=proration,
        coupon=ledger.coupon_for_next_invoice(workspace=subscription.workspace),
        credits=credits,
    )


@transaction.atomic
def subscription_switch(
    *, subscription: Subscription, plan: Plan, actor, now: datetime.datetime | None = None
) -> Invoice:
    """Switch between monthly and annual now, crediting the unused part of the period."""
    ensure_can(actor, subscription.workspace, "billing")
    now = now or timezone.now()
    subscription = subscription_lock(subscription=subscription)
    if not subscription.is_paid or subscription.status != SubscriptionStatus.ACTIVE:
        raise ValidationError(_("Only an active paid plan can be switched."))
    plan_ensure_buyable(plan=plan, currency=subscription.currency)
    if plan.pk == subscription.plan.pk or plan.interval == Interval.NONE:
        raise ValidationError(_("Choose the other billing period to switch to."))
    draft = _switch_draft(
        subscription=subscription,
        plan=plan,
        now=now,
        credits=ledger.open_credits(
            workspace=subscription.workspace, currency=subscription.currency
        ),
    )
    previous = subscription.plan
    invoice = ledger.invoice_create(
        subscription=subscription,
        plan=plan,
        draft=draft,
        reason=InvoiceReason.SWITCH,
        provider=subscription.provider,
    )
    # Stripe must move its own subscription even when nothing is due; the sandbox need not.
    result = (
        ChargeResult(True, f"zero:{invoice.number}")
        if invoice.total == 0 and subscription.provider != Provider.STRIPE
        else get_provider(subscription.provider).switch_plan(subscription, invoice)
    )
    if not result.succeeded:
        # Nothing changes: the invoice, credits and events roll back with this error.
        raise ValidationError(
            _("The payment for the switch failed: %(reason)s") % {"reason": result.failure_reason}
        )
    charge_result_apply(subscription=subscription, invoice=invoice, result=result, now=now)
    subscription.plan = plan
    subscription_period_start(subscription=subscription, invoice=invoice)
    subscription_change_log(
        subscription=subscription,
        kind=ChangeKind.SWITCHED,
        actor=actor,
        from_plan=previous,
        to_plan=plan,
        invoice=invoice.number,
    )
    subscription_event_record(
        subscription=subscription,
        name=EventName.SUBSCRIPTION_SWITCHED,
        actor=actor,
        from_plan=previous.key,
        to_plan=plan.key,
        leftover_credit=draft.leftover_credit,
        **invoice_money(invoice),
    )
    return invoice
