"""What other apps give a workspace through billing (a referral's reward or discount), and
taking a spent credit back.

growth.referrals calls these; billing never learns why beyond the reason written on the row.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import EventName, record
from billing import ledger
from billing.models import (
    ChangeKind,
    Coupon,
    CouponDuration,
    CouponRedemption,
    Credit,
    InvoiceReason,
    Plan,
    Provider,
    Subscription,
)
from billing.providers import ChargeResult
from teams.models import Team

from .common import (
    charge_result_apply,
    invoice_money,
    plan_name,
    subscription_begin,
    subscription_change_log,
    subscription_for,
    subscription_lock,
)


@transaction.atomic
def coupon_reserve(*, coupon: Coupon, workspace: Team) -> CouponRedemption:
    """Set `coupon` aside for the workspace's next checkout (a one-off discount it was given,
    such as a referral's): checkout applies it when no other code is typed. Once per pair."""
    if coupon.duration != CouponDuration.ONCE:
        raise ValidationError(_("Only a one-off coupon can be set aside for a checkout."))
    return ledger.coupon_redeem(coupon=coupon, workspace=workspace)


@transaction.atomic
def credit_claw_back(*, credit: Credit, reason: str, idempotency_key: str) -> Credit | None:
    """Take a credit back: what is left of it is cancelled, and what was already spent becomes
    a debt (a negative credit) that the next invoice collects. Once per key; returns the debt."""
    credit = Credit.objects.select_for_update().get(pk=credit.pk)
    if credit.amount <= 0:
        raise ValidationError(_("Only a credit can be taken back."))
    if credit.clawed_back_at is not None:
        return Credit.objects.filter(idempotency_key=idempotency_key).first()
    unused, spent = credit.remaining, credit.amount - credit.remaining
    credit.remaining = 0
    credit.clawed_back_at = timezone.now()
    credit.save(update_fields=["remaining", "clawed_back_at"])
    debt = None
    if spent:
        debt = Credit.objects.create(
            workspace=credit.workspace,
            amount=-spent,
            remaining=-spent,
            currency=credit.currency,
            reason=reason[:200],
            idempotency_key=idempotency_key,
        )
    record(
        EventName.CREDIT_CLAWED_BACK,
        workspace=credit.workspace,
        subject=credit,
        properties={
            "amount": credit.amount,
            "unused": unused,
            "debit": spent,
            "currency": credit.currency,
            "reason": reason[:200],
        },
        idempotency_key=f"credit.clawed_back:{idempotency_key}",
    )
    return debt


@transaction.atomic
def subscription_free_month_start(
    *, workspace: Team, plan: Plan, credit: Credit, actor=None, now: datetime.datetime | None = None
) -> Subscription:
    """Give a Free workspace one month of `plan`, paid for by `credit` (a reward worth a month):
    a zero invoice, and the plan ends at the month's end unless the owner subscribes."""
    now = now or timezone.now()
    subscription = subscription_lock(subscription=subscription_for(workspace))
    if subscription.is_paid:
        raise ValidationError(_("This workspace already has a paid plan."))
    credit = Credit.objects.select_for_update().get(pk=credit.pk)
    draft = ledger.draft_invoice(
        plan=plan, currency=credit.currency, period_start=now, credits=[credit]
    )
    if draft.total != 0:
        raise ValidationError(_("The credit does not cover a month of this plan."))
    previous_plan = subscription.plan
    # No card: the month ends on Free unless the owner checks out before then.
    subscription_begin(
        subscription=subscription,
        plan=plan,
        currency=credit.currency,
        now=now,
        provider=Provider.NONE,
        cancel_at_period_end=True,
    )
    invoice = ledger.invoice_create(
        subscription=subscription, plan=plan, draft=draft, reason=InvoiceReason.SUBSCRIBE
    )
    charge_result_apply(
        subscription=subscription,
        invoice=invoice,
        result=ChargeResult(True, f"zero:{invoice.number}"),
        now=now,
    )
    subscription_change_log(
        subscription=subscription,
        kind=ChangeKind.SUBSCRIBED,
        actor=actor,
        from_plan=previous_plan,
        to_plan=plan,
        invoice=invoice.number,
    )
    record(
        EventName.SUBSCRIPTION_STARTED,
        workspace=workspace,
        actor=actor,
        subject=subscription,
        properties={
            "plan": plan.key,
            "plan_name": plan_name(plan),
            "interval": plan.interval,
            "coupon": None,
            "period_end": subscription.current_period_end.isoformat(),
            "free_month": True,
            **invoice_money(invoice),
        },
    )
    return subscription
