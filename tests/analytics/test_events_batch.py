"""POST /api/v1/events/batch/: idempotent by uuid, per-item refusals, who may send, limits."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.services import api_token_create
from analytics.events import EventName, read, record
from analytics.ingest import MAX_PROPERTIES_BYTES
from analytics.models import Event, EventSource

from .tracking_kit import BROWSER, NOW, browser, set_clock, visitor_id

URL = "/api/v1/events/batch/"


@pytest.fixture
def clock(monkeypatch):
    return set_clock(monkeypatch)


@pytest.fixture
def api(owner) -> APIClient:
    _token, key = api_token_create(user=owner, name="integration")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def item(name: str = "editor.opened", **fields) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "name": name,
        "occurred_at": (NOW - dt.timedelta(minutes=1)).isoformat(),
        "properties": {"button": "save"},
        **fields,
    }


def send(client, payload, **headers):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post(URL, body, content_type="application/json", **headers)


def client_events():
    return Event.objects.filter(source=EventSource.CLIENT)


# -- storing ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_batch_is_stored_as_client_events_of_the_sender(clock, api, owner):
    items = [item(), item("export:clicked", anonymous_id="visitor-7"), item("x")]
    response = send(api, {"events": items})
    assert response.status_code == 200
    assert response.json() == {"accepted": 3, "duplicates": 0, "errors": []}
    stored = {str(e.id): e for e in client_events()}
    assert set(stored) == {i["uuid"] for i in items}
    first = stored[items[0]["uuid"]]
    assert (first.name, first.actor, first.properties) == (
        "editor.opened",
        owner,
        {"button": "save"},
    )
    assert first.occurred_at == NOW - dt.timedelta(minutes=1)
    assert first.recorded_at == NOW
    assert stored[items[1]["uuid"]].anonymous_id == "visitor-7"


@pytest.mark.django_db
def test_the_same_uuid_is_stored_once(clock, api):
    items = [item(), item()]
    assert send(api, {"events": items}).json()["accepted"] == 2
    again = send(api, {"events": [*items, item()]}).json()
    assert again == {"accepted": 1, "duplicates": 2, "errors": []}
    assert client_events().count() == 3


@pytest.mark.django_db
def test_a_uuid_repeated_in_one_batch_is_a_duplicate(clock, api):
    twice = item()
    assert send(api, {"events": [twice, dict(twice, name="other")]}).json() == {
        "accepted": 1,
        "duplicates": 1,
        "errors": [],
    }
    assert client_events().get().name == "editor.opened"


@pytest.mark.django_db
def test_a_uuid_of_a_server_event_does_not_touch_it(clock, api):
    server = record(EventName.VIDEO_CREATED, properties={"template": "promo"})
    response = send(api, {"events": [item(uuid=str(server.pk))]})
    assert response.json()["duplicates"] == 1
    server.refresh_from_db()
    assert (server.name, server.source, server.properties) == (
        "video.created",
        EventSource.SERVER,
        {"template": "promo"},
    )


@pytest.mark.django_db
def test_consumers_read_server_events_only_unless_they_ask(clock, api):
    server = record(EventName.VIDEO_CREATED)
    send(api, {"events": [item("video.created.preview")]})
    assert list(read(names=["video.created", "video.created.preview"])) == [server]
    assert [e.name for e in read(source=EventSource.CLIENT)] == ["video.created.preview"]
    assert read(source=None).count() == read().count() + 1


@pytest.mark.django_db
def test_an_empty_batch_is_fine(clock, api):
    assert send(api, {"events": []}).json() == {"accepted": 0, "duplicates": 0, "errors": []}


# -- per-item refusals --------------------------------------------------------------------------


def nested(levels: int) -> dict:
    """An object `levels` deep, counting itself."""
    value: dict = {"leaf": 1}
    for _ in range(levels - 1):
        value = {"child": value}
    return value


DEEP = nested(11)
BAD_ITEMS = {
    "not an object": (["a list"], "invalid"),
    "no uuid": ({"uuid": None}, "invalid_uuid"),
    "bad uuid": ({"uuid": "123"}, "invalid_uuid"),
    "uuid not text": ({"uuid": 12345}, "invalid_uuid"),
    "long uuid": ({"uuid": "a" * 5000}, "invalid_uuid"),
    "no name": ({"name": None}, "invalid_name"),
    "name with spaces": ({"name": "clicked the button"}, "invalid_name"),
    "name starts with a digit": ({"name": "1clicked"}, "invalid_name"),
    "name too long": ({"name": "a" * 101}, "invalid_name"),
    "name with a NUL": ({"name": "a\x00b"}, "invalid_name"),
    "name not text": ({"name": ["video.created"]}, "invalid_name"),
    "reserved name": ({"name": "payment.succeeded"}, "reserved_name"),
    "reserved name in capitals": ({"name": "User.Signed_Up"}, "reserved_name"),
    "no time": ({"occurred_at": None}, "invalid_time"),
    "garbage time": ({"occurred_at": "yesterday"}, "invalid_time"),
    "time without zone": ({"occurred_at": "2026-03-10T11:00:00"}, "invalid_time"),
    "impossible date": ({"occurred_at": "2026-13-45T11:00:00Z"}, "invalid_time"),
    "time as a number": ({"occurred_at": 1773140400}, "invalid_time"),
    "far future": ({"occurred_at": "9999-12-31T23:59:59Z"}, "future"),
    "just beyond the skew": ({"occurred_at": "2026-03-10T12:05:01Z"}, "future"),
    "31 days old": ({"occurred_at": "2026-02-07T11:59:59Z"}, "too_old"),
    "year one": ({"occurred_at": "0001-01-01T00:00:00+05:00"}, "too_old"),
    "properties a list": ({"properties": [1, 2]}, "invalid_properties"),
    "properties null": ({"properties": None}, "invalid_properties"),
    "properties text": ({"properties": "{}"}, "invalid_properties"),
    "properties too big": (
        {"properties": {"t": "x" * MAX_PROPERTIES_BYTES}},
        "properties_too_large",
    ),
    "properties too deep": ({"properties": DEEP}, "properties_too_deep"),
    "NUL in a value": ({"properties": {"a": ["ok", "b\x00"]}}, "null_characters"),
    "NUL in a key": ({"properties": {"a\x00": 1}}, "null_characters"),
    "bad anonymous id": ({"anonymous_id": "has spaces"}, "invalid_anonymous_id"),
    "anonymous id not text": ({"anonymous_id": 7}, "invalid_anonymous_id"),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "code"), BAD_ITEMS.values(), ids=list(BAD_ITEMS))
def test_a_bad_item_is_refused_alone_with_its_index_and_a_reason(clock, api, change, code):
    good = [item(), item()]
    bad = change if isinstance(change, list) else {**item(), **change}
    response = send(api, {"events": [good[0], bad, good[1]]})
    assert response.status_code == 200
    body = response.json()
    assert (body["accepted"], body["duplicates"]) == (2, 0)
    (error,) = body["errors"]
    assert (error["index"], error["code"]) == (1, code)
    shown = bad.get("uuid") if isinstance(bad, dict) else None
    assert error["uuid"] == (shown[:64] if isinstance(shown, str) else None)
    assert error["message"]
    assert {str(pk) for pk in client_events().values_list("pk", flat=True)} == {
        g["uuid"] for g in good
    }


@pytest.mark.django_db
def test_ten_levels_are_allowed(clock, api):
    assert send(api, {"events": [item(properties=nested(10))]}).json()["accepted"] == 1
    assert (
        send(api, {"events": [item(properties={"l": [[[[[[[[[1]]]]]]]]]})]}).json()["accepted"] == 1
    )


@pytest.mark.django_db
def test_an_infinite_number_is_refused(clock, api):
    body = json.dumps({"events": [item()]}).replace('"save"', "1e999")
    error = send(api, body).json()["errors"][0]
    assert error["code"] == "invalid_number"
    assert not client_events().exists()


@pytest.mark.django_db
def test_big_finite_numbers_are_kept(clock, api):
    properties = {"big": 10**300, "float": 1.5e308, "negative": -(10**40)}
    assert send(api, {"events": [item(properties=properties)]}).json()["accepted"] == 1
    stored = client_events().get().properties
    assert (stored["big"], stored["negative"]) == (10**300, -(10**40))
    # PostgreSQL's jsonb writes 1.5e308 out in full digits: the same number, read back as an int.
    assert float(stored["float"]) == 1.5e308


@pytest.mark.django_db
def test_the_edges_of_the_time_window_are_accepted(clock, api):
    items = [
        item(occurred_at="2026-03-10T12:05:00Z"),  # five minutes ahead: a clock a bit fast
        item(occurred_at="2026-02-08T12:00:00+00:00"),  # exactly 30 days
        item(occurred_at="2026-03-10T21:00:00+09:00"),  # any zone, stored in UTC
    ]
    assert send(api, {"events": items}).json()["accepted"] == 3
    stored = client_events().get(pk=items[2]["uuid"])
    assert stored.occurred_at == dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_missing_properties_are_empty(clock, api):
    bare = item()
    del bare["properties"]
    assert send(api, {"events": [bare]}).json()["accepted"] == 1
    assert client_events().get().properties == {}


@pytest.mark.django_db
def test_refusals_are_in_the_senders_language(clock, api):
    bad = item("video.created")
    english = send(api, {"events": [bad]}).json()["errors"][0]["message"]
    assert english == "This name is reserved for events recorded by Video Creator."
    german = send(api, {"events": [bad]}, HTTP_ACCEPT_LANGUAGE="de").json()["errors"][0]
    assert german["code"] == "reserved_name"  # the message follows the de catalog


# -- whole-request refusals ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"events": [item() for _ in range(501)]},
        {"events": {"0": item()}},
        {"events": "[]"},
        {"events": None},
        {"other": []},
        [item()],
        "null",
        "7",
        "{not json",
        '{"events": [' + "[" * 2000 + "]" * 2000 + "]}",  # deep: refused before parsing
        '{"events": [{"uuid": ' + "9" * 5000 + "}]}",  # an integer Python will not read
        '{"events": [{"properties": {"n": NaN}}]}',
        b'{"events": [\xff]}',
    ],
    ids=lambda body: str(body)[:30],
)
def test_a_bad_request_is_a_400_in_the_api_error_shape(clock, api, body):
    response = send(api, body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] and error["message"]
    assert not client_events().exists()


@pytest.mark.django_db
def test_501_events_name_the_limit(clock, api):
    error = send(api, {"events": [item() for _ in range(501)]}).json()["error"]
    assert error == {
        "code": "too_many_events",
        "message": "At most 500 events may be sent at once.",
    }


@pytest.mark.django_db
def test_500_events_are_fine(clock, api):
    assert send(api, {"events": [item() for _ in range(500)]}).json()["accepted"] == 500


@pytest.mark.django_db
def test_only_json(clock, api):
    response = api.post(URL, {"events": "x"}, format="multipart")
    assert response.status_code == 415


# -- who may send -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_nobody_without_a_token_session_or_visitor_cookie(clock):
    response = send(Client(HTTP_USER_AGENT=BROWSER), {"events": [item()]})
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_a_wrong_token_is_refused(clock):
    response = send(Client(), {"events": [item()]}, HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_signed_in_browser_needs_the_csrf_token(clock, owner):
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)
    client.force_login(owner)
    client.get("/dashboard/")  # a page: the visitor cookie and the CSRF cookie
    assert send(client, {"events": [item()]}).status_code == 403
    token = client.cookies["csrftoken"].value
    response = send(client, {"events": [item()]}, HTTP_X_CSRFTOKEN=token)
    assert response.json()["accepted"] == 1
    stored = client_events().get()
    assert (stored.actor, stored.anonymous_id) == (owner, visitor_id(client))


@pytest.mark.django_db
def test_an_anonymous_visitor_sends_under_their_own_id(clock):
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)
    client.get("/")
    vid = visitor_id(client)
    assert send(client, {"events": [item()]}).status_code == 403  # CSRF here too
    token = client.cookies["csrftoken"].value
    mine, theirs = item(), item(anonymous_id=str(uuid.uuid4()))
    body = send(client, {"events": [mine, item(anonymous_id=vid), theirs]}, HTTP_X_CSRFTOKEN=token)
    assert body.json()["accepted"] == 2
    assert body.json()["errors"][0]["code"] == "anonymous_id_mismatch"
    assert set(client_events().values_list("anonymous_id", "actor")) == {(vid, None)}


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{"HTTP_DNT": "1"}, {"HTTP_SEC_GPC": "1"}])
def test_a_visitor_who_opted_out_cannot_send(clock, headers):
    client = browser()
    client.get("/")
    assert visitor_id(client)
    assert send(client, {"events": [item()]}, **headers).status_code in (401, 403)
    assert not client_events().exists()


@pytest.mark.django_db
def test_a_visitor_who_declined_cannot_send(clock):
    client = browser()
    client.get("/")
    client.cookies["vc_consent"] = "declined"
    assert send(client, {"events": [item()]}).status_code in (401, 403)


@pytest.mark.django_db
def test_a_signed_in_browser_that_opted_out_sends_without_a_visitor_id(clock, owner):
    client = browser()
    client.get("/")
    client.force_login(owner)
    assert send(client, {"events": [item()]}, HTTP_DNT="1").json()["accepted"] == 1
    assert (client_events().get().anonymous_id, client_events().get().actor) == ("", owner)


# -- limits -------------------------------------------------------------------------------------


@pytest.fixture
def tight_limits(settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]}
    rates.update(events_sender="2/min", events_visitor="2/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


@pytest.mark.django_db
def test_a_token_is_limited_and_told_when_to_come_back(clock, owner, api, tight_limits):
    codes = [send(api, {"events": [item()]}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    response = send(api, {"events": [item()]})
    assert int(response["Retry-After"]) > 0
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["message"].startswith("Too many events were sent. Try again in ")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=owner, name='b')[1]}")
    assert send(other, {"events": [item()]}).status_code == 200  # each token on its own


@pytest.mark.django_db
def test_a_visitor_is_limited(clock, tight_limits):
    first, second = browser(), browser()
    first.get("/")
    second.get("/")
    codes = [send(first, {"events": [item()]}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert send(second, {"events": [item()]}).status_code == 200


# -- cost ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 60])
def test_a_batch_costs_the_same_queries_whatever_its_size(
    clock, api, size, django_assert_max_num_queries
):
    items = [item() for _ in range(size)]
    # the token, its last use, the ids already stored, the INSERT
    with django_assert_max_num_queries(4):
        assert send(api, {"events": items}).json()["accepted"] == size
