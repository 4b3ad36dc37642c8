"""The rows of one workspace's billing story, kept in memory while it unfolds (an invoice is
paid, a payment refunded, a credit spent) and written once it is over, with the fields billing's
services set."""

from __future__ import annotations

import datetime as dt
import functools
import types
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import translation

from billing.models import (
    CheckoutSession,
    CouponDuration,
    CouponRedemption,
    Credit,
    InvoiceLine,
    LineKind,
    Provider,
    Subscription,
)
from billing.models import (
    Invoice as InvoiceModel,
)
from billing.models import (
    Payment as PaymentModel,
)
from billing.models.invoices import line_description

from .context import CouponRow, PlanRow

if TYPE_CHECKING:
    from .ledger import Ledger


@functools.lru_cache(maxsize=20_000)
def _describe(language: str, kind: str, plan_name: str, start: dt.date, end: dt.date | None):
    def midnight(day):
        return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC) if day else None

    with translation.override(language):
        text = line_description(
            kind=kind,
            plan=types.SimpleNamespace(name=plan_name),
            start=midnight(start),
            end=midnight(end),
        )
    return text[:200]


@dataclass
class Line:
    kind: str
    plan: PlanRow
    amount: int
    start: dt.datetime
    end: dt.datetime


@dataclass
class Invoice:
    id: int
    number: str
    plan: PlanRow
    reason: str
    currency: str
    lines: list[Line]
    discount: int
    credit_applied: int
    status: str
    coupon: CouponRow | None
    issued_at: dt.datetime
    paid_at: dt.datetime | None = None
    language: str = "en"
    leftover_credit: int = 0

    @property
    def subtotal(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def total(self) -> int:
        return max(0, self.subtotal - self.discount) - self.credit_applied

    @property
    def period_start(self) -> dt.datetime:
        return self.lines[0].start

    @property
    def period_end(self) -> dt.datetime:
        return self.lines[0].end


@dataclass
class Payment:
    id: Any
    invoice: Invoice | None
    amount: int
    status: str
    provider_payment_id: str
    failure_reason: str
    created_at: dt.datetime
    refunded_amount: int = 0


@dataclass
class CreditRow:
    id: int
    amount: int
    remaining: int
    reason: str
    key: str
    created_at: dt.datetime


@dataclass
class Redemption:
    id: int
    coupon: CouponRow
    redeemed_at: dt.datetime
    invoices_applied: int = 0

    @property
    def exhausted(self) -> bool:
        if self.coupon.duration == CouponDuration.FOREVER:
            return False
        if self.coupon.duration == CouponDuration.ONCE:
            return self.invoices_applied >= 1
        return self.invoices_applied >= (self.coupon.duration_months or 0)


def invoice_line_description(invoice: Invoice, line: Line) -> str:
    return _describe(
        invoice.language,
        line.kind,
        line.plan.name,
        line.start.date(),
        None if line.kind == LineKind.PRORATION else line.end.date(),
    )


def write_ledger(ledger: Ledger) -> None:
    """Every row of the workspace's billing, in its final state."""
    ctx, person = ledger.ctx, ledger.person
    out = ctx.out
    out[Subscription].add(
        id=person.subscription_id,
        workspace_id=person.team_id,
        plan_id=ledger.plan.id if ledger.plan else ctx.free_plan_id,
        status=ledger.status,
        # A workspace that never checked out keeps the model's default currency.
        currency=person.currency if ledger.ever_checked_out else "USD",
        current_period_start=ledger.period[0] if ledger.period else None,
        current_period_end=ledger.period[1] if ledger.period else None,
        cancel_at_period_end=ledger.cancel_at_period_end,
        canceled_at=ledger.canceled_at,
        provider=Provider.SANDBOX if ledger.ever_checked_out else "",
        sandbox_card=ledger.card,
        payment_failed_at=ledger.payment_failed_at,
        retry_count=ledger.retry_count,
        next_retry_at=ledger.next_retry_at,
        created_at=person.joined_at,
        updated_at=ledger.updated_at or person.joined_at,
    )
    for session in ledger.sessions:
        out[CheckoutSession].add(**session)
    for redemption in ledger.redemptions:
        out[CouponRedemption].add(
            id=redemption.id,
            coupon_id=redemption.coupon.id,
            workspace_id=person.team_id,
            invoices_applied=redemption.invoices_applied,
            redeemed_at=redemption.redeemed_at,
        )
    for invoice in ledger.invoices:
        out[InvoiceModel].add(
            id=invoice.id,
            number=invoice.number,
            workspace_id=person.team_id,
            subscription_id=person.subscription_id,
            plan_id=invoice.plan.id,
            reason=invoice.reason,
            currency=invoice.currency,
            subtotal=invoice.subtotal,
            discount=invoice.discount,
            credit_applied=invoice.credit_applied,
            tax=0,
            total=invoice.total,
            status=invoice.status,
            period_start=invoice.period_start,
            period_end=invoice.period_end,
            coupon_id=invoice.coupon.id if invoice.coupon else None,
            provider=Provider.SANDBOX,
            provider_invoice_id="",
            issued_at=invoice.issued_at,
            paid_at=invoice.paid_at,
        )
        for line in invoice.lines:
            out[InvoiceLine].add(
                id=ctx.ids.take(InvoiceLine),
                invoice_id=invoice.id,
                kind=line.kind,
                plan_id=line.plan.id,
                description=invoice_line_description(invoice, line),
                amount=line.amount,
                period_start=line.start,
                period_end=line.end,
            )
    for payment in ledger.payments:
        out[PaymentModel].add(
            id=payment.id,
            workspace_id=person.team_id,
            invoice_id=payment.invoice.id if payment.invoice else None,
            amount=payment.amount,
            currency=person.currency,
            status=payment.status,
            provider=Provider.SANDBOX,
            provider_payment_id=payment.provider_payment_id,
            failure_reason=payment.failure_reason,
            refunded_amount=payment.refunded_amount,
            created_at=payment.created_at,
        )
    for credit in ledger.credits:
        out[Credit].add(
            id=credit.id,
            workspace_id=person.team_id,
            amount=credit.amount,
            remaining=credit.remaining,
            currency=person.currency,
            reason=credit.reason,
            idempotency_key=credit.key,
            created_at=credit.created_at,
        )
