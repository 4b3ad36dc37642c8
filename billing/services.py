"""Subscription lifecycle: checkout, renewal, dunning, cancel, resume, switch, credits.

Every write is atomic, records its events with amounts and currency, and is
safe to run twice: rows are locked and their state checked before anything
changes, and each period, payment and notice is unique in the database.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import record
from teams.models import Team
from teams.permissions import ensure_can

from . import entitlements, ledger
from .models import (
    ChangeKind,
    CheckoutSession,
    CheckoutStatus,
    Coupon,
    Credit,
    DunningNotice,
    Interval,
    Invoice,
    InvoiceReason,
    InvoiceStatus,
    LineKind,
    Payment,
    PaymentStatus,
    Plan,
    PlanPrice,
    Provider,
    Subscription,
    SubscriptionChange,
    SubscriptionStatus,
    Tier,
)
from .providers import ChargeResult, get_provider

FREE_PLAN_KEY = "free"
# Dunning retries, counted in days from the first failed renewal.
RETRY_DAYS = (1, 3, 5)


def free_plan() -> Plan:
    return Plan.objects.get(key=FREE_PLAN_KEY)


def subscription_for(workspace: Team) -> Subscription:
    """The workspace's subscription; every workspace starts on Free."""
    subscription, _created = Subscription.objects.select_related("plan").get_or_create(
        workspace=workspace, defaults={"plan": free_plan()}
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


def _money(invoice: Invoice) -> dict:
    return {"amount": invoice.total, "currency": invoice.currency, "invoice": invoice.number}


def coupon_validate(*, code: str, currency: str) -> Coupon | None:
    code = (code or "").strip()
    if not code:
        return None
    coupon = Coupon.objects.filter(code__iexact=code, is_active=True).first()
    now = timezone.now()
    if coupon is None or (coupon.valid_until and coupon.valid_until < now):
        raise ValidationError(_("The coupon code “%(code)s” is not valid.") % {"code": code})
    if coupon.max_redemptions is not None and (
        coupon.redemptions.count() >= coupon.max_redemptions
    ):
        raise ValidationError(_("The coupon code “%(code)s” has been used up.") % {"code": code})
    if coupon.amount_off is not None and coupon.currency != currency:
        raise ValidationError(
            _("The coupon code “%(code)s” only works for prices in %(currency)s.")
            % {"code": code, "currency": coupon.currency}
        )
    return coupon


def _check_paid_plan(plan: Plan, currency: str) -> None:
    if plan.tier != Tier.PRO or not plan.is_public:
        raise ValidationError(_("This plan cannot be bought."))
    if not PlanPrice.objects.filter(plan=plan, currency=currency).exists():
        raise ValidationError(_("This plan is not sold in %(currency)s.") % {"currency": currency})


def checkout_preview(*, workspace: Team, plan: Plan, currency: str, coupon: Coupon | None):
    credits = list(Credit.objects.filter(workspace=workspace, currency=currency, remaining__gt=0))
    return ledger.draft_invoice(
        plan=plan, currency=currency, period_start=timezone.now(), coupon=coupon, credits=credits
    )


@transaction.atomic
def checkout_start(
    *, workspace: Team, plan: Plan, currency: str, actor, coupon_code: str = ""
) -> CheckoutSession:
    """Begin an upgrade; the returned session's url is where the owner pays."""
    ensure_can(actor, workspace, "billing")
    _check_paid_plan(plan, currency)
    subscription = _lock(subscription_for(workspace))
    if subscription.is_paid:
        raise ValidationError(
            _("This workspace already has a paid plan. Change or cancel it on the billing page.")
        )
    coupon = coupon_validate(code=coupon_code, currency=currency)
    provider = get_provider()
    session = CheckoutSession(
        workspace=workspace,
        plan=plan,
        currency=currency,
        coupon=coupon,
        created_by=actor,
        provider=provider.name,
    )
    draft = checkout_preview(workspace=workspace, plan=plan, currency=currency, coupon=coupon)
    provider.start_checkout(session, amount_due=draft.total)
    session.save()
    record(
        "checkout.started",
        workspace=workspace,
        actor=actor,
        subject=session,
        properties={
            "plan": plan.key,
            "currency": currency,
            "coupon": coupon.code if coupon else None,
        },
    )
    return session


@transaction.atomic
def checkout_complete(
    *,
    session: CheckoutSession,
    provider_payment_id: str,
    provider_customer_id: str = "",
    provider_subscription_id: str = "",
    provider_invoice_id: str = "",
    now: datetime.datetime | None = None,
) -> Subscription:
    """The customer paid: start the paid period, write the invoice and the payment. Once."""
    now = now or timezone.now()
    session = CheckoutSession.objects.select_for_update().select_related("plan").get(pk=session.pk)
    subscription = _lock(subscription_for(session.workspace))
    if session.status == CheckoutStatus.COMPLETED:
        return subscription
    previous_plan = subscription.plan
    credits = ledger.open_credits(workspace=session.workspace, currency=session.currency)
    if session.coupon:
        ledger.coupon_redeem(coupon=session.coupon, workspace=session.workspace)
    draft = ledger.draft_invoice(
        plan=session.plan,
        currency=session.currency,
        period_start=now,
        coupon=session.coupon,
        credits=credits,
    )
    subscription.plan = session.plan
    subscription.currency = session.currency
    subscription.status = SubscriptionStatus.ACTIVE
    subscription.current_period_start = now
    subscription.current_period_end = ledger.period_end(now, session.plan.interval)
    subscription.cancel_at_period_end = False
    subscription.canceled_at = None
    subscription.provider = session.provider
    subscription.provider_customer_id = provider_customer_id
    subscription.provider_subscription_id = provider_subscription_id
    if session.provider == Provider.SANDBOX and not subscription.sandbox_card:
        subscription.sandbox_card = "ok"
    _clear_dunning(subscription)
    subscription.save()
    invoice = ledger.invoice_create(
        subscription=subscription,
        plan=session.plan,
        draft=draft,
        reason=InvoiceReason.SUBSCRIBE,
        provider=session.provider,
        provider_invoice_id=provider_invoice_id,
    )
    ledger.payment_record(
        workspace=session.workspace,
        invoice=invoice,
        amount=invoice.total,
        currency=invoice.currency,
        succeeded=True,
        provider=session.provider,
        provider_payment_id=provider_payment_id,
    )
    ledger.invoice_mark_paid(invoice=invoice, paid_at=now)
    session.status = CheckoutStatus.COMPLETED
    session.completed_at = now
    session.save(update_fields=["status", "completed_at"])
    _change(
        subscription,
        ChangeKind.SUBSCRIBED,
        actor=session.created_by,
        from_plan=previous_plan,
        to_plan=session.plan,
        invoice=invoice.number,
    )
    record(
        "user.subscribed",
        workspace=session.workspace,
        actor=session.created_by,
        subject=subscription,
        properties={
            "plan": session.plan.key,
            "interval": session.plan.interval,
            "coupon": session.coupon.code if session.coupon else None,
            **_money(invoice),
        },
    )
    return subscription


@transaction.atomic
def checkout_fail(*, session: CheckoutSession, provider_payment_id: str, reason: str) -> None:
    """The payment at checkout failed: record it; the plan does not change."""
    session = CheckoutSession.objects.select_for_update().select_related("plan").get(pk=session.pk)
    if session.status != CheckoutStatus.OPEN:
        return
    draft = checkout_preview(
        workspace=session.workspace,
        plan=session.plan,
        currency=session.currency,
        coupon=session.coupon,
    )
    ledger.payment_record(
        workspace=session.workspace,
        invoice=None,
        amount=draft.total,
        currency=session.currency,
        succeeded=False,
        provider=session.provider,
        provider_payment_id=provider_payment_id,
        failure_reason=reason,
    )
    session.status = CheckoutStatus.FAILED
    session.save(update_fields=["status"])


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


@transaction.atomic
def subscription_renew(*, subscription: Subscription, now: datetime.datetime | None = None) -> None:
    """At the end of a paid period: end it if cancelled, else invoice and charge the next."""
    now = now or timezone.now()
    subscription = _lock(subscription)
    if (
        not subscription.is_paid
        or subscription.status != SubscriptionStatus.ACTIVE
        or subscription.current_period_end is None
        or subscription.current_period_end > now
    ):
        return
    if subscription.cancel_at_period_end:
        subscription_end(subscription=subscription, reason="canceled", now=now)
        return
    invoice = Invoice.objects.filter(
        subscription=subscription,
        reason=InvoiceReason.RENEWAL,
        period_start=subscription.current_period_end,
    ).first()
    if invoice is None:
        draft = ledger.draft_invoice(
            plan=subscription.plan,
            currency=subscription.currency,
            period_start=subscription.current_period_end,
            coupon=ledger.coupon_for_next_invoice(workspace=subscription.workspace),
            credits=ledger.open_credits(
                workspace=subscription.workspace, currency=subscription.currency
            ),
        )
        invoice = ledger.invoice_create(
            subscription=subscription,
            plan=subscription.plan,
            draft=draft,
            reason=InvoiceReason.RENEWAL,
            provider=subscription.provider,
        )
    result = (
        ChargeResult(True, f"zero:{invoice.number}")
        if invoice.total == 0
        else get_provider(subscription.provider).charge(subscription, invoice)
    )
    if _pay(subscription, invoice, result, now):
        _start_period(subscription, invoice)
        _change(subscription, ChangeKind.RENEWED, to_plan=subscription.plan, invoice=invoice.number)
    else:
        invoice_payment_failed(subscription=subscription, invoice=invoice, now=now)


@transaction.atomic
def invoice_payment_failed(
    *, subscription: Subscription, invoice: Invoice, now: datetime.datetime | None = None
) -> None:
    """A renewal could not be collected: past due, the owner is told, retries are planned."""
    now = now or timezone.now()
    subscription = _lock(subscription)
    if subscription.status == SubscriptionStatus.CANCELED:
        return
    if subscription.status != SubscriptionStatus.PAST_DUE:
        subscription.status = SubscriptionStatus.PAST_DUE
        subscription.payment_failed_at = now
        subscription.retry_count = 0
        subscription.next_retry_at = now + datetime.timedelta(days=RETRY_DAYS[0])
        subscription.save()
        _change(subscription, ChangeKind.PAST_DUE, invoice=invoice.number)
        record(
            "subscription.changed",
            workspace=subscription.workspace,
            subject=subscription,
            properties={"change": "past_due", "plan": subscription.plan.key, **_money(invoice)},
        )
    _notify_once(subscription, invoice, DunningNotice.Kind.PAYMENT_FAILED)


@transaction.atomic
def dunning_retry(*, subscription: Subscription, now: datetime.datetime | None = None) -> None:
    """Retry a past-due invoice on days 1, 3 and 5; after the last failure move to Free."""
    now = now or timezone.now()
    subscription = _lock(subscription)
    if (
        subscription.status != SubscriptionStatus.PAST_DUE
        or subscription.next_retry_at is None
        or subscription.next_retry_at > now
    ):
        return
    invoice = (
        Invoice.objects.filter(subscription=subscription, status=InvoiceStatus.OPEN)
        .order_by("-period_start")
        .first()
    )
    if invoice is None:
        _start_period_from_current(subscription)
        return
    result = get_provider(subscription.provider).charge(subscription, invoice)
    if _pay(subscription, invoice, result, now):
        _start_period(subscription, invoice)
        _change(subscription, ChangeKind.RECOVERED, invoice=invoice.number)
        record(
            "subscription.changed",
            workspace=subscription.workspace,
            subject=subscription,
            properties={"change": "recovered", "plan": subscription.plan.key, **_money(invoice)},
        )
        return
    subscription.retry_count += 1
    if subscription.retry_count >= len(RETRY_DAYS):
        Invoice.objects.filter(pk=invoice.pk).update(status=InvoiceStatus.UNCOLLECTIBLE)
        subscription.save()
        subscription_end(subscription=subscription, reason="payment_failed", now=now)
        _notify_once(subscription, invoice, DunningNotice.Kind.MOVED_TO_FREE)
        return
    subscription.next_retry_at = subscription.payment_failed_at + datetime.timedelta(
        days=RETRY_DAYS[subscription.retry_count]
    )
    subscription.save()


def _start_period_from_current(subscription: Subscription) -> None:
    # Paid elsewhere (e.g. at Stripe) while we were waiting: nothing is owed any more.
    subscription.status = SubscriptionStatus.ACTIVE
    _clear_dunning(subscription)
    subscription.save()


@transaction.atomic
def subscription_end(
    *, subscription: Subscription, reason: str, now: datetime.datetime | None = None, actor=None
) -> None:
    """Move the workspace to Free. Nothing is deleted; what is over Free's limits is read-only."""
    now = now or timezone.now()
    subscription = _lock(subscription)
    if not subscription.is_paid:
        return
    previous = subscription.plan
    if subscription.provider_subscription_id and reason != "canceled_remotely":
        get_provider(subscription.provider).cancel_now(subscription)
    subscription.plan = free_plan()
    subscription.status = SubscriptionStatus.CANCELED
    subscription.canceled_at = now
    subscription.cancel_at_period_end = False
    subscription.current_period_start = None
    subscription.current_period_end = None
    subscription.provider_subscription_id = ""
    _clear_dunning(subscription)
    subscription.save()
    _change(
        subscription, ChangeKind.ENDED, actor=actor, from_plan=previous, to_plan=subscription.plan,
        reason=reason,
    )  # fmt: skip
    record(
        "subscription.changed",
        workspace=subscription.workspace,
        actor=actor,
        subject=subscription,
        properties={
            "change": "ended",
            "reason": reason,
            "from_plan": previous.key,
            "to_plan": FREE_PLAN_KEY,
        },
    )


def _set_cancel_at_period_end(subscription: Subscription, *, cancel: bool, actor) -> None:
    get_provider(subscription.provider).set_cancel_at_period_end(subscription, cancel)
    subscription.cancel_at_period_end = cancel
    subscription.save(update_fields=["cancel_at_period_end", "updated_at"])
    if cancel:
        _change(subscription, ChangeKind.CANCEL_SCHEDULED, actor=actor, from_plan=subscription.plan)
    else:
        _change(subscription, ChangeKind.RESUMED, actor=actor, to_plan=subscription.plan)
    properties = {
        "plan": subscription.plan.key,
        "amount": subscription.plan.price_in(subscription.currency),
        "currency": subscription.currency,
    }
    if cancel:
        properties["ends_at"] = subscription.current_period_end.isoformat()
    else:
        properties["change"] = "resumed"
    record(
        "user.cancelled" if cancel else "subscription.changed",
        workspace=subscription.workspace,
        actor=actor,
        subject=subscription,
        properties=properties,
    )


@transaction.atomic
def subscription_cancel(*, subscription: Subscription, actor) -> Subscription:
    """Cancel at the end of the paid period; the owner keeps Pro until then."""
    ensure_can(actor, subscription.workspace, "billing")
    subscription = _lock(subscription)
    if not subscription.is_paid:
        raise ValidationError(_("This workspace has no paid plan to cancel."))
    if not subscription.cancel_at_period_end:
        _set_cancel_at_period_end(subscription, cancel=True, actor=actor)
    return subscription


@transaction.atomic
def subscription_resume(*, subscription: Subscription, actor) -> Subscription:
    """Undo a cancellation before the period ends."""
    ensure_can(actor, subscription.workspace, "billing")
    subscription = _lock(subscription)
    if not subscription.is_paid or not subscription.cancel_at_period_end:
        raise ValidationError(_("There is no cancellation to undo."))
    _set_cancel_at_period_end(subscription, cancel=False, actor=actor)
    return subscription


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
        subscription, ChangeKind.SWITCHED, actor=actor, from_plan=previous, to_plan=plan,
        invoice=invoice.number,
    )  # fmt: skip
    record(
        "subscription.changed",
        workspace=subscription.workspace,
        actor=actor,
        subject=subscription,
        properties={
            "change": "switched",
            "from_plan": previous.key,
            "to_plan": plan.key,
            "leftover_credit": draft.leftover_credit,
            **_money(invoice),
        },
    )
    return invoice


