"""The JSON envelope every delivery carries around a type's `data`, its JSON Schema, made-up
examples for the documentation, and the test event ("Send test event")."""

from __future__ import annotations

import copy
import datetime as dt
import uuid

from django.utils.translation import gettext_lazy as _

from .base import EventType, format_time, integer, obj, string, time

# Raised when a type's `data` changes incompatibly; receivers can branch on it.
PAYLOAD_VERSION = 1
MESSAGE_ID_PATTERN = r"^msg_[0-9a-f]{32}$"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def envelope(
    *,
    message_id: str,
    event_type: str,
    timestamp: dt.datetime,
    workspace_id: int,
    sequence: int,
    previous_id: str | None,
    data: dict,
) -> dict:
    """The payload of one delivery. `timestamp` is when the event happened (aware; sent in UTC
    as "2026-12-06T10:00:00Z"); `previous_id` names the previous delivery about the same
    subject to the same endpoint, so a receiver can put late arrivals back in order."""
    return {
        "id": message_id,
        "type": event_type,
        "version": PAYLOAD_VERSION,
        "timestamp": format_time(timestamp),
        "workspace_id": workspace_id,
        "sequence": sequence,
        "previous_id": previous_id,
        "data": data,
    }


def envelope_schema(event_type: EventType) -> dict:
    """The JSON Schema (2020-12) of a whole payload of `event_type`: the envelope with this
    type's `data`. Its description is in the active language."""
    message_id = string("Unique per delivery; the webhook-id header.", pattern=MESSAGE_ID_PATTERN)
    fields = {
        "id": message_id,
        "type": string("The event type.", const=event_type.key),
        "version": integer("The version of this type's payload.", minimum=1)
        | {"const": PAYLOAD_VERSION},
        "timestamp": time("When the event happened (UTC)."),
        "workspace_id": integer("The workspace it happened in.", minimum=1),
        "sequence": integer(
            "This endpoint's counter: one more for each message made for it.", minimum=1
        ),
        "previous_id": string(
            "The id of the previous message about the same subject to this endpoint; null for "
            "the first.",
            nullable=True,
            pattern=MESSAGE_ID_PATTERN,
        ),
        # A copy: a caller that edits the schema it got must not change the catalogue.
        "data": {"description": "What happened: this event type's fields."}
        | copy.deepcopy(event_type.data_schema),
    }
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"urn:videocreator:webhooks:{event_type.key}:v{PAYLOAD_VERSION}",
        "title": event_type.key,
        "description": str(event_type.description),
        **obj(fields),
    }


def _made_up_id(key: str, n: int) -> str:
    # Stable across runs, so documentation built from samples does not change by itself.
    return f"msg_{uuid.uuid5(uuid.NAMESPACE_URL, f'videocreator:webhooks:{key}:{n}').hex}"


SAMPLE_TIMESTAMP = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)


def sample_payload(event_type: EventType) -> dict:
    """A whole example payload of `event_type`, with made-up ids."""
    return envelope(
        message_id=_made_up_id(event_type.key, 41),
        event_type=event_type.key,
        timestamp=SAMPLE_TIMESTAMP,
        workspace_id=12,
        sequence=41,
        previous_id=_made_up_id(event_type.key, 40),
        data=copy.deepcopy(event_type.sample_data),
    )


# -- the test event ------------------------------------------------------------------------------

# Not in EVENT_TYPES: nobody subscribes to it, it is sent to one endpoint when asked.
TEST_EVENT_TYPE = "webhook.test"
TEST_EVENT = EventType(
    key=TEST_EVENT_TYPE,
    log_names=(),
    description=_("A test event, sent from an endpoint's page to check that it receives them."),
    data_schema=obj(
        {"message": string("A fixed English sentence: nothing happened in the workspace.")}
    ),
    sample_data={"message": "This is a test event from Video Creator."},
)
