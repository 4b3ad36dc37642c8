"""Upgrades: coupons, the checkout session, and what happens when it is paid or declined."""

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
    CheckoutSession,
    CheckoutStatus,
    Coupon,
    Credit,
    Interval,
    InvoiceReason,
    Plan,
    Provider,
    Subscription,
)
from billing.providers import ChargeResult, get_provider
from teams.models import Team
from teams.permissions import ensure_can

from .common import (
    charge_result_apply,
    invoice_money,
    plan_ensure_buyable,
    plan_name,
    subscription_begin,
    subscription_change_log,
    subscription_for,
    subscription_lock,
)


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


def checkout_preview(*, workspace: Team, plan: Plan, currency: str, coupon: Coupon | None):
    credits = list(
        Credit.objects.filter(workspace=workspace, currency=currency)
        .exclude(remaining=0)
        .order_by("created_at", "id")
    )
    return ledger.draft_invoice(
        plan=plan, currency=currency, period_start=timezone.now(), coupon=coupon, credits=credits
    )


@transaction.atomic
def checkout_start(
    *, workspace: Team, plan: Plan, currency: str, actor, coupon_code: str = ""
) -> CheckoutSession:
    """Begin an upgrade; the returned session's url is where the owner pays."""
    ensure_can(actor, workspace, "billing")
    plan_ensure_buyable(plan=plan, currency=currency)
    subscription = subscription_lock(subscription=subscription_for(workspace))
    # A free month (provider NONE, a referral reward) may be turned into a paid plan.
    if subscription.is_paid and subscription.provider != Provider.NONE:
        raise ValidationError(
            _("This workspace already has a paid plan. Change or cancel it on the billing page.")
        )
    coupon = coupon_validate(code=coupon_code, currency=currency)
    if coupon is None and plan.interval == Interval.MONTH:
        coupon = ledger.coupon_set_aside(workspace=workspace)
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
        EventName.CHECKOUT_STARTED,
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
    subscription = subscription_lock(subscription=subscription_for(session.workspace))
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
    if session.provider == Provider.SANDBOX and not subscription.sandbox_card:
        subscription.sandbox_card = "ok"
    subscription_begin(
        subscription=subscription,
        plan=session.plan,
        currency=session.currency,
        now=now,
        provider=session.provider,
        provider_customer_id=provider_customer_id,
        provider_subscription_id=provider_subscription_id,
    )
    invoice = ledger.invoice_create(
        subscription=subscription,
        plan=session.plan,
        draft=draft,
        reason=InvoiceReason.SUBSCRIBE,
        provider=session.provider,
        provider_invoice_id=provider_invoice_id,
    )
    charge_result_apply(
        subscription=subscription,
        invoice=invoice,
        result=ChargeResult(True, provider_payment_id),
        now=now,
    )
    session.status = CheckoutStatus.COMPLETED
    session.completed_at = now
    session.save(update_fields=["status", "completed_at"])
    subscription_change_log(
        subscription=subscription,
        kind=ChangeKind.SUBSCRIBED,
        actor=session.created_by,
        from_plan=previous_plan,
        to_plan=session.plan,
        invoice=invoice.number,
    )
    record(
        EventName.SUBSCRIPTION_STARTED,
        workspace=session.workspace,
        actor=session.created_by,
        subject=subscription,
        properties={
            "plan": session.plan.key,
            "plan_name": plan_name(session.plan),
            "interval": session.plan.interval,
            "coupon": session.coupon.code if session.coupon else None,
            "period_end": subscription.current_period_end.isoformat(),
            **invoice_money(invoice),
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
