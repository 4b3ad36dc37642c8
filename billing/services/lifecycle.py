"""Renewal, dunning (retries on days 1, 3 and 5), moving to Free, cancel and resume."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from analytics.events import EventName
from billing import ledger, notices
from billing.models import (
    BillingNotice,
    ChangeKind,
    DunningNotice,
    Invoice,
    InvoiceReason,
    InvoiceStatus,
    Provider,
    Subscription,
    SubscriptionStatus,
)
from billing.providers import ChargeResult, get_provider
from teams.permissions import ensure_can

from .common import (
    FREE_PLAN_KEY,
    RETRY_DAYS,
    Source,
    charge_result_apply,
    dunning_clear,
    free_plan,
    invoice_money,
    plan_name,
    subscription_change_log,
    subscription_event_record,
    subscription_lock,
    subscription_period_start,
)


def _start_period_from_current(subscription: Subscription) -> None:
    # Paid elsewhere (e.g. at Stripe) while we were waiting: nothing is owed any more.
    subscription.status = SubscriptionStatus.ACTIVE
    dunning_clear(subscription=subscription)
    subscription.save()


def _notify_once(subscription: Subscription, invoice: Invoice, kind: str) -> None:
    notice, created = DunningNotice.objects.get_or_create(
        invoice=invoice, kind=kind, defaults={"subscription": subscription}
    )
    if created:
        from billing.tasks import send_dunning_notice

        transaction.on_commit(lambda: send_dunning_notice.delay(notice.pk))


@transaction.atomic
def subscription_renew(*, subscription: Subscription, now: datetime.datetime | None = None) -> None:
    """At the end of a paid period: end it if cancelled, else invoice and charge the next."""
    now = now or timezone.now()
    subscription = subscription_lock(subscription=subscription)
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
    if charge_result_apply(subscription=subscription, invoice=invoice, result=result, now=now):
        subscription_period_start(subscription=subscription, invoice=invoice)
        subscription_change_log(
            subscription=subscription,
            kind=ChangeKind.RENEWED,
            to_plan=subscription.plan,
            invoice=invoice.number,
        )
    else:
        invoice_payment_failed(subscription=subscription, invoice=invoice, now=now)


@transaction.atomic
def invoice_payment_failed(
    *, subscription: Subscription, invoice: Invoice, now: datetime.datetime | None = None
) -> None:
    """A renewal could not be collected: past due, the owner is told, retries are planned."""
    now = now or timezone.now()
    subscription = subscription_lock(subscription=subscription)
    if subscription.status == SubscriptionStatus.CANCELED:
        return
    if subscription.status != SubscriptionStatus.PAST_DUE:
        subscription.status = SubscriptionStatus.PAST_DUE
        subscription.payment_failed_at = now
        subscription.retry_count = 0
        subscription.next_retry_at = now + datetime.timedelta(days=RETRY_DAYS[0])
        subscription.save()
        subscription_change_log(
            subscription=subscription, kind=ChangeKind.PAST_DUE, invoice=invoice.number
        )
        subscription_event_record(
            subscription=subscription,
            name=EventName.SUBSCRIPTION_PAST_DUE,
            plan=subscription.plan.key,
            **invoice_money(invoice),
        )
    _notify_once(subscription, invoice, DunningNotice.Kind.PAYMENT_FAILED)


@transaction.atomic
def dunning_retry(*, subscription: Subscription, now: datetime.datetime | None = None) -> None:
    """Retry a past-due invoice on days 1, 3 and 5; after the last failure move to Free."""
    now = now or timezone.now()
    subscription = subscription_lock(subscription=subscription)
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
    if charge_result_apply(subscription=subscription, invoice=invoice, result=result, now=now):
        subscription_period_start(subscription=subscription, invoice=invoice)
        subscription_change_log(
            subscription=subscription, kind=ChangeKind.RECOVERED, invoice=invoice.number
        )
        subscription_event_record(
            subscription=subscription,
            name=EventName.SUBSCRIPTION_RECOVERED,
            plan=subscription.plan.key,
            **invoice_money(invoice),
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


@transaction.atomic
def subscription_end(
    *, subscription: Subscription, reason: str, now: datetime.datetime | None = None, actor=None
) -> None:
    """Move the workspace to Free. Nothing is deleted; what is over Free's limits is read-only."""
    now = now or timezone.now()
    subscription = subscription_lock(subscription=subscription)
    if not subscription.is_paid:
        return
    previous = subscription.plan
    # Whether the owner had already cancelled (and `subscription.cancel_scheduled` said so):
    # webhooks tell of an immediate cancellation only when nothing announced it before.
    was_scheduled = subscription.cancel_at_period_end
    if subscription.provider_subscription_id and reason != "canceled_remotely":
        get_provider(subscription.provider).cancel_now(subscription)
    subscription.plan = free_plan()
    subscription.status = SubscriptionStatus.CANCELED
    subscription.canceled_at = now
    subscription.cancel_at_period_end = False
    subscription.current_period_start = None
    subscription.current_period_end = None
    subscription.provider_subscription_id = ""
    dunning_clear(subscription=subscription)
    subscription.save()
    change = subscription_change_log(
        subscription=subscription,
        kind=ChangeKind.ENDED,
        actor=actor,
        from_plan=previous,
        to_plan=subscription.plan,
        reason=reason,
    )
    if reason != "payment_failed":  # that one has its dunning notice ("moved to Free")
        notices.change_notice_queue(
            subscription=subscription, change=change, kind=BillingNotice.Kind.ENDED
        )
    subscription_event_record(
        subscription=subscription,
        name=EventName.SUBSCRIPTION_ENDED,
        actor=actor,
        reason=reason,
        from_plan=previous.key,
        from_plan_name=plan_name(previous),
        to_plan=FREE_PLAN_KEY,
        cancel_scheduled=was_scheduled,
    )