@transaction.atomic
def credit_grant(
    *, workspace: Team, amount: int, currency: str, reason: str, idempotency_key: str
) -> Credit:
    """Owe the workspace `amount` (e.g. a referral reward); granted once per key."""
    if amount <= 0:
        raise ValidationError(_("A credit must be a positive amount."))
    credit, created = Credit.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "workspace": workspace,
            "amount": amount,
            "remaining": amount,
            "currency": currency,
            "reason": reason,
        },
    )
    if created:
        record(
            "credit.granted",
            workspace=workspace,
            subject=credit,
            properties={"amount": amount, "currency": currency, "reason": reason},
        )
    return credit


@transaction.atomic
def sandbox_card_set(*, subscription: Subscription, card: str, actor) -> None:
    ensure_can(actor, subscription.workspace, "billing")
    if card not in ("ok", "decline"):
        raise ValidationError(_("Choose one of the test cards."))
    Subscription.objects.filter(pk=subscription.pk).update(sandbox_card=card)


def _notify_once(subscription: Subscription, invoice: Invoice, kind: str) -> None:
    notice, created = DunningNotice.objects.get_or_create(
        invoice=invoice, kind=kind, defaults={"subscription": subscription}
    )
    if created:
        from .tasks import send_dunning_notice

        transaction.on_commit(lambda: send_dunning_notice.delay(notice.pk))


@transaction.atomic
def payment_record_refund(*, payment: Payment, refunded_total: int, actor=None) -> Payment:
    """Record that `refunded_total` of a payment has now been given back. Safe to repeat."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status == PaymentStatus.FAILED:
        raise ValidationError(_("A failed payment cannot be refunded."))
    if not 0 < refunded_total <= payment.amount:
        raise ValidationError(_("A refund must be more than nothing and at most the amount paid."))
    if refunded_total <= payment.refunded_amount:
        return payment
    refunded_now = refunded_total - payment.refunded_amount
    payment.refunded_amount = refunded_total
    if refunded_total == payment.amount:
        payment.status = PaymentStatus.REFUNDED
    payment.save(update_fields=["refunded_amount", "status"])
    record(
        "payment.refunded",
        workspace=payment.workspace,
        actor=actor,
        subject=payment,
        properties={
            "amount": refunded_now,
            "refunded_total": refunded_total,
            "currency": payment.currency,
            "invoice": payment.invoice.number if payment.invoice else None,
            "provider": payment.provider,
        },
        idempotency_key=f"payment.refunded:{payment.pk}:{refunded_total}",
    )
    return payment
