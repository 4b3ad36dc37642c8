"""Billing's services, replayed on a workspace's ledger (`billing/services/`): `checkout` is
`checkout_start` then `checkout_complete`, `checkout_declined` is `checkout_fail`, `renew` is
`subscription_renew`, `retry` is `dunning_retry`, `end` is `subscription_end`,
`cancel`/`resume` are `subscription_set_cancel_at_period_end`, `switch` is
`subscription_switch`, `refund` is `payment_record_refund`. The arithmetic is billing's own
(`draft_invoice`, `coupon_discount`, `unused_amount`, `period_end`), the rows carry the same
fields, the events the same properties and idempotency keys, and the e-mails (receipts,
cancellation and dunning notices) are recorded as sent.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from analytics.events import EventName
from billing.ledger import coupon_discount, unused_amount
from billing.models import (
    BillingNotice,
    ChangeKind,
    CheckoutSession,
    CheckoutStatus,
    CouponRedemption,
    DunningNotice,
    InvoiceReason,
    InvoiceStatus,
    LineKind,
    PaymentStatus,
    Provider,
    SubscriptionStatus,
)
from billing.models import Payment as PaymentModel
from billing.services import FREE_PLAN_KEY, RETRY_DAYS

from . import catalog
from .billing_rows import Line, Payment, Redemption
from .context import CouponRow, PlanRow, after, new_uuid, subject_of
from .ledger import Ledger


class SubscriptionLedger(Ledger):
    # -- the services --------------------------------------------------------------------------

    def _session(self, at, plan: PlanRow, coupon: CouponRow | None) -> dict:
        session_id = new_uuid(self.rng)
        session = {
            "id": session_id,
            "workspace_id": self.person.team_id,
            "plan_id": plan.id,
            "currency": self.person.currency,
            "coupon_id": coupon.id if coupon else None,
            "created_by_id": self.person.user_id,
            "provider": Provider.SANDBOX,
            "provider_session_id": f"sbx_cs_{session_id.hex}",
            "url": reverse("billing:sandbox_checkout", args=[session_id]),
            "status": CheckoutStatus.OPEN,
            "created_at": at,
            "completed_at": None,
        }
        self.sessions.append(session)
        self._event(
            EventName.CHECKOUT_STARTED,
            at,
            actor=True,
            subject=subject_of(CheckoutSession, session_id),
            plan=plan.key,
            currency=self.person.currency,
            coupon=coupon.code if coupon else None,
        )
        return session

    def checkout_abandoned(self, at, plan: PlanRow) -> None:
        self._session(at, plan, None)

    def checkout_declined(self, at, plan: PlanRow, coupon: CouponRow | None) -> None:
        session = self._session(at, plan, coupon)
        paid_at = after(self.rng, at, seconds=240)
        price = plan.prices[self.person.currency]
        owed = price - coupon_discount(coupon, price, self.person.currency)
        owed -= min(owed, sum(credit.remaining for credit in self._open_credits()))
        self._pay(paid_at, None, amount=owed, succeeded=False)
        session["status"] = CheckoutStatus.FAILED

    def checkout(self, at, plan: PlanRow, coupon: CouponRow | None) -> dt.datetime:
        """The owner starts a checkout and pays it a few minutes later."""
        session = self._session(at, plan, coupon)
        now = after(self.rng, at, seconds=240)
        if coupon is not None and not any(r.coupon.id == coupon.id for r in self.redemptions):
            self.redemptions.append(Redemption(self.ctx.ids.take(CouponRedemption), coupon, now))
        previous = self.plan.id if self.plan else self.ctx.free_plan_id
        self.plan, self.cancel_at_period_end, self.canceled_at = plan, False, None
        if not self.card:
            self.card = "ok"
        self.ever_checked_out = True
        invoice = self._invoice(
            now,
            plan=plan,
            start=now,
            reason=InvoiceReason.SUBSCRIBE,
            coupon=coupon,
            language=self.person.language,
        )
        self._start_period(invoice)
        self._charge(now, invoice, declined=False)
        session["status"], session["completed_at"] = CheckoutStatus.COMPLETED, now
        self._change(
            ChangeKind.SUBSCRIBED,
            now,
            actor=True,
            from_plan=previous,
            to_plan=plan.id,
            invoice=invoice.number,
        )
        self._event(
            EventName.SUBSCRIPTION_STARTED,
            now,
            actor=True,
            plan=plan.key,
            plan_name=plan.default_name,
            interval=plan.interval,
            coupon=coupon.code if coupon else None,
            period_end=self.period[1].isoformat(),
            **self._money(invoice),
        )
        return now

    def renew(self, at, *, declined: bool) -> bool:
        """At the period's end: end a cancelled plan, else invoice and charge the next period.
        True while the plan goes on (paid, or being retried)."""
        if self.cancel_at_period_end:
            self.end(at, "canceled")
            return False
        invoice = self._invoice(
            at,
            plan=self.plan,
            start=self.period[1],
            reason=InvoiceReason.RENEWAL,
            coupon=self.coupon_for_next_invoice(),
        )
        if self._charge(at, invoice, declined=declined):
            self._start_period(invoice)
            self._change(ChangeKind.RENEWED, at, to_plan=self.plan.id, invoice=invoice.number)
            return True
        self.status, self.payment_failed_at = SubscriptionStatus.PAST_DUE, at
        self.retry_count, self.next_retry_at = 0, at + dt.timedelta(days=RETRY_DAYS[0])
        self._change(ChangeKind.PAST_DUE, at, invoice=invoice.number)
        self._event(EventName.SUBSCRIPTION_PAST_DUE, at, plan=self.plan.key, **self._money(invoice))
        self._notice(
            DunningNotice, at, kind=DunningNotice.Kind.PAYMENT_FAILED, invoice_id=invoice.id
        )
        return True

    def retry(self, at, *, declined: bool) -> bool:
        """A due retry of the past-due invoice. True when it was paid."""
        invoice = next(i for i in reversed(self.invoices) if i.status == InvoiceStatus.OPEN)
        if self._charge(at, invoice, declined=declined):
            self._start_period(invoice)
            self._change(ChangeKind.RECOVERED, at, invoice=invoice.number)
            self._event(
                EventName.SUBSCRIPTION_RECOVERED, at, plan=self.plan.key, **self._money(invoice)
            )
            return True
        self.retry_count += 1
        if self.retry_count >= len(RETRY_DAYS):
            invoice.status = InvoiceStatus.UNCOLLECTIBLE
            self.end(at, "payment_failed")
            self._notice(
                DunningNotice, at, kind=DunningNotice.Kind.MOVED_TO_FREE, invoice_id=invoice.id
            )
        else:
            self.next_retry_at = self.payment_failed_at + dt.timedelta(
                days=RETRY_DAYS[self.retry_count]
            )
        return False

    def end(self, at, reason: str) -> None:
        previous, was_scheduled = self.plan, self.cancel_at_period_end
        self.plan, self.status, self.canceled_at = None, SubscriptionStatus.CANCELED, at
        self.cancel_at_period_end, self.period = False, None
        self.payment_failed_at, self.retry_count, self.next_retry_at = None, 0, None
        change = self._change(
            ChangeKind.ENDED,
            at,
            from_plan=previous.id,
            to_plan=self.ctx.free_plan_id,
            reason=reason,
        )
        if reason != "payment_failed":
            self._notice(BillingNotice, at, kind=BillingNotice.Kind.ENDED, change_id=change)
        self._event(
            EventName.SUBSCRIPTION_ENDED,
            at,
            reason=reason,
            from_plan=previous.key,
            from_plan_name=previous.default_name,
            to_plan=FREE_PLAN_KEY,
            cancel_scheduled=was_scheduled,
        )

    def _price_properties(self) -> dict:
        currency = self.person.currency
        return {"plan": self.plan.key, "amount": self.plan.prices[currency], "currency": currency}

    def cancel(self, at) -> None:
        self.cancel_at_period_end, self.updated_at = True, at
        change = self._change(ChangeKind.CANCEL_SCHEDULED, at, actor=True, from_plan=self.plan.id)
        self._notice(BillingNotice, at, kind=BillingNotice.Kind.CANCEL_SCHEDULED, change_id=change)
        self._event(
            EventName.SUBSCRIPTION_CANCEL_SCHEDULED,
            at,
            actor=True,
            ends_at=self.period[1].isoformat(),
            plan_name=self.plan.default_name,
            **self._price_properties(),
        )

    def resume(self, at) -> None:
        self.cancel_at_period_end = False
        self._change(ChangeKind.RESUMED, at, actor=True, to_plan=self.plan.id)
        self._event(EventName.SUBSCRIPTION_RESUMED, at, actor=True, **self._price_properties())

    def switch(self, at, plan: PlanRow) -> None:
        """Monthly ↔ annual now: the unused part of the paid period is credited."""
        paid = [
            i
            for i in self.invoices
            if i.status == InvoiceStatus.PAID and i.period_start <= at < i.period_end
        ]
        proration = None
        if paid:
            last = max(paid, key=lambda i: i.period_start)
            unused = unused_amount(last.total, last.period_start, last.period_end, at)
            proration = Line(LineKind.PRORATION, last.plan, -unused, at, last.period_end)
        previous = self.plan
        invoice = self._invoice(
            at,
            plan=plan,
            start=at,
            reason=InvoiceReason.SWITCH,
            coupon=self.coupon_for_next_invoice(),
            proration=proration,
            language=self.person.language,
        )
        self._charge(at, invoice, declined=False)
        self.plan = plan
        self._start_period(invoice)
        self._change(
            ChangeKind.SWITCHED,
            at,
            actor=True,
            from_plan=previous.id,
            to_plan=plan.id,
            invoice=invoice.number,
        )
        self._event(
            EventName.SUBSCRIPTION_SWITCHED,
            at,
            actor=True,
            from_plan=previous.key,
            to_plan=plan.key,
            leftover_credit=invoice.leftover_credit,
            **self._money(invoice),
        )

    def refund(self, at, payment: Payment, refunded_total: int) -> None:
        refunded_now = refunded_total - payment.refunded_amount
        payment.refunded_amount = refunded_total
        if refunded_total == payment.amount:
            payment.status = PaymentStatus.REFUNDED
        self._event(
            EventName.PAYMENT_REFUNDED,
            at,
            subject=subject_of(PaymentModel, payment.id),
            amount=refunded_now,
            refunded_total=refunded_total,
            currency=self.person.currency,
            invoice=payment.invoice.number if payment.invoice else None,
            provider=Provider.SANDBOX,
            key=f"payment.refunded:{payment.id}:{refunded_total}",
        )

    def wait_for_refunds(self) -> None:
        """Some paid invoices are refunded, wholly or half, days later (by staff, no actor)."""
        for payment in list(self.payments):
            if payment.status != PaymentStatus.SUCCEEDED or payment.amount == 0:
                continue
            if self.rng.random() >= catalog.REFUND_SHARE:
                continue
            at = payment.created_at + dt.timedelta(hours=self.rng.uniform(1, 240))
            if at >= self.ctx.now:
                continue
            partial = self.rng.random() < catalog.PARTIAL_REFUND_SHARE
            self.refund(
                at,
                payment,
                payment.amount // 2 if partial and payment.amount > 1 else payment.amount,
            )
