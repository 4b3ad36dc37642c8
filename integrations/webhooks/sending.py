"""Sending deliveries: claim a batch, POST them concurrently, record each outcome, retry.

A delivery is claimed through the lease helper (a fresh token per claim), so a worker that
dies mid-batch leaves rows that `requeue_stale` hands out again after `WEBHOOKS_STALE_SECONDS`,
under the same message id (receivers may see an id twice, never two ids for one event), and a
late writer whose row was taken from it writes nothing.

Retries: the seed's three quick ones (2, 4 and 8 seconds), then Standard Webhooks' schedule
(5 min, 30 min, 2 h, 5 h, 10 h, 24 h): ten attempts over about 41 hours. `410 Gone` disables
the endpoint at once; an endpoint whose every attempt has failed for five days is disabled and
its admins are told.
"""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from analytics.events import EventName, record
from videocreator.leases import Lease, per_row

from . import signing, transport
from .models import (
    RESPONSE_EXCERPT_CHARS,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    DisabledReason,
    Endpoint,
    EndpointStatus,
)

RETRY_DELAYS = tuple(
    dt.timedelta(seconds=seconds)
    for seconds in (2, 4, 8, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 24 * 3600)
)
MAX_ATTEMPTS = 1 + len(RETRY_DELAYS)
FAILING_DISABLES_AFTER = dt.timedelta(days=5)
ENDPOINT_DISABLED_ERROR = "endpoint_disabled"

DELIVERY_LEASE: Lease[Delivery] = Lease(
    model=Delivery,
    waiting={"status": DeliveryStatus.PENDING},
    running={"status": DeliveryStatus.SENDING},
    max_attempts=MAX_ATTEMPTS,
)

