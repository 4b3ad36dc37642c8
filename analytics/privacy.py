"""What the tracking holds about a person, for accounts.privacy (listed in `PRIVACY_PROVIDERS`):
their browsers, page views and first/latest touch for the ZIP; and, when the account is
deleted, every link from those rows back to the person.

The event log's own rows are handled by accounts (analytics.events.events_forget_person).
Page views stay for the site's counts, but under a fresh random visitor id per browser: the
cookie still in the person's browser no longer leads to them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from django.db import transaction
from django.forms.models import model_to_dict

from accounts.privacy.providers import ExportEntry

from .models import Event, PageView, UserTouch, Visitor

PAGE_VIEW_FIELDS = [
    "anonymous_id",
    "path",
    "referrer",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "at",
]


def _page_views(user) -> Iterator[dict]:
    yield from PageView.objects.filter(user=user).order_by("at", "pk").values(*PAGE_VIEW_FIELDS)


def privacy_export(*, user) -> list[ExportEntry]:
    visitors = list(
        Visitor.objects.filter(user=user)
        .order_by("first_seen")
        .values("id", "first_seen", "last_seen")
    )
    touch = UserTouch.objects.filter(user=user).first()
    return [
        ExportEntry(
            "tracking/browsers.json", data=[{**row, "id": str(row["id"])} for row in visitors]
        ),
        ExportEntry("tracking/page_views.json", rows=_page_views(user)),
        ExportEntry(
            "tracking/touches.json",
            data=model_to_dict(touch, exclude=["id", "user"]) if touch else None,
        ),
    ]


@transaction.atomic
def privacy_erase(*, user) -> None:
    """Each of the person's browsers gets a new random id on its page views and anonymous
    events; the browsers' rows and the touch go (the user row's deletion would cascade them)."""
    browsers = [str(pk) for pk in Visitor.objects.filter(user=user).values_list("id", flat=True)]
    for browser in browsers:
        fresh = str(uuid.uuid4())
        PageView.objects.filter(anonymous_id=browser).update(anonymous_id=fresh, user=None)
        Event.objects.filter(anonymous_id=browser).update(anonymous_id=fresh)
    PageView.objects.filter(user=user).update(user=None)
    Visitor.objects.filter(user=user).delete()
    UserTouch.objects.filter(user=user).delete()
