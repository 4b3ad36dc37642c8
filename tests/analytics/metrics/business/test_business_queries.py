"""The dashboard, a CSV export and the API cost a number of queries that does not grow with
the data: measured on the history of conftest.py, then again with many more people, videos,
posts and subscriptions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from analytics.events import EventName, record

from .conftest import FEBRUARY_QUERY, did, utc, visit

pytestmark = pytest.mark.django_db

# The dashboard: the session and user, then every section's reads (README, "Business
# dashboard"); the same at both sizes.
MAX_PAGE_QUERIES = 36


def grow(ledger, history, people: int) -> None:
    """`people` more accounts in February, each visiting, signing up, making and publishing a
    video from a template; every other one subscribing."""
    back_to = ledger.clock.now
    template = history.templates[0]
    for index in range(people):
        at = utc(2026, 2, 3) + dt.timedelta(hours=7 * index)
        ledger.clock.now = at
        workspace = ledger.workspace()
        user = ledger.owners[workspace.pk]
        visit(f"anon-more-{index}", at - dt.timedelta(minutes=5))
        did(EventName.USER_SIGNED_UP, user, at, anonymous_id=f"anon-more-{index}")
        did(EventName.VIDEO_CREATED, user, at + dt.timedelta(hours=1), workspace=workspace)
        did(EventName.TEMPLATE_USED, user, at + dt.timedelta(hours=1), subject=template)
        record(
            EventName.VIDEO_PUBLISHED,
            properties={"platform": "instagram" if index % 2 else "x"},
            occurred_at=at + dt.timedelta(hours=2),
        )
        if index % 2:
            ledger.subscribe(workspace, plan="pro-annual" if index % 4 == 1 else "pro-monthly")
    ledger.clock.now = back_to


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(queries)


def test_the_page_costs_the_same_at_two_sizes(
    staff_client, history, ledger, django_assert_max_num_queries
):
    url = reverse("metrics:business") + "?from=2026-02-01&to=2026-02-28"
    small = count(staff_client, url)
    grow(ledger, history, 24)
    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        large = count(staff_client, url)
    assert small == large


def test_a_drill_down_costs_the_same_at_two_sizes(staff_client, history, ledger):
    url = reverse("metrics:business_movement", args=["new"]) + "?from=2026-02-01&to=2026-02-28"
    small = count(staff_client, url)
    grow(ledger, history, 24)
    assert count(staff_client, url) == small


def test_the_api_costs_the_same_at_two_sizes(history, ledger, django_assert_max_num_queries):
    client = APIClient()
    client.force_authenticate(history.staff)
    url = reverse("api:analytics-business")
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, FEBRUARY_QUERY).status_code == 200
    grow(ledger, history, 24)
    with django_assert_max_num_queries(MAX_PAGE_QUERIES) as large:
        assert client.get(url, FEBRUARY_QUERY).status_code == 200
    assert len(small) == len(large.captured_queries)
