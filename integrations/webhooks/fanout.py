"""From the event log to deliveries: one row per (event, endpoint), made exactly once.

The log is the outbox. A fan-out run locks `FanOutLock`, reads the events written since a
little before the last one it handled (`OVERLAP`: a transaction that recorded an event may
commit after a later one), skips those it already handled (`FannedOutEvent`), and in the same
transaction makes the deliveries, gives each its endpoint's next sequence number and marks the
events handled. A worker that dies before the commit leaves nothing behind, and the next run
reads the same events again; a run after the commit finds them handled. The unique
(endpoint, event) constraint is the last word if anything else ever goes wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from analytics.events import Event, read

from . import catalogue
from .models import (
    Delivery,
    DeliveryStatus,
    Endpoint,
    EndpointStatus,
    FannedOutEvent,
    FanOutLock,
    message_id,
)

OVERLAP = dt.timedelta(minutes=10)
BATCH = 1000
# Handled-event rows this far behind the newest are outside every future window: they go.
KEEP_HANDLED = dt.timedelta(days=1)


@dataclass
class FanOut:
    events: int = 0
    deliveries: list[uuid.UUID] = field(default_factory=list)
    # Deliveries made for active endpoints: what the caller queues for sending.
    active: list[uuid.UUID] = field(default_factory=list)


def body_of(payload: dict) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, sort_keys=False)


def _window_start() -> dt.datetime | None:
    """Where to read from: a little before the newest event handled, but never before the
    oldest live endpoint existed (nothing older is for anyone); None when no endpoint lives."""
    oldest_endpoint = (
        Endpoint.objects.exclude(status=EndpointStatus.DISABLED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if oldest_endpoint is None:
        return None
    handled = FannedOutEvent.objects.aggregate(last=Max("recorded_at"))["last"]
    start = oldest_endpoint if handled is None else max(handled, oldest_endpoint)
    return start - OVERLAP


def _previous_ids(pairs: set[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """The newest delivery's message id per (endpoint, subject), before this run."""
    if not pairs:
        return {}
    endpoint_ids = {endpoint_id for endpoint_id, _ in pairs}
    subjects = {subject for _, subject in pairs}
    newest = (
        Delivery.objects.filter(endpoint_id__in=endpoint_ids, subject_key__in=subjects)
        .values("endpoint_id", "subject_key")
        .annotate(sequence=Max("sequence"))
    )
    wanted = {(row["endpoint_id"], row["sequence"]): row["subject_key"] for row in newest}
    if not wanted:
        return {}
    rows = Delivery.objects.filter(
        endpoint_id__in={endpoint_id for endpoint_id, _ in wanted},
        sequence__in={sequence for _, sequence in wanted},
    ).values_list("endpoint_id", "sequence", "pk")
    previous = {}
    for endpoint_id, sequence, pk in rows:
        subject = wanted.get((endpoint_id, sequence))
        if subject is not None and (endpoint_id, subject) in pairs:
            previous[(endpoint_id, subject)] = message_id(pk)
    return previous


def fan_out(*, limit: int = BATCH, now: dt.datetime | None = None) -> FanOut:
    """Handle up to `limit` events not handled yet; returns what was made."""
    now = now or timezone.now()
    result = FanOut()
    with transaction.atomic():
        FanOutLock.objects.get_or_create(pk=1)
        FanOutLock.objects.select_for_update().filter(pk=1).update(ran_at=now)
        start = _window_start()
        if start is None:
            return result
        handled = FannedOutEvent.objects.filter(recorded_at__gte=start).values("event_id")
        events = list(
            read(names=catalogue.LOG_NAMES, recorded_since=start).exclude(pk__in=handled)[:limit]
        )
        if not events:
            return result
        workspace_ids = {event.workspace_id for event in events if event.workspace_id}
        endpoints: dict[int, list[Endpoint]] = {}
        for endpoint in (
            Endpoint.objects.select_for_update()
            .filter(workspace_id__in=workspace_ids)
            .exclude(status=EndpointStatus.DISABLED)
            .order_by("pk")
        ):
            endpoints.setdefault(endpoint.workspace_id, []).append(endpoint)
        planned = [
            (event, event_type, endpoint, catalogue.subject_key(event))
            for event in events
            for event_type in catalogue.event_types_for(event)
            for endpoint in endpoints.get(event.workspace_id, ())
            if endpoint.created_at <= event.recorded_at and endpoint.subscribes_to(event_type.key)
        ]
        previous = _previous_ids({(endpoint.pk, key) for _, _, endpoint, key in planned})
        deliveries = [_delivery(plan, previous, now) for plan in planned]
        Delivery.objects.bulk_create(deliveries, batch_size=500)
        touched = {endpoint.pk: endpoint for _, _, endpoint, _ in planned}
        Endpoint.objects.bulk_update(touched.values(), ["last_sequence"], batch_size=500)
        FannedOutEvent.objects.bulk_create(
            [FannedOutEvent(event_id=e.pk, recorded_at=e.recorded_at) for e in events],
            batch_size=1000,
            ignore_conflicts=True,
        )
    result.events = len(events)
    result.deliveries = [delivery.pk for delivery in deliveries]
    result.active = [
        delivery.pk
        for delivery, (_, _, endpoint, _) in zip(deliveries, planned, strict=True)
        if endpoint.status == EndpointStatus.ACTIVE
    ]
    return result


def prune_handled() -> int:
    """Forget handled events no window will read again (the window starts `OVERLAP` before the
    newest handled one); returns how many rows went."""
    newest = FannedOutEvent.objects.aggregate(last=Max("recorded_at"))["last"]
    if newest is None:
        return 0
    return FannedOutEvent.objects.filter(recorded_at__lt=newest - KEEP_HANDLED).delete()[0]


def _delivery(
    plan: tuple[Event, catalogue.EventType, Endpoint, str],
    previous: dict[tuple[int, str], str],
    now: dt.datetime,
) -> Delivery:
    event, event_type, endpoint, subject = plan
    endpoint.last_sequence += 1
    delivery_id = uuid.uuid4()
    msg_id = message_id(delivery_id)
    payload = catalogue.envelope(
        message_id=msg_id,
        event_type=event_type.key,
        timestamp=event.occurred_at,
        workspace_id=endpoint.workspace_id,
        sequence=endpoint.last_sequence,
        previous_id=previous.get((endpoint.pk, subject)),
        data=catalogue.event_data(event_type, event),
    )
    previous[(endpoint.pk, subject)] = msg_id
    return Delivery(
        id=delivery_id,
        endpoint=endpoint,
        event_id=event.pk,
        event_type=event_type.key,
        subject_key=subject,
        sequence=endpoint.last_sequence,
        body=body_of(payload),
        status=DeliveryStatus.PENDING,
        next_attempt_at=now,
        created_at=now,
    )
