"""What every part of the generator shares: the clock, the reference rows it points at (plans,
templates, coupons), the key allocator, the row buffers, and the event log's rows."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from analytics.models import Event, EventSource

from . import catalog
from .writer import Ids, Writer

MICROSECOND = dt.timedelta(microseconds=1)


@dataclass(frozen=True)
class PlanRow:
    id: int
    key: str
    name: str
    default_name: str  # in the default language, as events carry it (billing's plan_name)
    interval: str  # "month" or "year"
    prices: dict[str, int]


@dataclass(frozen=True)
class TemplateRow:
    id: int
    key: str
    is_pro: bool
    duration: int
    min_duration: int
    max_duration: int
    aspect_ratio: str
    fields: dict[str, Any]  # what `video_create` stores when the creator keeps the defaults


@dataclass(frozen=True)
class CouponRow:
    id: int
    code: str
    duration: str
    percent_off: int | None
    amount_off: int | None
    currency: str
    duration_months: int | None


@dataclass
class Context:
    now: dt.datetime
    start: dt.datetime
    ids: Ids
    out: Writer
    free_plan_id: int
    plans: dict[str, PlanRow]  # the paid ones, by key
    templates: list[TemplateRow]
    coupons: dict[str, CouponRow]
    coupons_created: int
    password_hash: str
    # Storylines not yet given to a buyer (catalog.STORYLINES), in order.
    storylines: list = field(default_factory=lambda: list(catalog.STORYLINES))
    # Tallies for the reference rows written once at the end.
    template_uses: Counter = field(default_factory=Counter)
    visits: Counter = field(default_factory=Counter)  # (channel key, first of month) → visitors


def new_uuid(rng: random.Random, *, version: int = 4) -> uuid.UUID:
    """A random UUID from the history's own generator, so a seed gives the same ids."""
    bits = rng.getrandbits(128)
    bits &= ~(0xF000 << 64)
    bits |= version << 76
    bits &= ~(0xC000 << 48)
    bits |= 0x8000 << 48
    return uuid.UUID(int=bits)


def subject_of(model: type[models.Model], pk: Any) -> tuple[str, str]:
    return model._meta.label_lower, str(pk)


def event(
    ctx: Context,
    rng: random.Random,
    name: str,
    at: dt.datetime,
    *,
    workspace_id: int | None = None,
    actor_id: int | None = None,
    subject: tuple[str, str] = ("", ""),
    properties: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> None:
    """One server event, as `analytics.events.record` writes it (recorded when it occurred)."""
    ctx.out[Event].add(
        id=new_uuid(rng),
        name=str(name),
        workspace_id=workspace_id,
        actor_id=actor_id,
        anonymous_id="",
        subject_type=subject[0],
        subject_id=subject[1],
        properties=properties or {},
        occurred_at=at,
        recorded_at=at,
        idempotency_key=idempotency_key,
        source=EventSource.SERVER,
    )


def pick(rng: random.Random, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A random instant in [start, end)."""
    span = (end - start) // MICROSECOND
    if span <= 0:
        return start
    return start + dt.timedelta(microseconds=rng.randrange(span))


def after(rng: random.Random, moment: dt.datetime, *, seconds: float) -> dt.datetime:
    """`moment` plus a random delay of up to `seconds` (at least a second)."""
    return moment + dt.timedelta(seconds=1 + rng.random() * seconds)
