"""A browser's history becomes its person's at sign-up and at each sign-in; first and latest
touch; the visitor id outlives signing out."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from accounts.models import User
from analytics.events import EventName, record
from analytics.models import Event, EventSource, PageView, UserTouch, Visitor
from analytics.tracking import visitor_link_user
from tests.factories import DEFAULT_PASSWORD

from .tracking_kit import NOW, browser, set_clock, visitor_id

HOME = "/"
PRICING = "/billing/pricing/"
SIGNUP = {
    "email": "new@example.com",
    "password1": "a-long-Secret-42",
    "password2": "a-long-Secret-42",
}
BATCH = "/api/v1/events/batch/"


@pytest.fixture
def clock(monkeypatch):
    return set_clock(monkeypatch)


def _client_event(client, name: str = "pricing.viewed") -> str:
    event_id = str(uuid.uuid4())
    item = {"uuid": event_id, "name": name, "occurred_at": NOW.isoformat(), "properties": {}}
    response = client.post(BATCH, {"events": [item]}, content_type="application/json")
    assert response.json()["accepted"] == 1
    return event_id


def _sign_in(client, user) -> None:
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_sign_up_gives_the_visitor_and_its_history_to_the_new_user(clock):
    client = browser()
    client.get(PRICING + "?utm_source=google&utm_medium=cpc&utm_campaign=launch",
               HTTP_REFERER="https://www.google.com/search?q=video")  # fmt: skip
    clock.advance(minutes=5)
    client.get(HOME)
    vid = visitor_id(client)
    event_id = _client_event(client)
    server_event = record(EventName.CHECKOUT_STARTED, anonymous_id=vid)
    assert client.post(reverse("account_signup"), SIGNUP).status_code == 302

    user = User.objects.get(email=SIGNUP["email"])
    assert Visitor.objects.get(pk=vid).user == user
    assert set(PageView.objects.values_list("user", flat=True)) == {user.pk}
    assert Event.objects.get(pk=event_id).actor == user
    server_event.refresh_from_db()
    assert server_event.actor == user


@pytest.mark.django_db
def test_sign_up_stores_the_first_and_latest_touch(clock):
    client = browser()
    client.get(HOME + "?utm_source=google&utm_medium=cpc&utm_campaign=launch&utm_term=maker"
               "&utm_content=ad1", HTTP_REFERER="https://www.google.com/search")  # fmt: skip
    clock.advance(days=2)
    client.get(PRICING)  # direct: not a touch
    clock.advance(days=1)
    client.get(PRICING + "?utm_source=newsletter&utm_medium=email&utm_campaign=march")
    clock.advance(minutes=1)
    client.post(reverse("account_signup"), SIGNUP)

    touch = UserTouch.objects.get(user__email=SIGNUP["email"])
    parts = ("source", "medium", "campaign", "term", "content", "referrer", "landing_path", "at")
    first = tuple(getattr(touch, f"first_{part}") for part in parts)
    assert first == ("google", "cpc", "launch", "maker", "ad1", "www.google.com/search", HOME, NOW)
    latest = tuple(getattr(touch, f"latest_{part}") for part in parts)
    march = NOW + dt.timedelta(days=3)
    assert latest == ("newsletter", "email", "march", "", "", "", PRICING, march)


@pytest.mark.django_db
def test_a_direct_visitor_has_their_landing_page_as_both_touches(clock):
    client = browser()
    client.get(PRICING)
    client.post(reverse("account_signup"), SIGNUP)
    touch = UserTouch.objects.get(user__email=SIGNUP["email"])
    assert (touch.first_landing_path, touch.latest_landing_path) == (PRICING, PRICING)
    assert (touch.first_source, touch.latest_source, touch.first_at) == ("", "", NOW)


@pytest.mark.django_db
def test_sign_in_gives_the_earlier_page_views_and_events_to_the_user(clock, owner):
    client = browser()
    client.get(HOME + "?utm_source=newsletter")
    event_id = _client_event(client)
    _sign_in(client, owner)
    vid = visitor_id(client)
    assert Visitor.objects.get(pk=vid).user == owner
    assert PageView.objects.get().user == owner
    assert Event.objects.get(pk=event_id).actor == owner
    # Created at this sign-in: there was no tracking when they signed up.
    assert UserTouch.objects.get(user=owner).first_source == "newsletter"


@pytest.mark.django_db
def test_a_sign_in_from_a_new_utm_landing_moves_the_latest_touch_only(clock, owner):
    client = browser()
    client.get(HOME + "?utm_source=google&utm_campaign=brand")
    _sign_in(client, owner)
    client.post(reverse("account_logout"))
    clock.advance(days=10)
    client.get(PRICING + "?utm_source=newsletter&utm_campaign=april")
    _sign_in(client, owner)
    touch = UserTouch.objects.get(user=owner)
    assert (touch.first_source, touch.first_campaign, touch.first_at) == ("google", "brand", NOW)
    assert (touch.latest_source, touch.latest_campaign) == ("newsletter", "april")
    assert touch.latest_at == NOW + dt.timedelta(days=10)


@pytest.mark.django_db
def test_a_sign_in_without_a_new_landing_keeps_the_latest_touch(clock, owner):
    client = browser()
    client.get(HOME + "?utm_source=google")
    _sign_in(client, owner)
    client.post(reverse("account_logout"))
    clock.advance(days=1)
    client.get(PRICING)
    _sign_in(client, owner)
    touch = UserTouch.objects.get(user=owner)
    assert (touch.latest_source, touch.latest_at) == ("google", NOW)


@pytest.mark.django_db
def test_several_browsers_belong_to_one_person(clock, owner):
    laptop, phone = browser(), browser()
    laptop.get(HOME)
    phone.get(PRICING)
    _sign_in(laptop, owner)
    _sign_in(phone, owner)
    assert set(Visitor.objects.values_list("user", flat=True)) == {owner.pk}
    assert Visitor.objects.count() == 2
    assert set(PageView.objects.values_list("user", flat=True)) == {owner.pk}


@pytest.mark.django_db
def test_what_another_person_did_on_a_shared_browser_stays_theirs(clock, owner, outsider):
    client = browser()
    _sign_in(client, owner)
    client.get("/dashboard/")  # the owner's, signed in
    client.post(reverse("account_logout"))
    client.get(PRICING)  # anonymous, then the outsider signs in
    _sign_in(client, outsider)
    by_path = dict(PageView.objects.values_list("path", "user"))
    assert by_path == {"/dashboard/": owner.pk, PRICING: outsider.pk}
    assert Visitor.objects.get().user == outsider


@pytest.mark.django_db
def test_signing_out_keeps_the_visitor_id(clock, owner):
    client = browser()
    client.get(HOME)
    vid = visitor_id(client)
    _sign_in(client, owner)
    response = client.post(reverse("account_logout"))
    assert "vc_vid" not in response.cookies  # neither deleted nor replaced
    client.get(PRICING)
    assert visitor_id(client) == vid
    assert PageView.objects.order_by("at", "pk").last().anonymous_id == vid


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["HTTP_DNT", "HTTP_SEC_GPC"])
def test_no_link_without_consent(clock, owner, header):
    client = browser()
    client.get(HOME)
    vid = visitor_id(client)
    response = client.post(
        reverse("account_login"),
        {"login": owner.email, "password": DEFAULT_PASSWORD},
        **{header: "1"},
    )
    assert response.status_code == 302
    assert Visitor.objects.get(pk=vid).user is None
    assert PageView.objects.get().user is None
    assert not UserTouch.objects.exists()


@pytest.mark.django_db
def test_a_sign_in_without_a_visitor_cookie_links_nothing(clock, owner):
    _sign_in(browser(), owner)
    assert not Visitor.objects.exists()
    assert not UserTouch.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("views", [3, 30])
def test_linking_costs_the_same_whatever_the_history(
    clock, owner, views, django_assert_max_num_queries
):
    vid = str(uuid.uuid4())
    PageView.objects.bulk_create(
        PageView(anonymous_id=vid, path=f"/p{n}/", at=NOW - dt.timedelta(minutes=n), is_touch=True)
        for n in range(views)
    )
    Event.objects.bulk_create(
        Event(name="clicked", anonymous_id=vid, source=EventSource.CLIENT) for _ in range(views)
    )
    # upsert, two UPDATEs, three reads, the touch INSERT, and their savepoints
    with django_assert_max_num_queries(11):
        assert visitor_link_user(visitor_id=vid, user=owner) == 2 * views
    assert UserTouch.objects.get(user=owner).first_landing_path == f"/p{views - 1}/"
