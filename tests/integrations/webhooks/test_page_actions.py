"""The actions on a webhook endpoint's page: each works for owners and admins, is refused (403)
to editors and viewers and not found (404) by outsiders, and a refused or bad request changes
nothing."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.webhooks import catalogue, fanout, sending, services
from integrations.webhooks.models import (
    Delivery,
    DeliveryStatus,
    DisabledReason,
    Endpoint,
    EndpointStatus,
)
from tests.conftest import client_for, client_in

from .conftest import make_videos

pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://93.184.215.14/hook"
ACTIONS = {
    "webhooks:edit": {"url": "https://93.184.215.14/other", "description": "changed"},
    "webhooks:test": {},
    "webhooks:resend": {},
    "webhooks:recover": {"since": "2020-01-01T00:00"},
    "webhooks:pause": {},
    "webhooks:resume": {},
    "webhooks:disable": {},
    "webhooks:rotate": {},
    "webhooks:secret": {},
    "webhooks:delete": {},
}


@pytest.fixture
def endpoint(workspace, owner) -> Endpoint:
    return services.endpoint_create(workspace=workspace, actor=owner, url=PUBLIC_URL)


def _url(name: str, endpoint: Endpoint, delivery: Delivery | None = None) -> str:
    if name == "webhooks:resend":
        return reverse(name, args=[endpoint.pk, delivery.pk])
    return reverse(name, args=[endpoint.pk])


def _state() -> tuple:
    return (
        list(Endpoint.objects.order_by("pk").values()),
        list(Delivery.objects.order_by("pk").values("pk", "status", "next_attempt_at")),
    )


def _messages(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_editors_and_viewers_are_refused_and_outsiders_find_nothing(
    name, cast, workspace, owner, endpoint
):
    delivery = services.endpoint_send_test(endpoint=endpoint, actor=owner)
    before = _state()
    for role, expected in [("editor", 403), ("viewer", 403), ("outsider", 404)]:
        client = client_in(cast[role], workspace) if role != "outsider" else client_for(cast[role])
        response = client.post(_url(name, endpoint, delivery), ACTIONS[name])
        assert response.status_code == expected, f"{name} as {role}"
    assert _state() == before


def test_only_owners_and_admins_add_endpoints(cast, workspace):
    data = {"url": PUBLIC_URL}
    url = f"{reverse('webhooks:list')}?workspace={workspace.pk}"
    for role, expected in [("editor", 403), ("viewer", 403), ("outsider", 404)]:
        assert client_for(cast[role]).post(url, data).status_code == expected, role
    assert not Endpoint.objects.exists()
    assert client_for(cast["admin"]).post(url, data).status_code == 302
    assert Endpoint.objects.get().created_by == cast["admin"]


def test_an_admin_edits_the_settings(workspace, admin_user, endpoint):
    client = client_in(admin_user, workspace)
    url = reverse("webhooks:edit", args=[endpoint.pk])
    assert PUBLIC_URL in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "url": "https://93.184.215.14/v2",
            "description": "Billing sync",
            "event_types": ["payment.succeeded"],
            "headers": "X-Api-Key: s3cret",
        },
        follow=True,
    )

    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.description) == ("https://93.184.215.14/v2", "Billing sync")
    assert endpoint.event_types == ["payment.succeeded"]
    assert "s3cret" in endpoint.headers_json
    assert "Endpoint saved." in _messages(response)
    refused = client.post(url, {"url": "https://93.184.215.14/v3", "headers": "Host: evil"})
    assert refused.status_code == 400
    assert "cannot be replaced" in _messages(refused)
    endpoint.refresh_from_db()
    assert endpoint.url == "https://93.184.215.14/v2"


def test_pause_resume_disable_and_enable_again(workspace, owner, endpoint):
    client = client_in(owner, workspace)

    def post(name: str) -> str:
        return _messages(client.post(reverse(name, args=[endpoint.pk]), follow=True))

    assert "Endpoint paused." in post("webhooks:pause")
    endpoint.refresh_from_db()
    assert endpoint.status == EndpointStatus.PAUSED
    assert "Endpoint active." in post("webhooks:resume")
    endpoint.refresh_from_db()
    assert endpoint.status == EndpointStatus.ACTIVE
    assert "Endpoint disabled" in post("webhooks:disable")
    endpoint.refresh_from_db()
    assert (endpoint.status, endpoint.disabled_reason) == ("disabled", DisabledReason.BY_USER)
    page = post("webhooks:resume")
    endpoint.refresh_from_db()
    assert endpoint.status == EndpointStatus.ACTIVE and endpoint.disabled_reason == ""
    assert "Endpoint active." in page


def test_a_test_event_reaches_the_receiver(
    workspace, owner, receiver, django_capture_on_commit_callbacks
):
    endpoint = services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url)
    client = client_in(owner, workspace)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhooks:test", args=[endpoint.pk]))

    assert response.status_code == 302
    assert [p["type"] for p in receiver.payloads()] == [catalogue.TEST_EVENT_TYPE]
    assert endpoint.deliveries.get().status == DeliveryStatus.SUCCEEDED
    page = _messages(client.get(response["Location"]))
    assert "A test event is on its way" in page
    assert 'data-status="succeeded"' in page


def test_a_paused_endpoint_gets_no_test_event_and_says_why(workspace, owner, endpoint):
    services.endpoint_set_status(endpoint=endpoint, actor=owner, status=EndpointStatus.PAUSED)
    response = client_in(owner, workspace).post(
        reverse("webhooks:test", args=[endpoint.pk]), follow=True
    )
    assert "Resume or enable the endpoint before sending a test event." in _messages(response)
    assert not endpoint.deliveries.exists()


def test_resend_tries_a_delivery_again_now(
    clock, workspace, owner, receiver, django_capture_on_commit_callbacks
):
    endpoint = services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url)
    clock.advance(seconds=1)
    make_videos(workspace, owner, 1)
    fanout.fan_out()
    receiver.status = [500, 200]
    sending.send_due()
    delivery = endpoint.deliveries.get()
    assert delivery.status == DeliveryStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = client_in(owner, workspace).post(
            reverse("webhooks:resend", args=[endpoint.pk, delivery.pk]), follow=True
        )

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 2)
    assert f"Delivery {delivery.message_id} is being sent again." in _messages(response)


def _failed_delivery(clock, workspace, owner, receiver) -> tuple[Endpoint, dt.datetime]:
    """An endpoint, enabled again, with one delivery that failed when it was disabled."""
    endpoint = services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url)
    clock.advance(seconds=1)
    made_at = clock.now
    make_videos(workspace, owner, 1)
    fanout.fan_out()
    services.endpoint_set_status(endpoint=endpoint, actor=owner, status=EndpointStatus.DISABLED)
    services.endpoint_set_status(endpoint=endpoint, actor=owner, status=EndpointStatus.ACTIVE)
    assert endpoint.deliveries.get().status == DeliveryStatus.FAILED
    clock.advance(hours=2)
    return endpoint, made_at


def _tokyo_wall_clock(moment: dt.datetime) -> str:
    return timezone.localtime(moment, timezone=dt.timezone(dt.timedelta(hours=9))).strftime(
        "%Y-%m-%dT%H:%M"
    )


def test_recover_reads_the_time_on_the_readers_wall_clock(
    clock, workspace, owner, receiver, django_capture_on_commit_callbacks
):
    owner.profile.time_zone = "Asia/Tokyo"  # UTC+9: read as UTC, the time would be ahead
    owner.profile.save()
    endpoint, made_at = _failed_delivery(clock, workspace, owner, receiver)
    client = client_in(owner, workspace)
    url = reverse("webhooks:recover", args=[endpoint.pk])

    after = {"since": _tokyo_wall_clock(made_at + dt.timedelta(minutes=1))}
    before = {"since": _tokyo_wall_clock(made_at - dt.timedelta(minutes=1))}

    assert "nothing to recover" in _messages(client.post(url, after, follow=True))
    with django_capture_on_commit_callbacks(execute=True):
        page = _messages(client.post(url, before, follow=True))
    assert "1 failed delivery is being sent again." in page
    assert endpoint.deliveries.get().status == DeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 1


@pytest.mark.parametrize(
    ("since", "error"),
    [
        ("99999-01-01T00:00", "Enter a date and a time"),
        ("2026-02-30T10:00", "Enter a date and a time"),
        ("", "Enter a date and a time"),
        ("2026-01-01T10:00\x00", "Null characters are not allowed."),
        ("0001-01-01T00:00", "for the last 14 days"),
        ("9999-12-31T23:59", "Choose a time in the past."),
    ],
)
def test_recover_refuses_a_bad_time_on_the_page(clock, workspace, owner, receiver, since, error):
    endpoint, _made_at = _failed_delivery(clock, workspace, owner, receiver)
    before = _state()

    response = client_in(owner, workspace).post(
        reverse("webhooks:recover", args=[endpoint.pk]), {"since": since}
    )

    assert response.status_code == 400
    assert error in _messages(response)
    assert 'id="id_since_error"' in response.content.decode()
    assert _state() == before


def test_rotating_shows_the_new_secret_once_and_the_old_one_signs_for_a_day(
    clock, workspace, admin_user, endpoint
):
    old = endpoint.secret
    client = client_in(admin_user, workspace)

    response = client.post(reverse("webhooks:rotate", args=[endpoint.pk]), follow=True)

    endpoint.refresh_from_db()
    page = _messages(response)
    assert endpoint.secret != old and endpoint.previous_secret == old
    assert endpoint.previous_secret_expires_at == clock.now + dt.timedelta(hours=24)
    assert endpoint.secret in page and old not in page
    assert "keeps signing beside it for 24 hours" in page
    assert endpoint.secret not in _messages(client.get(response.redirect_chain[-1][0]))


def test_an_admin_reveals_the_secret_again(workspace, admin_user, endpoint):
    client = client_in(admin_user, workspace)
    page_url = reverse("webhooks:endpoint", args=[endpoint.pk])
    assert endpoint.secret not in _messages(client.get(page_url))

    response = client.post(reverse("webhooks:secret", args=[endpoint.pk]), follow=True)

    assert endpoint.secret in _messages(response)
    assert "no-store" in response["Cache-Control"]


def test_delete_removes_the_endpoint_and_its_deliveries(workspace, owner, endpoint):
    services.endpoint_send_test(endpoint=endpoint, actor=owner)

    response = client_in(owner, workspace).post(
        reverse("webhooks:delete", args=[endpoint.pk]), follow=True
    )

    assert not Endpoint.objects.exists() and not Delivery.objects.exists()
    assert f"Endpoint {PUBLIC_URL} deleted." in _messages(response)
    assert response.redirect_chain[-1][0].startswith(reverse("webhooks:list"))