_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    """One pool per process, made on first use (after a Celery worker forks its children)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=max(1, settings.WEBHOOKS_SEND_CONCURRENCY),
                thread_name_prefix="webhooks",
            )
        return _pool


@dataclass
class Sent:
    succeeded: int = 0
    failed: int = 0  # attempts that failed (the delivery may be retried)
    claimed: int = 0
    # The soonest quick retry among this batch's failures: when to look again.
    retry_in: dt.timedelta | None = None
    disabled: list[int] = field(default_factory=list)  # endpoints disabled for failing


def due_filter(now: dt.datetime) -> Q:
    # A subquery, not a join: FOR UPDATE then locks the deliveries alone, not their endpoints.
    active = Endpoint.objects.filter(status=EndpointStatus.ACTIVE).values("pk")
    return Q(next_attempt_at__lte=now, endpoint_id__in=active)


def send_due(
    *, limit: int | None = None, now: dt.datetime | None = None, ids: list | None = None
) -> Sent:
    """Claim up to `limit` due deliveries (of `ids` only, when given) and send them."""
    now = now or timezone.now()
    due = due_filter(now)
    if ids is not None:
        due &= Q(pk__in=ids)
    rows = DELIVERY_LEASE.claim_batch(
        due=due,
        # The due index's own order: the scan stops at `limit`. A tie-break (created_at,
        # sequence) made PostgreSQL sort every due row first (10 ms, on disk, with 10,000
        # due); rows due at the same moment are sent at once anyway, and a receiver restores
        # order from `sequence` and `previous_id`.
        order_by=["next_attempt_at"],
        limit=limit or settings.WEBHOOKS_SEND_BATCH,
        now=now,
    )
    if not rows:
        return Sent()
    endpoints = {e.pk: e for e in Endpoint.objects.filter(pk__in={r.endpoint_id for r in rows})}
    outcomes = list(_executor().map(lambda row: _attempt(row, endpoints[row.endpoint_id]), rows))
    return record_outcomes(rows, outcomes, endpoints, now)


def _attempt(delivery: Delivery, endpoint: Endpoint) -> tuple[dt.datetime, transport.Outcome]:
    started = timezone.now()
    headers = signing.request_headers(
        endpoint=endpoint,
        message_id=delivery.message_id,
        event_type=delivery.event_type,
        body=delivery.body,
        now=started,
    )
    return started, transport.post(endpoint.url, body=delivery.body.encode(), headers=headers)


def _next_step(delivery: Delivery, outcome: transport.Outcome, now: dt.datetime) -> dict:
    """What a finished attempt writes on its delivery."""
    values = {
        "last_attempt_at": now,
        "last_status_code": outcome.status,
        "last_duration_ms": outcome.duration_ms,
        "last_response": outcome.response[:RESPONSE_EXCERPT_CHARS],
        "last_error": outcome.error[:300],
    }
    if outcome.succeeded:
        return {**values, "status": DeliveryStatus.SUCCEEDED, "delivered_at": now,
                "next_attempt_at": None}  # fmt: skip
    if outcome.status != 410 and delivery.attempts <= len(RETRY_DELAYS):
        delay = RETRY_DELAYS[max(delivery.attempts, 1) - 1]
        return {**values, "status": DeliveryStatus.PENDING, "next_attempt_at": now + delay}
    return {**values, "status": DeliveryStatus.FAILED, "next_attempt_at": None}


def record_outcomes(
    rows: list[Delivery],
    outcomes: list[tuple[dt.datetime, transport.Outcome]],
    endpoints: dict[int, Endpoint],
    now: dt.datetime,
) -> Sent:
    sent = Sent(claimed=len(rows))
    attempts = []
    gone: set[int] = set()
    succeeded_at: dict[int, dt.datetime] = {}
    failed_at: dict[int, dt.datetime] = {}
    with transaction.atomic():
        steps = [
            _next_step(delivery, outcome, now)
            for delivery, (_, outcome) in zip(rows, outcomes, strict=True)
        ]
        written = _finish_batch(rows, steps)
        for delivery, (started, outcome), step in zip(rows, outcomes, steps, strict=True):
            if delivery.pk not in written:
                continue  # requeued while we sent: the new holder records its own attempt
            attempts.append(
                DeliveryAttempt(
                    delivery_id=delivery.pk,
                    number=delivery.attempts,
                    attempted_at=started,
                    status_code=outcome.status,
                    duration_ms=outcome.duration_ms,
                    response=outcome.response[:RESPONSE_EXCERPT_CHARS],
                    error=outcome.error[:300],
                    succeeded=outcome.succeeded,
                )
            )
            if outcome.succeeded:
                sent.succeeded += 1
                succeeded_at[delivery.endpoint_id] = started
                continue
            sent.failed += 1
            failed_at.setdefault(delivery.endpoint_id, started)
            if outcome.status == 410:
                gone.add(delivery.endpoint_id)
            elif step["status"] == DeliveryStatus.PENDING:
                delay = step["next_attempt_at"] - now
                sent.retry_in = delay if sent.retry_in is None else min(sent.retry_in, delay)
        DeliveryAttempt.objects.bulk_create(attempts, batch_size=500)
        if succeeded_at:
            Endpoint.objects.filter(pk__in=succeeded_at, failing_since__isnull=False).update(
                failing_since=None
            )
        for endpoint_id, first_failure in failed_at.items():
            if endpoint_id not in succeeded_at:
                Endpoint.objects.filter(pk=endpoint_id, failing_since__isnull=True).update(
                    failing_since=first_failure
                )
        for endpoint_id in gone:
            endpoint_disable(endpoint=endpoints[endpoint_id], reason=DisabledReason.GONE, now=now)
        sent.disabled = disable_failing(now=now, endpoint_ids=set(failed_at) - set(succeeded_at))
    return sent


def _finish_batch(rows: list[Delivery], steps: list[dict]) -> set:
    """What `DELIVERY_LEASE.finish` does row by row, for a batch in a few statements: each
    row's outcome is written, and its token released, only while the row is still ours
    (sending, under the token our claim gave it). Returns the pks written.

    The rows still ours are locked first (SELECT … FOR UPDATE), so a requeue, which skips
    locked rows, cannot take one between that read and the write (SQLite: the transaction
    holds the write lock from its start). Rows with the same outcome but their duration are
    written by one UPDATE, the durations in a CASE: one or two statements a batch, not one
    per row. Call it inside a transaction."""
    lease = DELIVERY_LEASE
    tokens = [getattr(row, lease.token_field) for row in rows]
    queryset = lease.model._default_manager.all()
    ours = set(
        queryset.select_for_update()
        .filter(**lease.running, **{f"{lease.token_field}__in": tokens})
        .values_list("pk", flat=True)
    )
    groups: dict[tuple, list[tuple[Delivery, int | None]]] = {}
    for row, step in zip(rows, steps, strict=True):
        if row.pk in ours:
            values = {**step}
            duration = values.pop("last_duration_ms")
            groups.setdefault(tuple(sorted(values.items())), []).append((row, duration))
    for values, members in groups.items():
        durations = {row.pk: ms for row, ms in members}
        duration = (
            members[0][1]
            if len(set(durations.values())) == 1
            else per_row(Delivery, "last_duration_ms", durations, queryset.db)
        )
        queryset.filter(
            pk__in=[row.pk for row, _ in members],
            **lease.running,
            **{f"{lease.token_field}__in": [getattr(row, lease.token_field) for row, _ in members]},
        ).update(**{lease.token_field: None}, **dict(values), last_duration_ms=duration)
    return ours


def disable_failing(*, now: dt.datetime, endpoint_ids: set[int] | None = None) -> list[int]:
    """Disable endpoints that have failed every attempt for five days; returns their ids (the
    caller queues the e-mail to their admins once the transaction commits)."""
    failing = Endpoint.objects.filter(
        status__in=[EndpointStatus.ACTIVE, EndpointStatus.PAUSED],
        failing_since__lte=now - FAILING_DISABLES_AFTER,
    )
    if endpoint_ids is not None:
        failing = failing.filter(pk__in=endpoint_ids)
    disabled = []
    for endpoint in failing:
        endpoint_disable(endpoint=endpoint, reason=DisabledReason.FAILING, now=now)
        disabled.append(endpoint.pk)
    return disabled


def endpoint_disable(*, endpoint: Endpoint, reason: str, now: dt.datetime) -> None:
    """No more deliveries: its waiting ones fail (an admin can recover them once it is back)."""
    Endpoint.objects.filter(pk=endpoint.pk).update(
        status=EndpointStatus.DISABLED, disabled_reason=reason, disabled_at=now, emailed_at=None
    )
    endpoint.status, endpoint.disabled_reason, endpoint.disabled_at = (
        EndpointStatus.DISABLED,
        reason,
        now,
    )
    Delivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=ENDPOINT_DISABLED_ERROR
    )
    record(
        EventName.WEBHOOK_ENDPOINT_DISABLED,
        workspace=endpoint.workspace,
        subject=endpoint,
        properties={"reason": reason},
    )


def requeue_stale(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Deliveries whose worker died mid-send wait again (same id); (requeued, failed)."""
    now = now or timezone.now()
    requeued, failed = DELIVERY_LEASE.requeue_stale(
        older_than=dt.timedelta(seconds=settings.WEBHOOKS_STALE_SECONDS),
        requeue={"next_attempt_at": now},
        fail={
            "status": DeliveryStatus.FAILED,
            "next_attempt_at": None,
            "last_error": "worker_lost",
        },
        now=now,
    )
    return len(requeued), len(failed)
