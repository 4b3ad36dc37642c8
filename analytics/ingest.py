"""Client events into the log: `events_ingest` checks each item of a batch on its own, stores the
good ones with one bulk INSERT, and reports the rest by index (README.md, "Event ingestion API").

An item's `uuid` is the event's id, so a batch sent twice (a retry after a lost answer, two tabs
flushing one queue) is stored once. Client events get `source="client"` and may not take a
name of the `EventName` registry: a browser cannot forge a domain event that consumers act on.
Items are checked by hand, not by a DRF serializer per item, so a batch of 500 costs about as
much as the INSERT itself (tests/perf/bench_ingest.py).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .events import EventName
from .models import Event, EventSource

MAX_EVENTS = 500
MAX_PROPERTIES_BYTES = 8 * 1024
MAX_PROPERTIES_DEPTH = 10
FUTURE_SKEW = dt.timedelta(minutes=5)
MAX_AGE = dt.timedelta(days=30)
NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_.:\-]{0,99}$"
ANONYMOUS_ID_PATTERN = r"^[A-Za-z0-9_.:\-]{1,64}$"
_NAME = re.compile(NAME_PATTERN, re.ASCII)
_ANONYMOUS_ID = re.compile(ANONYMOUS_ID_PATTERN, re.ASCII)
_TEXT_MAX = 64  # a uuid or a time longer than this is not one; never parsed
RESERVED_NAMES = frozenset(name.value.lower() for name in EventName)

# The per-item refusals, each final: the same item sent again is refused again.
ERROR_CODES = (
    "invalid",
    "invalid_uuid",
    "invalid_name",
    "reserved_name",
    "invalid_time",
    "future",
    "too_old",
    "invalid_properties",
    "properties_too_large",
    "properties_too_deep",
    "invalid_number",
    "null_characters",
    "invalid_anonymous_id",
    "anonymous_id_mismatch",
)


class ItemRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "errors": self.errors}


def _uuid_of(value: Any) -> uuid.UUID:
    if not isinstance(value, str) or len(value) > _TEXT_MAX:
        raise ItemRefused("invalid_uuid", _("The uuid must be a UUID string."))
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ItemRefused("invalid_uuid", _("The uuid must be a UUID string.")) from None


def _name_of(value: Any) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise ItemRefused(
            "invalid_name",
            _(
                "The name must start with a letter and hold at most 100 letters, digits, "
                "dots, colons, dashes or underscores."
            ),
        )
    if value.lower() in RESERVED_NAMES:
        raise ItemRefused(
            "reserved_name", _("This name is reserved for events recorded by Video Creator.")
        )
    return value


def _time_of(value: Any, now: dt.datetime) -> dt.datetime:
    message = _("occurred_at must be an ISO 8601 date and time with a time zone.")
    if not isinstance(value, str) or len(value) > _TEXT_MAX:
        raise ItemRefused("invalid_time", message)
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:  # the right shape, an impossible date (month 13)
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ItemRefused("invalid_time", message)
    try:
        occurred = parsed.astimezone(dt.UTC)
    except OverflowError:  # year 1 with a positive offset
        raise ItemRefused("too_old", _("Events older than 30 days are not accepted.")) from None
    if occurred > now + FUTURE_SKEW:
        raise ItemRefused(
            "future", _("The event is in the future; check the clock of the device that sent it.")
        )
    if occurred < now - MAX_AGE:
        raise ItemRefused("too_old", _("Events older than 30 days are not accepted."))
    return occurred


def _check_values(properties: dict) -> None:
    """Depth, NUL characters and numbers JSON cannot store (1e999 parses as infinity), walked
    without recursion; the parser has already refused anything nested past 64 levels."""
    stack: list[tuple[Any, int]] = [(properties, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_PROPERTIES_DEPTH:
                raise ItemRefused(
                    "properties_too_deep",
                    _("Properties may be nested at most %(depth)d levels deep.")
                    % {"depth": MAX_PROPERTIES_DEPTH},
                )
            children = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in children:
                if isinstance(key, str) and "\x00" in key:
                    raise ItemRefused("null_characters", _("Null characters are not allowed."))
                stack.append((child, depth + 1))
        elif isinstance(value, str):
            if "\x00" in value:
                raise ItemRefused("null_characters", _("Null characters are not allowed."))
        elif isinstance(value, float) and not math.isfinite(value):
            raise ItemRefused("invalid_number", _("Numbers must be finite."))


def _properties_of(value: Any) -> dict:
    if not isinstance(value, dict):
        raise ItemRefused("invalid_properties", _("Properties must be a JSON object."))
    _check_values(value)
    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    if size > MAX_PROPERTIES_BYTES:
        raise ItemRefused(
            "properties_too_large",
            _("Properties may take at most %(size)d bytes as JSON.")
            % {"size": MAX_PROPERTIES_BYTES},
        )
    return value


def _anonymous_id_of(value: Any, default: str, own_only: bool) -> str:
    if value is None or value == "":
        return default
    if not isinstance(value, str) or not _ANONYMOUS_ID.match(value):
        raise ItemRefused(
            "invalid_anonymous_id",
            _(
                "anonymous_id must be at most 64 letters, digits, dots, colons, dashes or "
                "underscores."
            ),
        )
    if own_only and value != default:
        raise ItemRefused(
            "anonymous_id_mismatch", _("A browser may only send events for its own visitor id.")
        )
    return value


def _event_of(
    item: Any,
    *,
    now: dt.datetime,
    actor: Model | None,
    anonymous_id: str,
    own_anonymous_id_only: bool,
) -> Event:
    if not isinstance(item, dict):
        raise ItemRefused("invalid", _("Each event must be a JSON object."))
    return Event(
        id=_uuid_of(item.get("uuid")),
        name=_name_of(item.get("name")),
        occurred_at=_time_of(item.get("occurred_at"), now),
        properties=_properties_of(item.get("properties", {})),
        anonymous_id=_anonymous_id_of(
            item.get("anonymous_id"), anonymous_id, own_anonymous_id_only
        ),
        actor=actor,
        source=EventSource.CLIENT,
    )


def _uuid_shown(item: Any) -> str | None:
    value = item.get("uuid") if isinstance(item, dict) else None
    return value[:_TEXT_MAX] if isinstance(value, str) else None


def events_ingest(
    *,
    items: list,
    actor: Model | None = None,
    anonymous_id: str = "",
    own_anonymous_id_only: bool = False,
    now: dt.datetime | None = None,
) -> IngestResult:
    """Store a batch of client events (at most MAX_EVENTS; the caller refuses more).

    `actor` is the signed-in sender (an API token's user, a browser's session), or None for an
    anonymous visitor; `anonymous_id` is the default for items that name none, and with
    `own_anonymous_id_only` (a visitor's browser) the only one allowed. Two queries, whatever
    the size: the ids already stored, and one INSERT (SQLite splits it at its parameter limit).
    """
    now = now or timezone.now()
    result = IngestResult()
    rows: dict[uuid.UUID, Event] = {}
    for index, item in enumerate(items):
        try:
            event = _event_of(
                item,
                now=now,
                actor=actor,
                anonymous_id=anonymous_id,
                own_anonymous_id_only=own_anonymous_id_only,
            )
        except ItemRefused as refused:
            result.errors.append(
                {
                    "index": index,
                    "uuid": _uuid_shown(item),
                    "code": refused.code,
                    "message": refused.message,
                }
            )
            continue
        if event.id in rows:
            result.duplicates += 1  # the same uuid twice in one batch
        else:
            rows[event.id] = event
    if not rows:
        return result
    stored = set(Event.objects.filter(id__in=list(rows)).values_list("id", flat=True))
    fresh = [event for event_id, event in rows.items() if event_id not in stored]
    # A concurrent batch may store one of these ids between the two statements: the conflict
    # is ignored, and it is counted here as accepted (it is stored once either way).
    Event.objects.bulk_create(fresh, ignore_conflicts=True)
    result.accepted = len(fresh)
    result.duplicates += len(stored)
    return result
