"""The invoice arithmetic, in integer minor units, and the rows it writes.

Amounts are never floats: discounts round half up to the minor unit, proration
credits round down (the customer is never credited a fraction they did not pay).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from analytics.events import EventName, record

from . import notices
from .models import (
    Coupon,
    CouponDuration,
    CouponRedemption,
    Credit,
    Interval,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Payment,
    PaymentStatus,
    Plan,
    Subscription,
)
from .models.invoices import line_description


def period_end(start: datetime.datetime, interval: str) -> datetime.datetime:
    if interval == Interval.MONTH:
        return start + relativedelta(months=1)
    if interval == Interval.YEAR:
        return start + relativedelta(years=1)
    raise ValueError(f"A {interval!r} plan has no billing period")


def coupon_discount(coupon: Coupon | None, amount: int, currency: str) -> int:
    """What `coupon` takes off a charge of `amount`."""
    if coupon is None or amount <= 0:
        return 0
    if coupon.percent_off is not None:
        return min(amount, (amount * coupon.percent_off + 50) // 100)
    if coupon.currency != currency:
        return 0
    return min(amount, coupon.amount_off or 0)


def unused_amount(
    paid: int, start: datetime.datetime, end: datetime.datetime, now: datetime.datetime
) -> int:
    """The part of `paid` for [start, end) not yet used at `now`, rounded down."""
    one = datetime.timedelta(microseconds=1)
    total = (end - start) // one
    remaining = (end - max(now, start)) // one
    if total <= 0 or remaining <= 0:
        return 0
    return paid * min(remaining, total) // total


@dataclass
class DraftLine:
    kind: str
    description: str
    amount: int
    period_start: datetime.datetime | None = None
    period_end: datetime.datetime | None = None
    plan: Plan | None = None


@dataclass
class InvoiceDraft:
    currency: str
    lines: list[DraftLine]
    coupon: Coupon | None = None
    discount: int = 0
    credit_applied: int = 0
    # (credit, amount) pairs consumed from the workspace's credit balance.
    credit_allocations: list[tuple[Credit, int]] = field(default_factory=list)
    # What is owed to the customer when credits exceed charges (becomes a new Credit).
    leftover_credit: int = 0

    @property
    def subtotal(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def total(self) -> int:
        return max(0, self.subtotal - self.discount) - self.credit_applied


def draft_invoice(
    *,
    plan: Plan,
    currency: str,
    period_start: datetime.datetime,
    proration: DraftLine | None = None,
    coupon: Coupon | None = None,
    credits: list[Credit] = (),
) -> InvoiceDraft:
    """Lines for `plan` from `period_start`, an optional unused-time line, the coupon, credits."""
    end = period_end(period_start, plan.interval)
    charge = plan.price_in(currency)
    lines = [
        DraftLine(
            LineKind.PLAN,
            line_description(kind=LineKind.PLAN, plan=plan, start=period_start, end=end),
            charge,
            period_start,
            end,
            plan,
        )
    ]
    if proration is not None and proration.amount:
        lines.append(proration)
    draft = InvoiceDraft(currency=currency, lines=lines, coupon=coupon)
    draft.discount = coupon_discount(coupon, charge, currency)
    usable = [credit for credit in credits if credit.currency == currency and credit.remaining]
    for debt in (credit for credit in usable if credit.remaining < 0):
        # A credit taken back after it was spent: this invoice collects it, as its own line.
        lines.append(DraftLine(LineKind.DEBT, debt.reason, -debt.remaining))
        draft.credit_allocations.append((debt, debt.remaining))
    due = draft.subtotal - draft.discount
    if due < 0:
        draft.leftover_credit = -due
        return draft
    for credit in usable:
        if due == 0:
            break
        if credit.remaining < 0:
            continue
        used = min(credit.remaining, due)
        draft.credit_allocations.append((credit, used))
        draft.credit_applied += used
        due -= used
    return draft


def _next_number(invoice: Invoice) -> str:
    return f"VC-{invoice.issued_at:%Y}-{invoice.pk:06d}"


@transaction.atomic
def invoice_create(
    *,
    subscription: Subscription,
    plan: Plan,
    draft: InvoiceDraft,
    reason: str,
    provider: str = "",
    provider_invoice_id: str = "",
) -> Invoice:
    """Persist a draft as an open invoice, consuming the credits it allocated."""
    plan_line = draft.lines[0]
    invoice = Invoice.objects.create(
        number=f"pending-{uuid.uuid4().hex[:20]}",  # replaced by the numbered one below
        workspace=subscription.workspace,
        subscription=subscription,
        plan=plan,
        reason=reason,
        currency=draft.currency,
        subtotal=draft.subtotal,
        discount=draft.discount,
        credit_applied=draft.credit_applied,
        total=draft.total,
        status=InvoiceStatus.OPEN,
        period_start=plan_line.period_start,
        period_end=plan_line.period_end,
        coupon=draft.coupon if draft.discount else None,
        provider=provider,
        provider_invoice_id=provider_invoice_id,
    )
    invoice.number = _next_number(invoice)
    invoice.save(update_fields=["number"])
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            kind=line.kind,
            description=line.description[:200],
            amount=line.amount,
            period_start=line.period_start,
            period_end=line.period_end,
            plan=line.plan,
        )
        for line in draft.lines
    )
    for credit, used in draft.credit_allocations:
        # `used` is negative for a debt: its remaining rises to zero.
        spendable = Q(remaining__gte=used) if used > 0 else Q(remaining=used)
        updated = Credit.objects.filter(spendable, pk=credit.pk).update(
            remaining=F("remaining") - used
        )
        if not updated:
            raise RuntimeError(f"Credit {credit.pk} was spent concurrently")
    if draft.leftover_credit:
        Credit.objects.create(
            workspace=subscription.workspace,
            amount=draft.leftover_credit,
            remaining=draft.leftover_credit,
            currency=draft.currency,
            reason=_("Unused time from invoice %(number)s") % {"number": invoice.number},
            idempotency_key=f"invoice-leftover:{invoice.pk}",
        )
    if invoice.discount:
        CouponRedemption.objects.filter(
            coupon=invoice.coupon, workspace=subscription.workspace
        ).update(invoices_applied=F("invoices_applied") + 1)
    record(
        EventName.INVOICE_CREATED,
        workspace=subscription.workspace,
        subject=invoice,
        properties={
            "number": invoice.number,
            "reason": reason,
            "plan": plan.key,
            "currency": invoice.currency,
            "subtotal": invoice.subtotal,
            "discount": invoice.discount,
            "credit_applied": invoice.credit_applied,
            "total": invoice.total,
        },
    )
    return invoice


def payment_record(
    *,
    workspace,
    invoice: Invoice | None,
    amount: int,
    currency: str,
    succeeded: bool,
    provider: str,
    provider_payment_id: str,
    failure_reason: str = "",
) -> Payment:
    """Record one payment attempt (once per provider id) and its event."""
    payment, created = Payment.objects.get_or_create(
        provider=provider,
        provider_payment_id=provider_payment_id,
        defaults={
            "workspace": workspace,
            "invoice": invoice,
            "amount": amount,
            "currency": currency,
            "status": PaymentStatus.SUCCEEDED if succeeded else PaymentStatus.FAILED,
            "failure_reason": failure_reason[:300],
        },
    )
    if created:
        record(
            EventName.PAYMENT_SUCCEEDED if succeeded else EventName.PAYMENT_FAILED,
            workspace=workspace,
            subject=payment,
            properties={
                "amount": amount,
                "currency": currency,
                "invoice": invoice.number if invoice else None,
                "provider": provider,
                "reason": failure_reason[:300],
            },
            idempotency_key=f"payment:{provider}:{provider_payment_id}",
        )
    return payment


def invoice_mark_paid(*, invoice: Invoice, paid_at: datetime.datetime) -> None:
    """Mark an open invoice paid; the owners get its receipt (once, however often this runs)."""
    marked = Invoice.objects.filter(pk=invoice.pk, status=InvoiceStatus.OPEN).update(
        status=InvoiceStatus.PAID, paid_at=paid_at
    )
    invoice.refresh_from_db(fields=["status", "paid_at"])
    if marked:
        notices.receipt_queue(invoice=invoice)


def coupon_redeem(*, coupon: Coupon, workspace) -> CouponRedemption:
    redemption, _created = CouponRedemption.objects.get_or_create(
        coupon=coupon, workspace=workspace
    )
    return redemption


def coupon_for_next_invoice(*, workspace) -> Coupon | None:
    """The coupon still running for this workspace (repeating or forever), if any."""
    redemptions = CouponRedemption.objects.filter(workspace=workspace).select_related("coupon")
    for redemption in redemptions.order_by("-redeemed_at"):
        if redemption.coupon.duration != CouponDuration.ONCE and not redemption.is_exhausted:
            return redemption.coupon
    return None


def coupon_set_aside(*, workspace) -> Coupon | None:
    """A one-off coupon given to the workspace (`coupon_reserve`) and not yet used. Given, not
    typed: it applies even when its code cannot be typed at checkout (inactive)."""
    redemption = (
        CouponRedemption.objects.filter(
            workspace=workspace,
            invoices_applied=0,
            coupon__duration=CouponDuration.ONCE,
        )
        .select_related("coupon")
        .order_by("redeemed_at", "id")
        .first()
    )
    return redemption.coupon if redemption else None


def open_credits(*, workspace, currency: str) -> list[Credit]:
    """The workspace's credits and debts (negative credits) not yet used up, oldest first."""
    return list(
        Credit.objects.select_for_update()
        .filter(workspace=workspace, currency=currency)
        .exclude(remaining=0)
        .order_by("created_at", "id")
    )
