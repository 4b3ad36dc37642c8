"""Credits, refunds and the sandbox's test card."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import EventName, record
from billing.models import (
    Credit,
    Payment,
    PaymentStatus,
    Subscription,
)
from teams.models import Team
from teams.permissions import ensure_can


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
            EventName.CREDIT_GRANTED,
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
        EventName.PAYMENT_REFUNDED,
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


@transaction.atomic
def payment_record_dispute(*, payment: Payment, reason: str = "", actor=None) -> Payment:
    """Record that the card's holder disputed this payment (a chargeback). Safe to repeat."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status == PaymentStatus.FAILED:
        raise ValidationError(_("A failed payment cannot be disputed."))
    if payment.disputed_at is not None:
        return payment
    payment.disputed_at = timezone.now()
    payment.save(update_fields=["disputed_at"])
    record(
        EventName.PAYMENT_DISPUTED,
        workspace=payment.workspace,
        actor=actor,
        subject=payment,
        properties={
            "amount": payment.amount,
            "currency": payment.currency,
            "invoice": payment.invoice.number if payment.invoice else None,
            "provider": payment.provider,
            "reason": reason[:300],
        },
        idempotency_key=f"payment.disputed:{payment.pk}",
    )
    return payment
