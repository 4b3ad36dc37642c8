"""The public roadmap (planned, in progress, shipped) and changelog (shipped, with note and
date), for anonymous visitors too."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from growth.feedback import services
from growth.feedback.models import FeatureRequest, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def statuses(make_request, staff):
    made = {}
    for title, status in [
        ("Open idea", Status.OPEN),
        ("Planned thing", Status.PLANNED),
        ("Being built", Status.IN_PROGRESS),
        ("Declined idea", Status.DECLINED),
        ("Shipped thing", Status.SHIPPED),
    ]:
        made[status] = make_request(title)
        if status != Status.OPEN:
            services.feature_request_set_status(
                feature_request=made[status], actor=staff, status=status, note=f"Note: {title}"
            )
    return made


def test_roadmap_shows_three_columns_to_anyone(statuses):
    response = Client().get(reverse("feedback:roadmap"))
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Planned thing", "Being built", "Shipped thing"):
        assert title in html
    assert "Open idea" not in html and "Declined idea" not in html
    assert html.index("Planned thing") < html.index("Being built") < html.index("Shipped thing")


def test_changelog_lists_shipped_with_note_and_date_newest_first(statuses, make_request, staff):
    later = make_request("Shipped later")
    services.feature_request_set_status(
        feature_request=later, actor=staff, status=Status.SHIPPED, note="Second"
    )
    FeatureRequest.objects.filter(pk=statuses[Status.SHIPPED].pk).update(
        shipped_at=timezone.now() - dt.timedelta(days=3)
    )
    response = Client().get(reverse("feedback:changelog"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Note: Shipped thing" in html and "Planned thing" not in html
    assert html.index("Shipped later") < html.index("Shipped thing")
    shipped = FeatureRequest.objects.get(pk=statuses[Status.SHIPPED].pk).shipped_at
    assert shipped.date().isoformat() in html  # the <time datetime=…>


def test_shipping_stamps_the_date_once_and_voters_were_told(statuses):
    shipped = FeatureRequest.objects.get(pk=statuses[Status.SHIPPED].pk)
    assert shipped.shipped_at is not None
    assert shipped.status_note == "Note: Shipped thing"


def test_pages_link_roadmap_changelog_and_board(statuses, outsider):
    from tests.conftest import client_for

    html = client_for(outsider).get(reverse("feedback:board")).content.decode()
    assert reverse("feedback:roadmap") in html and reverse("feedback:changelog") in html
    assert reverse("feedback:prioritized") not in html  # staff only
