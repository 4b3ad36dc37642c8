"""Thin tasks over fan-out and sending; each is safe to run twice or at once on many workers."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from accounts.emails import queue_unsent, send_once

from . import fanout, sending
from .emails import send_endpoint_disabled
from .selectors import endpoints_to_email

# Send tasks one fan-out queues at most; the beat's `send_due` picks up the rest.
SEND_TASKS_PER_FAN_OUT = 32


@shared_task(name="webhooks.fan_out", ignore_result=True, acks_late=True)
def fan_out() -> int:
    """Turn new events into deliveries, then queue their sending."""
    made = 0
    while True:
        result = fanout.fan_out()
        made += len(result.deliveries)
        if result.active:
            batch = settings.WEBHOOKS_SEND_BATCH
            batches = min(SEND_TASKS_PER_FAN_OUT, -(-len(result.active) // batch))
            for _ in range(batches):
                send_due.delay()
        if result.events < fanout.BATCH:
            fanout.prune_handled()
            return made


@shared_task(name="webhooks.send_due", ignore_result=True, acks_late=True)
def send_due(ids: list[str] | None = None) -> int:
    """Send one batch of due deliveries (of `ids`, when given); a full batch queues the next,
    and a quick retry (2, 4, 8 s) queues a look at the moment it is due."""
    sent = sending.send_due(ids=ids)
    for endpoint_id in sent.disabled:  # committed by now: the e-mail task will find the row
        email_endpoint_disabled.delay(endpoint_id)
    if ids is None and sent.claimed >= settings.WEBHOOKS_SEND_BATCH:
        send_due.delay()
    if sent.retry_in is not None and sent.retry_in.total_seconds() < 60:
        send_due.apply_async(countdown=max(1, round(sent.retry_in.total_seconds())))
    return sent.succeeded


@shared_task(name="webhooks.requeue_stale_deliveries", ignore_result=True)
def requeue_stale_deliveries() -> int:
    requeued, _failed = sending.requeue_stale()
    if requeued:
        send_due.delay()
    return requeued


@shared_task(name="webhooks.email_endpoint_disabled", ignore_result=True, acks_late=True)
def email_endpoint_disabled(endpoint_id: int) -> bool:
    return send_once(
        endpoints_to_email(),
        endpoint_id,
        lambda endpoint: send_endpoint_disabled(endpoint=endpoint),
    )


@shared_task(name="webhooks.send_unsent_disabled_emails", ignore_result=True)
def send_unsent_disabled_emails() -> int:
    from datetime import timedelta

    return queue_unsent(
        endpoints_to_email(),
        email_endpoint_disabled,
        older_than=timedelta(minutes=10),
        since="disabled_at",
    )
