"""Hostile input to every webhooks API route that takes any: each is a 400 in the API's error
format (never a 500) and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from integrations.webhooks import services
from integrations.webhooks.models import Delivery, Endpoint
from tests.videos.conftest import api_for

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
HUGE = 10**30
LONG = "x" * 10000


def short(value) -> str:
    """A test id that names the input without printing ten thousand characters."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}…({len(text)} chars)"


def _snapshot() -> list[tuple]:
    fields = ("pk", "url", "description", "event_types", "headers_json", "status", "secret")
    endpoints = Endpoint.objects.order_by("pk").values_list(*fields)
    return [*endpoints, ("deliveries", Delivery.objects.count())]


@pytest.fixture
def endpoint(workspace, owner, receiver):
    return services.endpoint_create(
        workspace=workspace, actor=owner, url=receiver.url, description="CRM"
    )


CREATE = [
    {"url": 5},
    {"url": HUGE},
    {"url": ["https://example.com/hook"]},
    {"url": {"href": "https://example.com/hook"}},
    {"url": None},
    {"url": True},
    {"url": "https://exa\x00mple.com/hook"},
    {"url": "https://example.com/" + LONG},
    {"url": LONG},
    {"description": 5},
    {"description": NUL},
    {"description": LONG},
    {"description": ["x"]},
    {"event_types": "video.created"},
    {"event_types": {"video.created": True}},
    {"event_types": [5]},
    {"event_types": [["video.created"]]},
    {"event_types": [NUL]},
    {"event_types": [LONG]},
    {"event_types": ["video.created"] * 1000},
    {"event_types": 5},
    {"headers": "X-Token: 1"},
    {"headers": ["X-Token", "1"]},
    {"headers": {"X-Token": 5}},
    {"headers": {"X-Token": ["1"]}},
    {"headers": {"X-Token": {"a": 1}}},
    {"headers": {"X-Token": NUL}},
    {"headers": {"X-Token": "a\r\nX-Evil: 1"}},
    {"headers": {NUL: "1"}},
    {"headers": {"Bad Name": "1"}},
    {"headers": {"X-Token": LONG}},
    {"headers": {f"X-H{n}": "1" for n in range(11)}},
    {"workspace": HUGE},
    {"workspace": LONG},
    {"workspace": [1]},
    {"workspace": {"id": 1}},
    {"workspace": "1\x00"},
    {"workspace": 1.5},
    {"workspace": True},
    {"workspace": -1},
    {"workspace": None},
]


@pytest.mark.parametrize("change", CREATE, ids=short)
def test_hostile_input_to_create_is_a_400(owner, workspace, endpoint, receiver, change):
    before = _snapshot()
    body = {"workspace": workspace.pk, "url": receiver.url, **change}

    response = api_for(owner).post("/api/v1/webhooks/", body, "json")

    assert response.status_code == 400, response.content
    assert set(response.json()["error"]) >= {"code", "message"}
    assert _snapshot() == before


PATCH = [
    change for change in CREATE if "workspace" not in change and change != {"description": ["x"]}
] + [
    {"description": ["x"]},
    {"status": "deleted"},
    {"status": 5},
    {"status": ["active"]},
    {"status": NUL},
    {"status": None},
    {"event_types": None},
    {"headers": None},
    {"description": None},
]


@pytest.mark.parametrize("change", PATCH, ids=short)
def test_hostile_input_to_patch_is_a_400(owner, endpoint, change):
    before = _snapshot()

    response = api_for(owner).patch(f"/api/v1/webhooks/{endpoint.pk}/", change, "json")

    assert response.status_code == 400, response.content
    assert set(response.json()["error"]) >= {"code", "message"}
    assert _snapshot() == before


SINCE = [
    {"a": 1},
    [1],
    5,
    True,
    None,
    LONG,
    NUL,
    "2024-01-01T00:00:00\x00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59Z",
    "1970-01-01T00:00:00Z",
    "yesterday",
]


@pytest.mark.parametrize("since", SINCE, ids=short)
def test_hostile_since_is_a_400(owner, endpoint, since):
    before = _snapshot()

    response = api_for(owner).post(
        f"/api/v1/webhooks/{endpoint.pk}/recover/", {"since": since}, "json"
    )

    assert response.status_code == 400, response.content
    assert _snapshot() == before


def test_since_in_the_future_is_a_400(owner, endpoint):
    since = timezone.now() + dt.timedelta(minutes=5)

    response = api_for(owner).post(
        f"/api/v1/webhooks/{endpoint.pk}/recover/", {"since": since.isoformat()}, "json"
    )

    assert response.status_code == 400


HOOK = [
    {"target_url": 5},
    {"target_url": NUL},
    {"target_url": ["https://example.com/zap"]},
    {"target_url": None},
    {"event": 5},
    {"event": ["video.created"]},
    {"event": {"key": "video.created"}},
    {"event": NUL},
    {"event": LONG},
    {"event": "video.exploded"},
    {"event": None},
    {"workspace": HUGE},
    {"workspace": LONG},
    {"workspace": [1]},
    {"workspace": "1\x00"},
]


@pytest.mark.parametrize("change", HOOK, ids=short)
def test_hostile_input_to_subscribe_is_a_400(owner, workspace, endpoint, receiver, change):
    before = _snapshot()
    body = {"workspace": workspace.pk, "target_url": receiver.url, "event": "video.created"}

    response = api_for(owner).post("/api/v1/hooks/", {**body, **change}, "json")

    assert response.status_code == 400, response.content
    assert _snapshot() == before


@pytest.mark.parametrize("body", [[1, 2], "text", 5], ids=short)
def test_a_body_that_is_not_an_object_is_a_400(owner, workspace, endpoint, body):
    before = _snapshot()
    api = api_for(owner)

    responses = [
        api.post("/api/v1/webhooks/", body, "json"),
        api.patch(f"/api/v1/webhooks/{endpoint.pk}/", body, "json"),
        api.post(f"/api/v1/webhooks/{endpoint.pk}/recover/", body, "json"),
        api.post("/api/v1/hooks/", body, "json"),
    ]

    assert [r.status_code for r in responses] == [400] * 4
    assert _snapshot() == before


@pytest.mark.parametrize("workspace_id", [str(HUGE), LONG, "abc", "-1", "1.5"], ids=short)
def test_a_hostile_workspace_in_the_query_is_a_400(owner, endpoint, workspace_id):
    api = api_for(owner)

    assert api.get("/api/v1/webhooks/", {"workspace": workspace_id}).status_code == 400
    assert (
        api.get("/api/v1/hooks/samples/video.created/", {"workspace": workspace_id}).status_code
        == 400
    )


def test_a_malformed_json_body_is_a_400(owner, endpoint):
    response = api_for(owner).generic(
        "PATCH",
        f"/api/v1/webhooks/{endpoint.pk}/",
        b'{"description": "x"',
        content_type="application/json",
    )

    assert response.status_code == 400
