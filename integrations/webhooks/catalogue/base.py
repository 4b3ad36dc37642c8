"""What every webhook type is made of: the public `EventType`, how the catalogue reads one from
the event log (`Definition`), the JSON Schema pieces of a `data` object, and readers that turn
an event's properties into schema-valid values.

Properties are read defensively: an old row may lack a key, `events_forget_person` removes
person ids, and nothing stops a property from holding the wrong type. Every reader returns
None for what it cannot use, and every schema field that comes from a property allows null.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from analytics.events import Event

# -- the public shape ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EventType:
    """One webhook type: what receivers subscribe to and what its `data` looks like."""

    key: str  # "video.created"
    log_names: tuple[str, ...]  # the EventName values it comes from
    description: str | Promise  # gettext_lazy: one sentence, what happened
    data_schema: dict  # JSON Schema (2020-12) of the envelope's `data`
    sample_data: dict  # a realistic `data`, valid against data_schema


@dataclass(frozen=True)
class Definition:
    """How the catalogue reads one type from the log; the fan-out only needs the functions of
    the package, never this.

    `subject` gives the key of what the event is about ("videos.video:12"), or None when the
    event does not say (then no delivery can be ordered, so none is made); `applies` narrows a
    log event that only sometimes means this type; `data` builds the payload's `data`.
    """

    event_type: EventType
    subject: Callable[[Event], str | None]
    data: Callable[[Event], dict]
    applies: Callable[[Event], bool] = lambda event: True


# -- JSON Schema pieces --------------------------------------------------------------------------

# The UTC form every time in a payload takes, whole seconds: "2026-12-06T10:00:00Z".
TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


def _typed(kind: str, description: str, nullable: bool, **rules: Any) -> dict:
    schema: dict[str, Any] = {"type": [kind, "null"] if nullable else kind}
    schema["description"] = description
    if "enum" in rules and nullable:
        rules["enum"] = [*rules["enum"], None]  # `enum` is checked before `type` allows null
    return schema | rules


def integer(description: str, *, nullable: bool = False, minimum: int = 0) -> dict:
    return _typed("integer", description, nullable, minimum=minimum)


def number(description: str, *, nullable: bool = False) -> dict:
    return _typed("number", description, nullable, minimum=0)


def boolean(description: str, *, nullable: bool = False) -> dict:
    return _typed("boolean", description, nullable)


def string(description: str, *, nullable: bool = False, **rules: Any) -> dict:
    return _typed("string", description, nullable, **rules)


def time(description: str, *, nullable: bool = False) -> dict:
    return string(description, nullable=nullable, format="date-time", pattern=TIME_PATTERN)


def url(description: str, *, nullable: bool = False) -> dict:
    return string(description, nullable=nullable, format="uri", pattern=r"^https?://")


def currency(description: str = "ISO 4217 code of `amount`, e.g. USD.") -> dict:
    return string(description, nullable=True, pattern=r"^[A-Z]{3}$")


def obj(properties: dict[str, dict], description: str = "") -> dict:
    """An object with exactly these keys, every one always present (null when unknown)."""
    schema: dict[str, Any] = {"type": "object"}
    if description:
        schema["description"] = description
    return schema | {
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


VIDEO = "videos.video"
ACTOR = integer(
    "The id of the user who did it; null when a background task or a payment provider did, "
    "or when that person's account was deleted.",
    nullable=True,
    minimum=1,
)
AMOUNT = integer("In minor units of `currency` (cents; yen and won have none).", nullable=True)
TITLE = string("The video's title.", nullable=True)
VIDEO_ID = integer("The video's id.", minimum=1)


# -- reading an event ----------------------------------------------------------------------------


def properties(event: Event) -> dict:
    return event.properties if isinstance(event.properties, dict) else {}


def read_int(value: Any, *, minimum: int = 0) -> int | None:
    # bool is an int in Python, never in JSON Schema.
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= minimum
    return value if ok else None


def read_number(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if math.isfinite(value) and value >= 0 else None


def read_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def read_text(value: Any, *, choices: tuple[str, ...] | None = None) -> str | None:
    """A non-empty string (one of `choices` when given), else None."""
    if not isinstance(value, str) or not value:
        return None
    return value if choices is None or value in choices else None


def read_url(value: Any) -> str | None:
    text = read_text(value)
    return text if text and re.match(r"^https?://\S+$", text) else None


def read_currency(value: Any) -> str | None:
    text = read_text(value)
    return text if text and re.fullmatch(r"[A-Z]{3}", text) else None


def read_time(value: Any) -> str | None:
    """An aware datetime, or the ISO text the log stores, as TIME_PATTERN; else None."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        return None
    return format_time(value)


def format_time(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("A webhook time must be aware (UTC).")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def actor_id(event: Event) -> int | None:
    return read_int(event.actor_id, minimum=1)


def subject_int(event: Event) -> int | None:
    text = event.subject_id or ""
    return int(text) if text.isdigit() and int(text) > 0 else None


def subject_uuid(event: Event) -> str | None:
    try:
        return str(uuid.UUID(event.subject_id or ""))
    except ValueError:
        return None


def subject_of(label: str, *, uuid_key: bool = False) -> Callable[[Event], str | None]:
    """The subject reader of a type whose event's subject is a `label` row."""

    def subject(event: Event) -> str | None:
        if event.subject_type != label:
            return None
        key = subject_uuid(event) if uuid_key else subject_int(event)
        return None if key is None else f"{label}:{key}"

    return subject


def subject_id(event: Event) -> int:
    """The integer id of a subject `Definition.subject` accepted."""
    return _known(event, subject_int(event))


def subject_uuid_id(event: Event) -> str:
    """The UUID (as text) of a subject `Definition.subject` accepted."""
    return _known(event, subject_uuid(event))


def _known(event: Event, key: Any) -> Any:
    if key is None:
        raise ValueError(f"Event {event.pk} ({event.name}) names no subject a webhook can use.")
    return key


def video_fields(event: Event) -> dict:
    """The id and title of the video a `videos.video` event is about."""
    return {"video_id": subject_id(event), "title": read_text(properties(event).get("title"))}
