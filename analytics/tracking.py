"""Tracking writes: page views, the anonymous daily counts, visitors and their link to a person.

A page view costs one statement: the PageView INSERT for a visitor who allows tracking, or the
DailyPageCount upsert for one who does not. The visitor's own row is upserted with it only when
the cookie says it was not refreshed today (a new visitor, or the first page of a day).
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlsplit

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from .models import TEXT_MAX, URL_PART_MAX, DailyPageCount, Event, PageView, UserTouch, Visitor

logger = logging.getLogger(__name__)

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
TOUCH_PARTS = ("source", "medium", "campaign", "term", "content")


def clean_text(value: object, limit: int) -> str:
    """Text as it may be stored: NUL dropped, surrounding space trimmed, at most `limit` long."""
    return str(value or "").replace("\x00", "").strip()[:limit]


def referrer_of(request: HttpRequest) -> str:
    """The referring page as host+path when it is another site; our own pages are not kept."""
    raw = request.META.get("HTTP_REFERER", "")
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:  # a malformed netloc ("http://[::1")
        return ""
    if parts.scheme not in ("http", "https") or not host:
        return ""
    where = f"{host}:{port}" if port else host
    if where == request.get_host().lower():
        return ""
    return clean_text(where + parts.path, URL_PART_MAX)


def page_view_fields(request: HttpRequest) -> dict:
    """What a page view stores about its request: the path without the query, the UTM
    parameters, and the referring site."""
    fields = {name: clean_text(request.GET.get(name, ""), TEXT_MAX) for name in UTM_FIELDS}
    fields["path"] = clean_text(request.path, URL_PART_MAX)
    fields["referrer"] = referrer_of(request)
    fields["is_touch"] = bool(fields["referrer"]) or any(fields[name] for name in UTM_FIELDS)
    return fields


def visitor_refresh(*, visitor_id: str, now: dt.datetime) -> None:
    """Create the visitor's row, or move its last_seen: one upsert."""
    Visitor.objects.bulk_create(
        [Visitor(id=visitor_id, first_seen=now, last_seen=now)],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["last_seen"],
    )


def page_view_record(
    *, request: HttpRequest, visitor_id: str, user: Model | None, now: dt.datetime
) -> PageView:
    return PageView.objects.create(
        anonymous_id=visitor_id, user=user, at=now, **page_view_fields(request)
    )


def page_count_increment(*, path: str, day: dt.date) -> None:
    """Add one to the day's count of a path, atomically: INSERT … ON CONFLICT DO UPDATE count + 1
    (PostgreSQL and SQLite ≥ 3.24 share the syntax), so concurrent views never lose a count."""
    table, day_, path_, count = map(
        connection.ops.quote_name, (DailyPageCount._meta.db_table, "day", "path", "count")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({day_}, {path_}, {count}) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT ({day_}, {path_}) DO UPDATE SET {count} = {table}.{count} + 1",
            [day, clean_text(path, URL_PART_MAX)],
        )


def safely(write, *args, **kwargs) -> None:
    """Tracking never breaks a page: a failed write is logged, the page is shown."""
    try:
        write(*args, **kwargs)
    except DatabaseError:
        logger.exception("analytics: %s failed", getattr(write, "__name__", write))


# -- linking a browser to the person who signs in on it ------------------------------------------


def _touch_values(prefix: str, view: PageView) -> dict:
    values = {f"{prefix}_{part}": getattr(view, f"utm_{part}") for part in TOUCH_PARTS}
    values[f"{prefix}_referrer"] = view.referrer
    values[f"{prefix}_landing_path"] = view.path
    values[f"{prefix}_at"] = view.at
    return values


def user_touch_update(*, user: Model) -> UserTouch | None:
    """Store where the person came from: the first touch (their earliest page view, written
    once) and the latest (their latest page view that arrived with UTM parameters or from
    another site; moved when a newer one comes in). Nothing without page views."""
    views = PageView.objects.filter(user=user)
    first = views.order_by("at", "pk").first()
    if first is None:
        return None
    latest = views.filter(is_touch=True).order_by("-at", "-pk").first() or first
    touch = UserTouch.objects.filter(user=user).first()
    if touch is None:
        try:
            with transaction.atomic():
                return UserTouch.objects.create(
                    user=user, **_touch_values("first", first), **_touch_values("latest", latest)
                )
        except IntegrityError:  # a sign-in in another tab stored it first
            touch = UserTouch.objects.get(user=user)
    if latest.is_touch and latest.at > touch.latest_at:
        values = _touch_values("latest", latest)
        for name, value in values.items():
            setattr(touch, name, value)
        touch.save(update_fields=list(values))
    return touch


@transaction.atomic
def visitor_link_user(*, visitor_id: str, user: Model, now: dt.datetime | None = None) -> int:
    """The browser `visitor_id` belongs to `user` from now on, and so does its history: its
    page views and events recorded without a person get them. Several browsers may belong to
    one person; a browser belongs to the last person who signed in on it (what another person
    did on it before stays theirs). Returns the rows attributed."""
    now = now or timezone.now()
    Visitor.objects.bulk_create(
        [Visitor(id=visitor_id, user=user, first_seen=now, last_seen=now)],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["user", "last_seen"],
    )
    views = PageView.objects.filter(anonymous_id=visitor_id, user__isnull=True).update(user=user)
    events = Event.objects.filter(anonymous_id=visitor_id, actor__isnull=True).update(actor=user)
    user_touch_update(user=user)
    return views + events
