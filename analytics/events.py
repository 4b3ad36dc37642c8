"""The event log: `record()` is how every app announces what happened.

This module imports no other app's code; foreign keys are by string, so every
app may import it without creating a cycle.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .models import Event


def _subject_parts(subject: models.Model | None) -> tuple[str, str]:
    if subject is None:
        return "", ""
    return subject._meta.label_lower, str(subject.pk)


def record(
    name: str,
    *,
    workspace: models.Model | None = None,
    actor: models.Model | None = None,
    subject: models.Model | None = None,
    properties: dict[str, Any] | None = None,
    occurred_at: datetime.datetime | None = None,
    idempotency_key: str | None = None,
    anonymous_id: str = "",
) -> Event:
    """Write an event inside the caller's transaction.

    With an `idempotency_key`, recording the same event twice returns the
    first row instead of writing a second one.
    """
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    subject_type, subject_id = _subject_parts(subject)
    fields = dict(
        name=name,
        workspace=workspace,
        actor=actor,
        anonymous_id=anonymous_id,
        subject_type=subject_type,
        subject_id=subject_id,
        properties=properties or {},
        occurred_at=occurred_at or timezone.now(),
        idempotency_key=idempotency_key,
    )
    if idempotency_key is None:
        return Event.objects.create(**fields)
    existing = Event.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Event.objects.create(**fields)
    except IntegrityError:
        return Event.objects.get(idempotency_key=idempotency_key)
