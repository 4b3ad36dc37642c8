"""E-mails to the owners about their money and their plan: a receipt for every paid invoice, a
confirmation when a cancellation is scheduled, and word when a cancelled plan has ended.

Each is a `BillingNotice` row, unique per invoice or per history row, written in the same
transaction as the change it tells of; its e-mail is queued when that commits and sent once
(`billing.tasks.send_billing_notice`). However often Stripe repeats a webhook or a worker
retries, the second attempt finds the row and queues nothing.
"""

from __future__ import annotations

from django.db import transaction

from .models import BillingNotice, Invoice, Subscription, SubscriptionChange


def _queue(notice: BillingNotice) -> None:
    from .tasks import send_billing_notice

    transaction.on_commit(lambda: send_billing_notice.delay(notice.pk))


def receipt_queue(*, invoice: Invoice) -> BillingNotice | None:
    """The receipt of a paid invoice; None if it was already written."""
    notice, created = BillingNotice.objects.get_or_create(
        invoice=invoice,
        kind=BillingNotice.Kind.RECEIPT,
        defaults={"subscription_id": invoice.subscription_id},
    )
    if not created:
        return None
    _queue(notice)
    return notice


def change_notice_queue(
    *, subscription: Subscription, change: SubscriptionChange, kind: str
) -> BillingNotice | None:
    """The e-mail about one history row (a cancellation scheduled, a plan ended); None if it
    was already written."""
    notice, created = BillingNotice.objects.get_or_create(
        change=change, kind=kind, defaults={"subscription": subscription}
    )
    if not created:
        return None
    _queue(notice)
    return notice
