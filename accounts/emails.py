"""The e-mail sending helper: one place renders and sends in the recipient's language; and
`send_once` with its sweep `queue_unsent`, for e-mails a row records as sent (`emailed_at`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import zoneinfo
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import QuerySet
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import User


def language_for(user: User | None) -> str:
    """The recipient's saved language, else the one active now, else English."""
    profile = getattr(user, "profile", None) if user is not None else None
    return (profile.language if profile else "") or translation.get_language() or "en"


def language_of_address(email: str) -> str:
    """The language chosen by the account with this address, or "" (no account, or none
    chosen): an invitation to an address goes out in it when there is one."""
    return (
        User.objects.filter(email__iexact=email, profile__language__gt="")
        .values_list("profile__language", flat=True)
        .first()
        or ""
    )


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The time zone called `name`; UTC for an empty or unknown name."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def time_zone_for(user: User | None) -> zoneinfo.ZoneInfo | None:
    """The recipient's saved time zone, or None (times then stay in UTC)."""
    profile = getattr(user, "profile", None) if user is not None else None
    return zone_named(profile.time_zone) if profile and profile.time_zone else None


def send_templated_email(
    *,
    template: str,
    to: Sequence[str],
    context: dict[str, Any],
    language: str,
    headers: dict[str, str] | None = None,
    time_zone: dt.tzinfo | None = None,
) -> None:
    """Render templates/emails/<template>_subject.txt, .txt and (if present) .html, and send.

    Times are shown in `time_zone` when given (the recipient's: `time_zone_for`).
    """
    context = {"site_url": settings.SITE_URL, **context}
    zone = timezone.override(time_zone) if time_zone is not None else contextlib.nullcontext()
    with translation.override(language), zone:
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        try:
            html = render_to_string(f"emails/{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(subject=subject, body=text, to=list(to), headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


# -- e-mails that must go out once ---------------------------------------------------------------

M = TypeVar("M", bound=models.Model)
UNSENT_BATCH = 500


def send_once(rows: QuerySet[M], pk: Any, send: Callable[[M], object]) -> bool:
    """Send the e-mail for row `pk` of `rows` at most once; True if this call sent it.

    The row is locked (skipped when another worker holds it: that one is sending) and must
    have no `emailed_at`; `send(row)` and the `emailed_at` stamp share one transaction. If
    sending raises, nothing is stamped and a sweep (`queue_unsent`) tries again later.
    `rows` carries the model's own conditions (still pending, has a recipient, …).
    """
    with transaction.atomic():
        row = (
            rows.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=pk, emailed_at__isnull=True)
            .first()
        )
        if row is None:
            return False  # already sent, no longer wanted, or another worker is sending it
        send(row)
        row.emailed_at = timezone.now()
        row.save(update_fields=["emailed_at"])
        return True


def queue_unsent(
    rows: QuerySet, task: Any, *, older_than: dt.timedelta, since: str = "created_at"
) -> int:
    """Queue `task.delay(pk)` for rows whose e-mail has not gone out `older_than` after
    `since`: the first message was lost (a broker or worker outage). The task sends through
    `send_once`, so a message that was only late, or a sweep that runs twice, sends nothing
    twice. At most UNSENT_BATCH rows a run, oldest first; the next run takes the rest."""
    cutoff = timezone.now() - older_than
    pks = list(
        rows.filter(emailed_at__isnull=True, **{f"{since}__lte": cutoff})
        .order_by(since, "pk")
        .values_list("pk", flat=True)[:UNSENT_BATCH]
    )
    for pk in pks:
        task.delay(pk if isinstance(pk, int) else str(pk))  # UUIDs travel as text
    return len(pks)
