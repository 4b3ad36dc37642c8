"""A person's tracking data goes into their data export, and nothing of it leads back to them
once their account is deleted; the site's counts keep their page views, under a new id."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from accounts.privacy.deletion import account_delete
from analytics.events import record
from analytics.models import Event, PageView, UserTouch, Visitor
from tests.accounts.conftest import built_export, zip_files
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracked(owner):
    """The owner's browser with two page views (one from a campaign), an anonymous client event,
    and her touch; someone else's browser and page view."""
    now = timezone.now()
    browser = uuid.uuid4()
    Visitor.objects.create(id=browser, user=owner, first_seen=now, last_seen=now)
    PageView.objects.create(
        anonymous_id=str(browser), user=owner, path="/pricing/", utm_source="newsletter", at=now
    )
    PageView.objects.create(
        anonymous_id=str(browser), user=owner, path="/", at=now + dt.timedelta(minutes=1)
    )
    record("editor.opened", anonymous_id=str(browser), occurred_at=now)
    UserTouch.objects.create(
        user=owner,
        first_source="newsletter",
        first_at=now,
        latest_source="newsletter",
        latest_at=now,
    )
    other = uuid.uuid4()
    Visitor.objects.create(id=other, first_seen=now, last_seen=now)
    PageView.objects.create(anonymous_id=str(other), path="/", at=now)
    return {"browser": str(browser), "other": str(other)}


def test_her_export_holds_her_browsers_page_views_and_touch(owner, tracked):
    files = zip_files(built_export(owner))
    assert [row["id"] for row in json.loads(files["tracking/browsers.json"])] == [
        tracked["browser"]
    ]
    views = json.loads(files["tracking/page_views.json"])
    assert [(v["path"], v["utm_source"]) for v in views] == [("/pricing/", "newsletter"), ("/", "")]
    assert json.loads(files["tracking/touches.json"])["first_source"] == "newsletter"


def test_after_deletion_nothing_leads_back_to_her(owner, tracked):
    account_delete(user=owner, password=DEFAULT_PASSWORD)
    assert not Visitor.objects.filter(pk=tracked["browser"]).exists()
    assert not UserTouch.objects.exists()
    assert not PageView.objects.filter(anonymous_id=tracked["browser"]).exists()
    assert not Event.objects.filter(anonymous_id=tracked["browser"]).exists()
    # Her page views still count, under one new id for her browser; the other visitor's stay.
    kept = PageView.objects.exclude(anonymous_id=tracked["other"])
    assert kept.count() == 2 and len({v.anonymous_id for v in kept}) == 1
    assert kept.filter(user__isnull=False).count() == 0
    assert PageView.objects.filter(anonymous_id=tracked["other"]).count() == 1


def test_someone_without_tracking_data_exports_empty_files(db):
    files = zip_files(built_export(UserFactory()))
    assert json.loads(files["tracking/browsers.json"]) == []
    assert json.loads(files["tracking/touches.json"]) is None
