"""Reads for the webhook pages, the API and the tasks, each in a bounded number of queries.

Statistics of an endpoint (README "Webhooks"): *succeeded* and *failed* count deliveries whose
outcome is final (a failed one used every retry, or its endpoint was disabled); *pending*
counts those still waiting or being sent; the *success rate* is succeeded ÷ (succeeded +
failed), none while nothing is final; *last delivery* is the newest attempt's time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from analytics.events import read
from teams.models import Team

from . import catalogue
from .models import DeliveryStatus, DisabledReason, Endpoint, EndpointStatus

SAMPLES = 3


@dataclass(frozen=True)
class EndpointStats:
    succeeded: int
    failed: int
    pending: int
    last_delivery_at: object  # datetime | None

    @property
    def success_rate(self) -> float | None:
        final = self.succeeded + self.failed
        return None if final == 0 else self.succeeded / final


def _with_stats(endpoints: QuerySet[Endpoint]) -> QuerySet[Endpoint]:
    return endpoints.annotate(
        succeeded_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SUCCEEDED)),
        failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        pending_count=Count(
            "deliveries",
            filter=Q(deliveries__status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
        ),
        last_delivery_at=Max("deliveries__last_attempt_at"),
    )


def stats_of(endpoint: Endpoint) -> EndpointStats:
    """From the annotations of `endpoints_for`, else one query."""
    if not hasattr(endpoint, "succeeded_count"):
        endpoint = _with_stats(Endpoint.objects.filter(pk=endpoint.pk)).get()
    return EndpointStats(
        succeeded=endpoint.succeeded_count,
        failed=endpoint.failed_count,
        pending=endpoint.pending_count,
        last_delivery_at=endpoint.last_delivery_at,
    )


def endpoints_for(*, workspace: Team, kind: str | None = None) -> QuerySet[Endpoint]:
    """A workspace's endpoints with their statistics, newest first (one query)."""
    endpoints = Endpoint.objects.filter(workspace=workspace)
    if kind:
        endpoints = endpoints.filter(kind=kind)
    return _with_stats(endpoints).order_by("-created_at", "-pk")


def deliveries_for(*, endpoint: Endpoint, status: str | None = None):
    deliveries = endpoint.deliveries.all()
    if status in DeliveryStatus.values:
        deliveries = deliveries.filter(status=status)
    return deliveries.order_by("-created_at", "-sequence").defer("body")


def endpoints_to_email() -> QuerySet[Endpoint]:
    """Endpoints disabled for failing whose admins have not been told yet."""
    return Endpoint.objects.filter(
        status=EndpointStatus.DISABLED, disabled_reason=DisabledReason.FAILING
    ).select_related("workspace")


def recent_payloads(*, workspace: Team, event_type: str, limit: int = SAMPLES) -> list[dict]:
    """The newest real payloads of `event_type` in the workspace (what a Zapier trigger's
    "perform list" shows), else the type's sample. Built from the log, so a workspace without
    any endpoint yet still sees its own data."""
    kind = catalogue.EVENT_TYPES[event_type]
    events = read(names=kind.log_names, workspace_id=workspace.pk).reverse()
    payloads = []
    for event in events[: limit * 4]:  # a few log events may not produce this type
        if kind not in catalogue.event_types_for(event):
            continue
        payloads.append(
            catalogue.envelope(
                message_id=f"evt_{event.pk.hex}",
                event_type=kind.key,
                timestamp=event.occurred_at,
                workspace_id=workspace.pk,
                sequence=0,
                previous_id=None,
                data=catalogue.event_data(kind, event),
            )
        )
        if len(payloads) == limit:
            break
    return payloads or [catalogue.sample_payload(kind)]


def delivery_payload(body: str) -> dict:
    try:
        value = json.loads(body)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
