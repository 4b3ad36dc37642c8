"""The webhook list and endpoint pages and their API lists make as many queries for 12
endpoints and 60 deliveries as for 2 and 4."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integrations.webhooks import fanout, sending, services
from tests.conftest import client_in
from tests.videos.conftest import api_for

from .conftest import make_videos

pytestmark = pytest.mark.django_db


def _build(workspace, owner, receiver, clock, endpoints: int, videos: int):
    made = [
        services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url)
        for _ in range(endpoints)
    ]
    clock.advance(seconds=1)
    make_videos(workspace, owner, videos)
    fanout.fan_out()
    sending.send_due(limit=1000)
    return made


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pages_and_api_lists_keep_their_query_count(clock, workspace, owner, receiver):
    page = client_in(owner, workspace)
    api = api_for(owner)

    def urls(endpoint):
        return [
            reverse("webhooks:list"),
            reverse("webhooks:endpoint", args=[endpoint.pk]),
            f"/api/v1/webhooks/?workspace={workspace.pk}",
            f"/api/v1/webhooks/{endpoint.pk}/deliveries/",
        ]

    small = _build(workspace, owner, receiver, clock, endpoints=2, videos=2)
    small_counts = [_queries(api if u.startswith("/api/") else page, u) for u in urls(small[0])]
    large = _build(workspace, owner, receiver, clock, endpoints=10, videos=5)
    large_counts = [_queries(api if u.startswith("/api/") else page, u) for u in urls(large[0])]
    assert large_counts == small_counts
