"""Thin tasks: take ids, load, call a service. Each can run twice without doing its work twice."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from accounts.emails import queue_unsent, send_once

from . import emails, services
from .models import DunningNotice, Provider, Subscription, SubscriptionStatus
from .selectors import billing_notices_still_relevant, dunning_notices_still_relevant


def _queue_each(task, **due) -> int:
    """Queue `task` once per subscription matching `due`; the task re-checks under a lock."""
    pks = list(Subscription.objects.filter(**due).values_list("pk", flat=True))
    for pk in pks:
        task.delay(pk)
    return len(pks)


def _run_for(service, subscription_id: int) -> None:
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is not None:
        service(subscription=subscription)


@shared_task(name="billing.renew_due_subscriptions", ignore_result=True)
def renew_due_subscriptions() -> int:
    """Sandbox renewals (Stripe renews on its side and tells us through webhooks)."""
    return _queue_each(
        renew_subscription,
        # Provider NONE: a free month (a referral reward) our own ledger ends.
        provider__in=[Provider.SANDBOX, Provider.NONE],
        status=SubscriptionStatus.ACTIVE,
        current_period_end__lte=timezone.now(),
    )


@shared_task(name="billing.renew_subscription", ignore_result=True)
def renew_subscription(subscription_id: int) -> None:
    _run_for(services.subscription_renew, subscription_id)


@shared_task(name="billing.retry_past_due_payments", ignore_result=True)
def retry_past_due_payments() -> int:
    return _queue_each(
        retry_payment, status=SubscriptionStatus.PAST_DUE, next_retry_at__lte=timezone.now()
    )


@shared_task(name="billing.retry_payment", ignore_result=True)
def retry_payment(subscription_id: int) -> None:
    _run_for(services.dunning_retry, subscription_id)


@shared_task(name="billing.send_dunning_notice", ignore_result=True)
def send_dunning_notice(notice_id: int) -> None:
    notices = DunningNotice.objects.select_related("subscription__workspace", "invoice")
    send_once(notices, notice_id, lambda notice: emails.send_dunning_notice(notice=notice))


@shared_task(name="billing.send_unsent_dunning_notices", ignore_result=True)
def send_unsent_dunning_notices() -> int:
    """Dunning e-mails whose first message was lost (a broker or worker outage) are sent, as
    long as they still describe the subscription (see `dunning_notices_still_relevant`)."""
    relevant = dunning_notices_still_relevant(now=timezone.now())
    return queue_unsent(relevant, send_dunning_notice, older_than=timedelta(minutes=5))


@shared_task(name="billing.send_billing_notice", ignore_result=True)
def send_billing_notice(notice_id: int) -> None:
    """A receipt or a cancellation e-mail, once; one that no longer holds is not sent."""
    notices = billing_notices_still_relevant(now=timezone.now()).select_related(
        "subscription__workspace", "invoice__plan", "invoice__coupon", "change__from_plan"
    )
    send_once(notices, notice_id, lambda notice: emails.send_billing_notice(notice=notice))


@shared_task(name="billing.send_unsent_billing_notices", ignore_result=True)
def send_unsent_billing_notices() -> int:
    """Receipts and cancellation e-mails whose first message was lost, while still relevant."""
    relevant = billing_notices_still_relevant(now=timezone.now())
    return queue_unsent(relevant, send_billing_notice, older_than=timedelta(minutes=5))


@shared_task(name="billing.process_stripe_event", ignore_result=True)
def process_stripe_event(stripe_event_id: int) -> None:
    from .webhooks import stripe_event_process

    stripe_event_process(stripe_event_id=stripe_event_id)
