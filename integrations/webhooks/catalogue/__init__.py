"""The webhook event types a workspace can subscribe to, and the JSON each one sends.

A delivery's `data` is built from one event of the log and nothing else (no queries: this app may
not import videos or billing, and the log is the outbox, so the event carries what is sent).
Payloads hold ids and public fields only: no e-mail addresses, tokens, secrets, file paths or
storage keys, and no one's free text (comments, review notes).

EVENT_TYPES is in the order the endpoint form and the documentation list them: a video's life
(created, versioned, rendered, approved, published per post, then per schedule, deleted), exports,
the team (comments, members), then billing (subscribed, cancelled, payments).

    for event_type in event_types_for(event):
        data = event_data(event_type, event)
        body = envelope(message_id=…, event_type=event_type.key, timestamp=event.occurred_at,
                        workspace_id=event.workspace_id, sequence=…, previous_id=…, data=data)
        # ordered per subject_key(event) for previous_id
"""

from __future__ import annotations

from analytics.events import Event, EventSource

from . import billing, publishing, teams, videos
from .base import Definition, EventType
from .envelope import (
    PAYLOAD_VERSION,
    TEST_EVENT,
    TEST_EVENT_TYPE,
    envelope,
    envelope_schema,
    sample_payload,
)

__all__ = [
    "EVENT_TYPES",
    "LOG_NAMES",
    "PAYLOAD_VERSION",
    "TEST_EVENT",
    "TEST_EVENT_TYPE",
    "EventType",
    "envelope",
    "envelope_schema",
    "event_data",
    "event_type_named",
    "event_types_for",
    "sample_payload",
    "subject_key",
]

# The documented order (the module's docstring).
ORDER = (
    "video.created",
    "video.version_created",
    "video.rendered",
    "video.approved",
    "video.published",
    "schedule.published",
    "video.deleted",
    "export.ready",
    "comment.created",
    "member.joined",
    "user.subscribed",
    "user.cancelled",
    "payment.succeeded",
    "payment.failed",
)
_BY_KEY: dict[str, Definition] = {
    d.event_type.key: d
    for d in (
        *videos.DEFINITIONS,
        *publishing.DEFINITIONS,
        *teams.DEFINITIONS,
        *billing.DEFINITIONS,
    )
}
if set(_BY_KEY) != set(ORDER):
    raise ImportError("Every webhook type is listed once in ORDER.")
_DEFINITIONS = tuple(_BY_KEY[key] for key in ORDER)

EVENT_TYPES: dict[str, EventType] = {d.event_type.key: d.event_type for d in _DEFINITIONS}
# Each log name feeds one type at most; fan-out reads these names and nothing else.
_BY_LOG_NAME: dict[str, Definition] = {
    str(name): d for d in _DEFINITIONS for name in d.event_type.log_names
}
if len(_BY_LOG_NAME) != sum(len(d.event_type.log_names) for d in _DEFINITIONS):
    raise ImportError("Two webhook types read the same log event.")
LOG_NAMES: frozenset[str] = frozenset(_BY_LOG_NAME)


def event_type_named(key: str) -> EventType:
    """The type called `key`, the test event's included; KeyError for an unknown one."""
    return TEST_EVENT if key == TEST_EVENT_TYPE else EVENT_TYPES[key]


def _definition(event: Event) -> Definition | None:
    # Events sent by browsers and integrations through the batch API are not the product's
    # word that something happened, whatever they are called.
    if event.source != EventSource.SERVER:
        return None
    return _BY_LOG_NAME.get(event.name)


def event_types_for(event: Event) -> list[EventType]:
    """The types `event` produces: usually none or one. None when it names no subject that
    deliveries could be ordered by, or when it is not news (a schedule that published
    nothing; the end of a plan whose cancellation was already announced)."""
    definition = _definition(event)
    if definition is None or definition.subject(event) is None or not definition.applies(event):
        return []
    return [definition.event_type]


def subject_key(event: Event) -> str:
    """What `event` is about, as "videos.video:12": deliveries to an endpoint about the same
    subject are chained by `previous_id`. ValueError for an event no type reads."""
    definition = _definition(event)
    key = definition.subject(event) if definition else None
    if key is None:
        raise ValueError(f"Event {event.pk} ({event.name}) is not about a webhook subject.")
    return key


def event_data(event_type: EventType, event: Event) -> dict:
    """The `data` of `event_type`'s payload for `event`, valid against its data_schema and
    JSON-serialisable, whatever properties the event has lost."""
    definition = _BY_KEY.get(event_type.key)
    if definition is None or event.name not in event_type.log_names:
        raise ValueError(f"{event_type.key} is not made from {event.name} events.")
    return definition.data(event)
