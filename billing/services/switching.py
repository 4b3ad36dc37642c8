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
from billing.providers import ChargeResult, get_provider
from teams.permissions import ensure_can

from .checkout import _check_paid_plan
from .common import _announce, _change, _lock, _money, _pay, _start_period


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
            _("Unused time on %(plan)s after %(date)s")
            % {"plan": paid.plan.name, "date": f"{now:%Y-%m-%d}"},
            -unused,
            now,
            paid.period_end,
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
    subscription = _lock(subscription)
    if not subscription.is_paid or subscription.status != SubscriptionStatus.ACTIVE:
        raise ValidationError(_("Only an active paid plan can be switched."))
    _check_paid_plan(plan, subscription.currency)
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
    _pay(subscription, invoice, result, now)
    subscription.plan = plan
    _start_period(subscription, invoice)
    _change(
        subscription,
        ChangeKind.SWITCHED,
        actor=actor,
        from_plan=previous,
        to_plan=plan,
        invoice=invoice.number,
    )
    _announce(
        subscription,
        EventName.SUBSCRIPTION_SWITCHED,
        actor=actor,
        from_plan=previous.key,
        to_plan=plan.key,
        leftover_credit=draft.leftover_credit,
        **_money(invoice),
    )
    return invoice