@transaction.atomic
def subscription_set_cancel_at_period_end(
    *,
    subscription: Subscription,
    cancel: bool,
    actor: User | None = None,
    source: Source = "app",
) -> Subscription:
    """Schedule the move to Free at the period's end (`cancel`), or undo that. Once.

    No permission check: people come through `subscription_cancel` and `subscription_resume`.
    """
    subscription = subscription_lock(subscription=subscription)
    if not subscription.is_paid or subscription.cancel_at_period_end == cancel:
        return subscription
    from_stripe = source == "stripe"
    # A change that came from Stripe is made there already; telling Stripe would echo it.
    if not from_stripe:
        get_provider(subscription.provider).set_cancel_at_period_end(subscription, cancel)
    subscription.cancel_at_period_end = cancel
    subscription.save(update_fields=["cancel_at_period_end", "updated_at"])
    plan = subscription.plan
    origin = {"source": source} if from_stripe else {}
    properties = {
        "plan": plan.key,
        "amount": plan.price_in(subscription.currency),
        "currency": subscription.currency,
        **origin,
    }
    if not cancel:
        subscription_change_log(
            subscription=subscription, kind=ChangeKind.RESUMED, actor=actor, to_plan=plan, **origin
        )
        subscription_event_record(
            subscription=subscription,
            name=EventName.SUBSCRIPTION_RESUMED,
            actor=actor,
            **properties,
        )
        return subscription
    ends_at = subscription.current_period_end
    change = subscription_change_log(
        subscription=subscription,
        kind=ChangeKind.CANCEL_SCHEDULED,
        actor=actor,
        from_plan=plan,
        **origin,
    )
    notices.change_notice_queue(
        subscription=subscription, change=change, kind=BillingNotice.Kind.CANCEL_SCHEDULED
    )
    subscription_event_record(
        subscription=subscription,
        name=EventName.SUBSCRIPTION_CANCEL_SCHEDULED,
        actor=actor,
        ends_at=ends_at.isoformat() if ends_at else None,
        plan_name=plan_name(plan),
        **properties,
    )
    return subscription


@transaction.atomic
def subscription_cancel(*, subscription: Subscription, actor) -> Subscription:
    """Cancel at the end of the paid period; the owner keeps Pro until then."""
    ensure_can(actor, subscription.workspace, "billing")
    subscription = subscription_lock(subscription=subscription)
    if not subscription.is_paid:
        raise ValidationError(_("This workspace has no paid plan to cancel."))
    return subscription_set_cancel_at_period_end(
        subscription=subscription, cancel=True, actor=actor
    )


@transaction.atomic
def subscription_resume(*, subscription: Subscription, actor) -> Subscription:
    """Undo a cancellation before the period ends."""
    ensure_can(actor, subscription.workspace, "billing")
    subscription = subscription_lock(subscription=subscription)
    if not subscription.is_paid or not subscription.cancel_at_period_end:
        raise ValidationError(_("There is no cancellation to undo."))
    if subscription.provider == Provider.NONE:
        # A free month (a referral reward) has no card to charge: it ends unless they subscribe.
        raise ValidationError(
            _("This free month ends on its own. Subscribe on the pricing page to keep Pro.")
        )
    return subscription_set_cancel_at_period_end(
        subscription=subscription, cancel=False, actor=actor
    )
