"""/api/v1/webhooks/{id}/deliveries/ and what acts on deliveries: statistics made from real
deliveries (real events fanned out and POSTed to a local receiver), the list and its filter,
one delivery with its attempts, resend, recover, the test event."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from standardwebhooks import Webhook

from integrations.webhooks import catalogue, fanout, sending, services
from integrations.webhooks.models import Delivery, DeliveryStatus
from tests.videos.conftest import api_error, api_for

from .conftest import make_videos

pytestmark = pytest.mark.django_db


def _url(endpoint, tail: str = "") -> str:
    return f"/api/v1/webhooks/{endpoint.pk}/{tail}"


@pytest.fixture
def endpoint(workspace, owner, receiver):
    return services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url)


def _deliver(workspace, owner, clock, receiver, status: int) -> Delivery:
    """One real event (a new video), fanned out and sent once to a receiver answering `status`."""
    clock.advance(seconds=1)
    make_videos(workspace, owner)
    made = fanout.fan_out()
    assert len(made.deliveries) == 1
    receiver.status = status
    sending.send_due()
    return Delivery.objects.get(pk=made.deliveries[0])


def _fail_for_good(delivery: Delivery, clock) -> Delivery:
    """Every retry, each at the moment it is due, until the delivery has failed."""
    while delivery.status == DeliveryStatus.PENDING:
        clock.now = delivery.next_attempt_at
        sending.send_due()
        delivery.refresh_from_db()
    return delivery


@pytest.fixture
def outcomes(workspace, owner, clock, receiver, endpoint) -> dict[str, Delivery]:
    """Three deliveries to one endpoint: one reached the receiver (200), one failed every
    retry (500 to the end), one failed its first try and waits for the next (500)."""
    succeeded = _deliver(workspace, owner, clock, receiver, 200)
    failed = _fail_for_good(_deliver(workspace, owner, clock, receiver, 500), clock)
    pending = _deliver(workspace, owner, clock, receiver, 500)
    assert [succeeded.status, failed.status, pending.status] == ["succeeded", "failed", "pending"]
    return {"succeeded": succeeded, "failed": failed, "pending": pending}


# -- statistics -----------------------------------------------------------------------------------


def test_the_list_counts_each_endpoints_deliveries(owner, workspace, endpoint, outcomes):
    response = api_for(owner).get("/api/v1/webhooks/", {"workspace": workspace.pk})

    (row,) = response.json()["results"]
    stats = row["stats"]
    assert (stats["succeeded"], stats["failed"], stats["pending"]) == (1, 1, 1)
    assert stats["success_rate"] == 0.5  # 1 ÷ (1 + 1): the pending one is not final
    newest = outcomes["pending"].last_attempt_at
    assert dt.datetime.fromisoformat(stats["last_delivery_at"]) == newest


def test_one_endpoint_shows_the_same_statistics(owner, endpoint, outcomes):
    stats = api_for(owner).get(_url(endpoint)).json()["stats"]

    assert (stats["succeeded"], stats["failed"], stats["pending"]) == (1, 1, 1)
    assert stats["success_rate"] == 0.5


# -- the list -------------------------------------------------------------------------------------


def test_the_deliveries_newest_first_with_what_happened(owner, endpoint, outcomes, receiver):
    response = api_for(owner).get(_url(endpoint, "deliveries/"))

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [
        outcomes[name].message_id for name in ("pending", "failed", "succeeded")
    ]
    failed = rows[1]
    assert failed["status"] == "failed"
    assert failed["attempts"] == sending.MAX_ATTEMPTS
    assert failed["last_status_code"] == 500
    assert failed["last_response"] == "no"
    assert failed["next_attempt_at"] is None and failed["delivered_at"] is None
    assert failed["is_test"] is False
    assert failed["event_type"] == "video.created"
    assert failed["sequence"] == outcomes["failed"].sequence
    assert failed["payload"] == json.loads(outcomes["failed"].body)
    assert failed["payload"]["id"] == failed["id"]
    assert rows[2]["delivered_at"] is not None
    assert rows[0]["next_attempt_at"] is not None
    sent = {payload["id"]: payload for payload in receiver.payloads()}
    assert rows[2]["payload"] == sent[rows[2]["id"]]


@pytest.mark.parametrize("wanted", ["succeeded", "failed", "pending"])
def test_the_list_filters_by_status(owner, endpoint, outcomes, wanted):
    response = api_for(owner).get(_url(endpoint, "deliveries/"), {"status": wanted})

    assert [row["id"] for row in response.json()["results"]] == [outcomes[wanted].message_id]


def test_a_sending_filter_finds_none_here(owner, endpoint, outcomes):
    response = api_for(owner).get(_url(endpoint, "deliveries/"), {"status": "sending"})

    assert response.json()["results"] == []


@pytest.mark.parametrize("wanted", ["done", "SUCCEEDED", "pending,failed", "x" * 10000])
def test_an_unknown_status_filter_is_a_400(owner, endpoint, wanted):
    response = api_for(owner).get(_url(endpoint, "deliveries/"), {"status": wanted})

    assert response.status_code == 400
    error = api_error(response)
    assert "pending, sending, succeeded, failed" in error["fields"]["status"][0]


def test_the_list_is_paginated(owner, endpoint, outcomes):
    body = api_for(owner).get(_url(endpoint, "deliveries/"), {"page_size": 1}).json()

    assert body["count"] == 3 and len(body["results"]) == 1 and body["next"]


@pytest.mark.parametrize(("role", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
def test_only_owners_and_admins_read_deliveries(cast, endpoint, role, status):
    assert api_for(cast[role]).get(_url(endpoint, "deliveries/")).status_code == status


# -- one delivery ---------------------------------------------------------------------------------


def test_one_delivery_with_every_attempt(owner, endpoint, outcomes):
    failed = outcomes["failed"]

    response = api_for(owner).get(_url(endpoint, f"deliveries/{failed.message_id}/"))

    body = response.json()
    assert body["id"] == failed.message_id
    attempts = body["attempt_log"]
    assert [a["number"] for a in attempts] == list(range(1, sending.MAX_ATTEMPTS + 1))
    assert {(a["status_code"], a["succeeded"], a["response"]) for a in attempts} == {
        (500, False, "no")
    }


@pytest.mark.parametrize("form", [lambda d: str(d.pk), lambda d: d.pk.hex])
def test_a_delivery_is_found_by_its_bare_uuid(owner, endpoint, outcomes, form):
    delivery = outcomes["succeeded"]

    response = api_for(owner).get(_url(endpoint, f"deliveries/{form(delivery)}/"))

    assert response.json()["id"] == delivery.message_id


@pytest.mark.parametrize(
    "delivery_id",
    ["msg_xyz", "123", "msg_" + "0" * 32, "MSG_" + "a" * 32, "msg_" + "a" * 33, "evt_" + "a" * 32],
)
def test_any_other_delivery_id_is_not_found(owner, endpoint, outcomes, delivery_id):
    api = api_for(owner)

    assert api.get(_url(endpoint, f"deliveries/{delivery_id}/")).status_code == 404
    assert api.post(_url(endpoint, f"deliveries/{delivery_id}/resend/")).status_code == 404


def test_another_endpoints_delivery_is_not_found(owner, workspace, endpoint, outcomes, receiver):
    other = services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url)
    delivery = outcomes["succeeded"]

    response = api_for(owner).get(_url(other, f"deliveries/{delivery.message_id}/"))

    assert response.status_code == 404


# -- resend, recover, test ------------------------------------------------------------------------


def test_a_resent_delivery_reaches_the_receiver_again_under_its_id(
    owner, endpoint, outcomes, receiver, django_capture_on_commit_callbacks
):
    delivery = outcomes["succeeded"]
    receiver.status = 200

    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(owner).post(_url(endpoint, f"deliveries/{delivery.message_id}/resend/"))

    assert response.status_code == 202
    assert response.json()["id"] == delivery.message_id
    assert receiver.ids().count(delivery.message_id) == 2
    assert receiver.requests[-1].get_data().decode() == delivery.body
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED


def test_resending_to_a_disabled_endpoint_is_refused(owner, endpoint, outcomes):
    services.endpoint_set_status(endpoint=endpoint, actor=owner, status="disabled")
    delivery = outcomes["succeeded"]

    response = api_for(owner).post(_url(endpoint, f"deliveries/{delivery.message_id}/resend/"))

    assert response.status_code == 400
    assert api_error(response)["code"] == "not_active"


def test_recovering_sends_the_failed_deliveries_again(
    owner, endpoint, outcomes, receiver, clock, django_capture_on_commit_callbacks
):
    failed = outcomes["failed"]
    receiver.status = 200
    since = clock.now - dt.timedelta(days=3)

    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(owner).post(
            _url(endpoint, "recover/"), {"since": since.isoformat()}, "json"
        )

    assert response.status_code == 202
    assert response.json() == {"recovered": 1}
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SUCCEEDED
    assert receiver.ids()[-1] == failed.message_id


def test_recovering_only_reaches_back_to_since(owner, endpoint, outcomes, clock):
    since = outcomes["failed"].created_at + dt.timedelta(seconds=1)

    response = api_for(owner).post(_url(endpoint, "recover/"), {"since": since.isoformat()}, "json")

    assert response.json() == {"recovered": 0}


@pytest.mark.parametrize("days", [15, -1])
def test_recovering_further_back_than_14_days_or_from_the_future_is_refused(
    owner, endpoint, outcomes, clock, days
):
    since = clock.now - dt.timedelta(days=days)

    response = api_for(owner).post(_url(endpoint, "recover/"), {"since": since.isoformat()}, "json")

    assert response.status_code == 400
    outcomes["failed"].refresh_from_db()
    assert outcomes["failed"].status == DeliveryStatus.FAILED


def test_a_test_event_reaches_the_receiver_signed(
    owner, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(owner).post(_url(endpoint, "test/"))

    assert response.status_code == 202
    body = response.json()
    assert body["is_test"] is True and body["event_type"] == catalogue.TEST_EVENT_TYPE
    (request,) = receiver.requests
    assert request.headers["webhook-id"] == body["id"]
    payload = Webhook(endpoint.secret).verify(request.get_data(), dict(request.headers))
    assert payload["type"] == catalogue.TEST_EVENT_TYPE
    assert payload == body["payload"]


def test_a_paused_endpoint_gets_no_test_event(owner, endpoint, receiver):
    services.endpoint_set_status(endpoint=endpoint, actor=owner, status="paused")

    response = api_for(owner).post(_url(endpoint, "test/"))

    assert response.status_code == 400
    assert api_error(response)["code"] == "not_active"
    assert not endpoint.deliveries.exists()
