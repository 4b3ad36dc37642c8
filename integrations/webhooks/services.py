"""Every write about webhook endpoints and their deliveries; owners and admins only."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import EventName, record
from teams.models import Team
from teams.permissions import ensure_can

from . import catalogue, signing, transport
from .fanout import body_of
from .models import (
    Delivery,
    DeliveryStatus,
    DisabledReason,
    Endpoint,
    EndpointKind,
    EndpointStatus,
    message_id,
)
from .sending import endpoint_disable

DESCRIPTION_MAX = 300
ENDPOINTS_PER_WORKSPACE = 50
# How far back "recover" reaches: Svix's limit too; older failures stay failed.
RECOVER_WINDOW = dt.timedelta(days=14)


def queue_send(delivery_ids: list[uuid.UUID] | None = None) -> None:
    from . import tasks

    ids = [str(pk) for pk in delivery_ids] if delivery_ids is not None else None
    transaction.on_commit(lambda: tasks.send_due.delay(ids))


def clean_event_types(value: object) -> list[str]:
    """A list of known event types (empty: every type), or a translated ValidationError."""
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Event types must be a list of names."), code="invalid_event_type")
    unknown = [v for v in value if v not in catalogue.EVENT_TYPES]
    if unknown:
        raise ValidationError(
            _("Unknown event type: %(name)s.") % {"name": unknown[0][:60]},
            code="invalid_event_type",
        )
    return sorted(set(value), key=list(catalogue.EVENT_TYPES).index)


def clean_description(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(_("The description must be text."), code="invalid")
    value = value.strip()
    if len(value) > DESCRIPTION_MAX:
        raise ValidationError(
            _("The description may have at most %(max)d characters.") % {"max": DESCRIPTION_MAX},
            code="max_length",
        )
    return value


@transaction.atomic
def endpoint_create(
    *,
    workspace: Team,
    actor,
    url: str,
    description: str = "",
    event_types: Iterable[str] | None = None,
    headers: dict[str, str] | None = None,
    kind: str = EndpointKind.ENDPOINT,
) -> Endpoint:
    ensure_can(actor, workspace, "manage_webhooks")
    fields = {
        "url": transport.check_url(url),
        "description": clean_description(description),
        "event_types": clean_event_types(list(event_types) if event_types is not None else []),
        "headers_json": json.dumps(signing.clean_custom_headers(headers)) if headers else "",
    }
    locked = Team.objects.select_for_update().filter(pk=workspace.pk).first()
    if locked is None:
        raise ValidationError(_("This workspace no longer exists."), code="gone")
    if Endpoint.objects.filter(workspace=workspace).count() >= ENDPOINTS_PER_WORKSPACE:
        raise ValidationError(
            _("A workspace can have at most %(max)d webhook endpoints.")
            % {"max": ENDPOINTS_PER_WORKSPACE},
            code="limit",
        )
    endpoint = Endpoint.objects.create(
        workspace=workspace, kind=kind, secret=signing.new_secret(), created_by=actor, **fields
    )
    record(
        EventName.WEBHOOK_ENDPOINT_CREATED,
        workspace=workspace,
        actor=actor,
        subject=endpoint,
        properties={"kind": kind, "event_types": endpoint.event_types},
    )
    return endpoint


@transaction.atomic
def endpoint_update(
    *,
    endpoint: Endpoint,
    actor,
    url: str | None = None,
    description: str | None = None,
    event_types: Iterable[str] | None = None,
    headers: dict[str, str] | None = None,
) -> Endpoint:
    """Change what was given (None: leave it)."""
    ensure_can(actor, endpoint.workspace, "manage_webhooks")
    changed = []
    if url is not None:
        endpoint.url = transport.check_url(url)
        changed.append("url")
    if description is not None:
        endpoint.description = clean_description(description)
        changed.append("description")
    if event_types is not None:
        endpoint.event_types = clean_event_types(list(event_types))
        changed.append("event_types")
    if headers is not None:
        cleaned = signing.clean_custom_headers(headers)
        endpoint.headers_json = json.dumps(cleaned) if cleaned else ""
        changed.append("headers_json")
    if changed:
        endpoint.save(update_fields=[*changed, "updated_at"])
        record(
            EventName.WEBHOOK_ENDPOINT_UPDATED,
            workspace=endpoint.workspace,
            actor=actor,
            subject=endpoint,
            properties={"fields": [name.removesuffix("_json") for name in changed]},
        )
    return endpoint


@transaction.atomic
def endpoint_set_status(*, endpoint: Endpoint, actor, status: str) -> Endpoint:
    """Pause (deliveries wait), resume or enable (they go out), or disable."""
    ensure_can(actor, endpoint.workspace, "manage_webhooks")
    if status not in EndpointStatus.values:
        raise ValidationError(_("Unknown status."), code="invalid")
    now = timezone.now()
    if status == endpoint.status:
        return endpoint
    if status == EndpointStatus.DISABLED:
        endpoint_disable(endpoint=endpoint, reason=DisabledReason.BY_USER, now=now)
        Endpoint.objects.filter(pk=endpoint.pk).update(emailed_at=now)  # no e-mail for this
    else:
        endpoint.status = status
        endpoint.disabled_reason, endpoint.disabled_at, endpoint.failing_since = "", None, None
        endpoint.save(
            update_fields=[
                "status",
                "disabled_reason",
                "disabled_at",
                "failing_since",
                "updated_at",
            ]
        )
        if status == EndpointStatus.ACTIVE:
            queue_send()
    record(
        EventName.WEBHOOK_ENDPOINT_UPDATED,
        workspace=endpoint.workspace,
        actor=actor,
        subject=endpoint,
        properties={"status": status},
    )
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: Endpoint, actor) -> None:
    ensure_can(actor, endpoint.workspace, "manage_webhooks")
    record(
        EventName.WEBHOOK_ENDPOINT_DELETED,
        workspace=endpoint.workspace,
        actor=actor,
        properties={"endpoint_id": endpoint.pk, "kind": endpoint.kind},
    )
    endpoint.delete()


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint, actor, now: dt.datetime | None = None) -> str:
    """A new secret; the old one keeps signing beside it for 24 hours. Returns the new one."""
    ensure_can(actor, endpoint.workspace, "manage_webhooks")
    now = now or timezone.now()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + signing.ROTATION_OVERLAP
    endpoint.secret = signing.new_secret()
    endpoint.save(
        update_fields=["previous_secret", "previous_secret_expires_at", "secret", "updated_at"]
    )
    record(
        EventName.WEBHOOK_SECRET_ROTATED,
        workspace=endpoint.workspace,
        actor=actor,
        subject=endpoint,
        properties={"previous_expires_at": endpoint.previous_secret_expires_at.isoformat()},
    )
    return endpoint.secret


def _next_sequence(endpoint: Endpoint) -> int:
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    locked.last_sequence += 1
    Endpoint.objects.filter(pk=endpoint.pk).update(last_sequence=locked.last_sequence)
    endpoint.last_sequence = locked.last_sequence
    return locked.last_sequence


@transaction.atomic
def endpoint_send_test(*, endpoint: Endpoint, actor) -> Delivery:
    """A `webhook.test` delivery, sent now with the same signing, retries and log as any."""
    ensure_can(actor, endpoint.workspace, "manage_webhooks")
    if endpoint.status != EndpointStatus.ACTIVE:
        raise ValidationError(
            _("Resume or enable the endpoint before sending a test event."), code="not_active"
        )
    now = timezone.now()
    delivery_id = uuid.uuid4()
    sequence = _next_sequence(endpoint)
    payload = catalogue.envelope(
        message_id=message_id(delivery_id),
        event_type=catalogue.TEST_EVENT_TYPE,
        timestamp=now,
        workspace_id=endpoint.workspace_id,
        sequence=sequence,
        previous_id=None,
        data=copy.deepcopy(catalogue.TEST_EVENT.sample_data),
    )
    delivery = Delivery.objects.create(
        id=delivery_id,
        endpoint=endpoint,
        event_type=catalogue.TEST_EVENT_TYPE,
        sequence=sequence,
        body=body_of(payload),
        is_test=True,
        next_attempt_at=now,
        created_at=now,
    )
    queue_send([delivery.pk])
    return delivery


@transaction.atomic
def delivery_resend(*, delivery: Delivery, actor) -> Delivery:
    """One more try now, same id and body; if it fails, the schedule goes on where it was."""
    ensure_can(actor, delivery.endpoint.workspace, "manage_webhooks")
    if delivery.endpoint.status == EndpointStatus.DISABLED:
        raise ValidationError(
            _("Enable the endpoint before resending its deliveries."), code="not_active"
        )
    updated = (
        Delivery.objects.filter(pk=delivery.pk)
        .exclude(status=DeliveryStatus.SENDING)
        .update(status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), last_error="")
    )
    if not updated:
        raise ValidationError(_("This delivery is being sent right now."), code="sending")
    delivery.refresh_from_db()
    queue_send([delivery.pk])
    return delivery


@transaction.atomic
def deliveries_recover(*, endpoint: Endpoint, actor, since: dt.datetime) -> int:
    """Send again every failed delivery made since `since` (at most 14 days back)."""
    ensure_can(actor, endpoint.workspace, "manage_webhooks")
    now = timezone.now()
    if since > now:
        raise ValidationError(_("Choose a time in the past."), code="invalid")
    if since < now - RECOVER_WINDOW:
        raise ValidationError(
            _("Deliveries can be recovered for the last %(days)d days.")
            % {"days": RECOVER_WINDOW.days},
            code="invalid",
        )
    if endpoint.status == EndpointStatus.DISABLED:
        raise ValidationError(
            _("Enable the endpoint before recovering its deliveries."), code="not_active"
        )
    count = Delivery.objects.filter(
        endpoint=endpoint, status=DeliveryStatus.FAILED, created_at__gte=since
    ).update(status=DeliveryStatus.PENDING, next_attempt_at=now, last_error="")
    record(
        EventName.WEBHOOK_DELIVERIES_RECOVERED,
        workspace=endpoint.workspace,
        actor=actor,
        subject=endpoint,
        properties={"since": since.isoformat(), "count": count},
    )
    if count:
        queue_send()
    return count


def hook_subscribe(*, workspace: Team, actor, target_url: str, event: str) -> Endpoint:
    """A REST hook (Zapier, Make): an endpoint for one event type."""
    if not isinstance(event, str) or event not in catalogue.EVENT_TYPES:
        raise ValidationError(
            {"event": [_("Unknown event type: %(name)s.") % {"name": str(event)[:60]}]},
            code="invalid_event_type",
        )
    return endpoint_create(
        workspace=workspace,
        actor=actor,
        url=target_url,
        event_types=[event],
        kind=EndpointKind.HOOK,
        description=_("REST hook for %(event)s") % {"event": event},
    )
