"""One workspace's subscription and ledger in memory, and what billing's services share
(`billing/services/common.py`, `billing/ledger.py`): the history row, the notice, drafting and
creating an invoice with its coupon and credits, recording a payment. The services themselves
are in `lifecycle.py`."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import translation

from analytics.events import EventName
from billing.ledger import coupon_discount, period_end
from billing.models import (
    BillingNotice,
    CouponDuration,
    Credit,
    InvoiceStatus,
    LineKind,
    PaymentStatus,
    Provider,
    Subscription,
    SubscriptionChange,
    SubscriptionStatus,
)
from billing.models import Invoice as InvoiceModel
from billing.models import Payment as PaymentModel

from . import catalog
from .billing_rows import CreditRow, Invoice, Line, Payment, Redemption
from .context import Context, CouponRow, PlanRow, after, event, new_uuid, subject_of
from .people import Person


@dataclass
class Ledger:
    ctx: Context
    rng: random.Random
    person: Person
    plan: PlanRow | None = None  # None: Free
    status: str = SubscriptionStatus.ACTIVE
    period: tuple[dt.datetime, dt.datetime] | None = None
    cancel_at_period_end: bool = False
    canceled_at: dt.datetime | None = None
    card: str = ""
    payment_failed_at: dt.datetime | None = None
    retry_count: int = 0
    next_retry_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    invoices: list[Invoice] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    credits: list[CreditRow] = field(default_factory=list)
    redemptions: list[Redemption] = field(default_factory=list)
    sessions: list[dict] = field(default_factory=list)
    ever_checked_out: bool = False

    # -- what the services share -------------------------------------------------------------

    def _event(self, name, at, *, actor: bool = False, subject=None, key=None, **properties):
        event(
            self.ctx,
            self.rng,
            name,
            at,
            workspace_id=self.person.team_id,
            actor_id=self.person.user_id if actor else None,
            subject=subject or subject_of(Subscription, self.person.subscription_id),
            properties=properties,
            idempotency_key=key,
        )

    def _change(self, kind, at, *, actor=False, from_plan=None, to_plan=None, **details):
        change_id = self.ctx.ids.take(SubscriptionChange)
        self.ctx.out[SubscriptionChange].add(
            id=change_id,
            subscription_id=self.person.subscription_id,
            kind=kind,
            from_plan_id=from_plan,
            to_plan_id=to_plan,
            actor_id=self.person.user_id if actor else None,
            details=details,
            created_at=at,
        )
        self.updated_at = at
        return change_id

    def _notice(self, model, at, **about) -> None:
        self.ctx.out[model].add(
            id=self.ctx.ids.take(model),
            subscription_id=self.person.subscription_id,
            created_at=at,
            emailed_at=min(after(self.rng, at, seconds=30), self.ctx.now),
            **about,
        )

    def _money(self, invoice: Invoice) -> dict:
        return {
            "amount": invoice.total,
            "currency": self.person.currency,
            "invoice": invoice.number,
        }

    def _open_credits(self) -> list[CreditRow]:
        return sorted((c for c in self.credits if c.remaining > 0), key=lambda c: c.created_at)

    def coupon_for_next_invoice(self) -> CouponRow | None:
        for redemption in sorted(self.redemptions, key=lambda r: r.redeemed_at, reverse=True):
            if redemption.coupon.duration != CouponDuration.ONCE and not redemption.exhausted:
                return redemption.coupon
        return None

    def _invoice(self, at, *, plan, start, reason, coupon, proration=None, language="en"):
        """`draft_invoice` then `invoice_create`: the lines, the coupon's discount on the plan's
        price, credits spent on what is due (or what is owed back when the credit line wins)."""
        currency = self.person.currency
        charge = plan.prices[currency]
        lines = [Line(LineKind.PLAN, plan, charge, start, period_end(start, plan.interval))]
        if proration is not None and proration.amount:
            lines.append(proration)
        discount = coupon_discount(coupon, charge, currency)
        due = sum(line.amount for line in lines) - discount
        leftover, allocations = 0, []
        if due < 0:
            leftover = -due
        else:
            for credit in self._open_credits():
                if due == 0:
                    break
                used = min(credit.remaining, due)
                allocations.append((credit, used))
                due -= used
        invoice_id = self.ctx.ids.take(InvoiceModel)
        invoice = Invoice(
            id=invoice_id,
            number=f"VC-{at:%Y}-{invoice_id:06d}",
            plan=plan,
            reason=reason,
            currency=currency,
            lines=lines,
            discount=discount,
            credit_applied=sum(used for _credit, used in allocations),
            status=InvoiceStatus.OPEN,
            coupon=coupon if discount else None,
            issued_at=at,
            language=language,
        )
        self.invoices.append(invoice)
        for credit, used in allocations:
            credit.remaining -= used
        invoice.leftover_credit = leftover
        if leftover:
            credit_id = self.ctx.ids.take(Credit)
            with translation.override(language):
                reason_text = translation.gettext("Unused time from invoice %(number)s") % {
                    "number": invoice.number
                }
            self.credits.append(
                CreditRow(
                    credit_id, leftover, leftover, reason_text, f"invoice-leftover:{invoice_id}", at
                )
            )
        if invoice.discount:
            for redemption in self.redemptions:
                if redemption.coupon.id == invoice.coupon.id:
                    redemption.invoices_applied += 1
        self._event(
            EventName.INVOICE_CREATED,
            at,
            subject=subject_of(InvoiceModel, invoice_id),
            number=invoice.number,
            reason=reason,
            plan=plan.key,
            currency=currency,
            subtotal=invoice.subtotal,
            discount=invoice.discount,
            credit_applied=invoice.credit_applied,
            total=invoice.total,
        )
        return invoice

    def _pay(self, at, invoice: Invoice | None, *, amount: int, succeeded: bool, payment_id=None):
        """`payment_record` (and `invoice_mark_paid` with its receipt when it succeeded)."""
        payment_id = payment_id or f"sbx_pay_{new_uuid(self.rng).hex}"
        reason = "" if succeeded else catalog.DECLINED_REASON
        payment = Payment(
            id=new_uuid(self.rng),
            invoice=invoice,
            amount=amount,
            status=PaymentStatus.SUCCEEDED if succeeded else PaymentStatus.FAILED,
            provider_payment_id=payment_id,
            failure_reason=reason,
            created_at=at,
        )
        self.payments.append(payment)
        self._event(
            EventName.PAYMENT_SUCCEEDED if succeeded else EventName.PAYMENT_FAILED,
            at,
            subject=subject_of(PaymentModel, payment.id),
            amount=amount,
            currency=self.person.currency,
            invoice=invoice.number if invoice else None,
            provider=Provider.SANDBOX,
            reason=reason,
            key=f"payment:{Provider.SANDBOX}:{payment_id}",
        )
        if succeeded and invoice is not None:
            invoice.status, invoice.paid_at = InvoiceStatus.PAID, at
            self._notice(BillingNotice, at, kind=BillingNotice.Kind.RECEIPT, invoice_id=invoice.id)
        return payment

    def _charge(self, at, invoice: Invoice, *, declined: bool) -> bool:
        if invoice.total == 0:
            self._pay(at, invoice, amount=0, succeeded=True, payment_id=f"zero:{invoice.number}")
            return True
        self._pay(at, invoice, amount=invoice.total, succeeded=not declined)
        return not declined

    def _start_period(self, invoice: Invoice) -> None:
        self.period = (invoice.period_start, invoice.period_end)
        self.status = SubscriptionStatus.ACTIVE
        self.payment_failed_at, self.retry_count, self.next_retry_at = None, 0, None
