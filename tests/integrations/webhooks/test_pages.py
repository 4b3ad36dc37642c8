"""The webhook pages: the list with statistics from real deliveries, adding an endpoint (its
secret shown once), the endpoint's deliveries and their filter, a delivery's payload and
attempts, the event types' reference, hostile input, and another language. The actions on an
endpoint are in test_page_actions.py."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from integrations.webhooks import catalogue, fanout, sending, services
from integrations.webhooks.models import DeliveryStatus, Endpoint
from tests.conftest import client_in

from .conftest import make_videos

pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://93.184.215.14/hook"


def _row(page: str, endpoint: Endpoint) -> str:
    match = re.search(rf'<tr id="endpoint-{endpoint.pk}">(.*?)</tr>', page, re.S)
    assert match, f"no row for endpoint {endpoint.pk}"
    return match[1]


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_list_shows_statistics_of_real_deliveries(clock, workspace, owner, receiver):
    owner.profile.time_zone = "Asia/Tokyo"
    owner.profile.save()
    busy = services.endpoint_create(
        workspace=workspace, actor=owner, url=receiver.url, description="Zap"
    )
    quiet = services.endpoint_create(
        workspace=workspace, actor=owner, url=receiver.url, event_types=["payment.succeeded"]
    )
    clock.advance(seconds=1)
    make_videos(workspace, owner, 4)
    fanout.fan_out()
    receiver.status = [200, 200, 200, 410]  # the last answer disables it: Gone
    assert sending.send_due().claimed == 4

    page = _text(client_in(owner, workspace).get(reverse("webhooks:list")))

    busy_row = _row(page, busy)
    assert "75%" in busy_row  # 3 succeeded ÷ (3 + 1 failed)
    assert re.search(r">3</td>\s*<td[^>]*>1</td>\s*<td[^>]*>0</td>", busy_row)
    assert "Disabled" in busy_row and "410 Gone" in busy_row
    assert "Zap" in busy_row
    last = busy.deliveries.order_by("-last_attempt_at").first().last_attempt_at
    with timezone.override("Asia/Tokyo"):
        assert date_format(timezone.localtime(last), "DATETIME_FORMAT") in busy_row
    quiet_row = _row(page, quiet)
    assert "—" in quiet_row and "Never" in quiet_row and "Active" in quiet_row


def test_adding_an_endpoint_shows_its_secret_once(workspace, owner, private_hosts):
    client = client_in(owner, workspace)
    response = client.post(
        f"{reverse('webhooks:list')}?workspace={workspace.pk}",
        {
            "url": "http://127.0.0.1:9/hook",
            "description": "CRM",
            "event_types": ["video.created", "payment.succeeded"],
            "headers": "Authorization: Bearer abc\r\n\r\nX-Team: 7",
        },
    )

    endpoint = Endpoint.objects.get(workspace=workspace)
    assert response.status_code == 302
    assert response["Location"] == reverse("webhooks:endpoint", args=[endpoint.pk])
    assert endpoint.description == "CRM"
    assert set(endpoint.event_types) == {"video.created", "payment.succeeded"}
    assert "Bearer abc" in endpoint.headers_json and "X-Team" in endpoint.headers_json
    first = client.get(response["Location"])
    assert endpoint.secret in _text(first)
    assert "no-store" in first["Cache-Control"]
    assert "Endpoint added" in _text(first)
    assert endpoint.secret not in _text(client.get(response["Location"]))


def test_the_form_lists_event_types_grouped_with_their_descriptions(workspace, owner):
    page = _text(client_in(owner, workspace).get(reverse("webhooks:list")))
    for kind in catalogue.EVENT_TYPES.values():
        if kind.key == catalogue.TEST_EVENT_TYPE:
            continue
        assert f'value="{kind.key}"' in page
        assert str(kind.description) in page
    assert "<code>video.*</code>" in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"url": "https://exa\x00mple.com/"}, "Null characters are not allowed."),
        ({"url": "https://example.com/" + "a" * 10_000}, "at most 2000 characters"),
        ({"url": "not a url"}, "URL"),
        ({"url": "http://93.184.215.14/hook"}, "https://"),
        ({"url": "https://127.0.0.1/hook"}, ""),  # a private address: refused, in any words
        ({"event_types": ["video.exploded"]}, "Unknown event type: video.exploded."),
        ({"event_types": ["x" * 5000 + "\x00"]}, "Unknown event type: " + "x" * 40),
        ({"description": "d" * 301}, "at most 300 characters"),
        ({"description": "bad\x00"}, "Null characters are not allowed."),
        ({"headers": "no colon here"}, "Line 1: write each header as “Name: value”."),
        ({"headers": "Webhook-Signature: forged"}, "cannot be replaced"),
        ({"headers": "Bad Name: 1"}, "is not a valid header name"),
        ({"headers": "X-A: 1\nx-a: 2"}, "is given twice"),
        ({"headers": "X-A: a\x0bb"}, "on one line"),
    ],
    ids=lambda value: repr(value)[:40],
)
def test_hostile_input_to_the_form_is_refused_and_changes_nothing(workspace, owner, fields, error):
    data = {"url": PUBLIC_URL, "description": "", "headers": "", **fields}
    response = client_in(owner, workspace).post(reverse("webhooks:list"), data)

    assert response.status_code == 400
    page = _text(response)
    assert 'class="errorlist"' in page
    assert error in page
    assert not Endpoint.objects.exists()


def test_the_endpoint_page_filters_deliveries_by_status(clock, workspace, owner, receiver):
    endpoint = services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url)
    clock.advance(seconds=1)
    make_videos(workspace, owner, 3)
    fanout.fan_out()
    receiver.status = [200, 200, 500]
    sending.send_due()
    client = client_in(owner, workspace)
    url = reverse("webhooks:endpoint", args=[endpoint.pk])

    every = _text(client.get(url))
    pending = _text(client.get(url, {"status": "pending"}))
    unknown = client.get(url, {"status": "exploded", "page": "x" * 300})

    statuses = dict(endpoint.deliveries.values_list("pk", "status"))
    assert all(f'id="delivery-{pk}"' in every for pk in statuses)
    assert [pk for pk in statuses if f'id="delivery-{pk}"' in pending] == [
        pk for pk, status in statuses.items() if status == DeliveryStatus.PENDING
    ]
    assert unknown.status_code == 200
    assert _text(unknown).count('<tr id="delivery-') == 3
    assert "No delivery with this status." in _text(client.get(url, {"status": "failed"}))


def test_the_delivery_page_shows_the_payload_and_every_attempt(clock, workspace, owner, receiver):
    endpoint = services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url)
    clock.advance(seconds=1)
    make_videos(workspace, owner, 1, title="Spring")
    fanout.fan_out()
    receiver.status = [503, 200]
    sending.send_due()
    clock.advance(seconds=3)
    sending.send_due()
    delivery = endpoint.deliveries.get()
    client = client_in(owner, workspace)

    page = _text(client.get(reverse("webhooks:delivery", args=[endpoint.pk, delivery.pk])))

    assert delivery.message_id in page
    assert '"type": "video.created"' in page  # indented JSON
    assert "Spring 0" in page
    attempts = re.search(r'<table class="table webhook-attempts">(.*?)</table>', page, re.S)[1]
    assert attempts.count("<tr>") == 3  # the header and two attempts
    assert "503" in attempts and "200" in attempts
    listing = _text(client.get(reverse("webhooks:endpoint", args=[endpoint.pk])))
    assert reverse("webhooks:delivery", args=[endpoint.pk, delivery.pk]) in listing


def test_unknown_or_malformed_ids_are_not_found(workspace, owner):
    endpoint = services.endpoint_create(workspace=workspace, actor=owner, url=PUBLIC_URL)
    client = client_in(owner, workspace)
    base = reverse("webhooks:endpoint", args=[endpoint.pk])

    assert client.get(f"{base}deliveries/not-a-uuid/").status_code == 404
    assert client.get(f"{base}deliveries/{'0' * 32}/").status_code == 404
    assert client.get("/integrations/webhooks/99999999999999999999999/").status_code == 404
    assert client.get("/integrations/webhooks/-1/").status_code == 404


def test_the_event_types_reference_is_for_every_member(workspace, viewer):
    page = _text(client_in(viewer, workspace).get(reverse("webhooks:event_types")))

    for kind in catalogue.EVENT_TYPES.values():
        assert f"<code>{kind.key}</code>" in page
    assert "/api/v1/webhooks/event-types/" in page
    assert "X-Webhook-Signature" in page and "Standard Webhooks" in page
    assert "previous_id" in page and "sequence" in page


@pytest.mark.parametrize("language", ["de", "ja"])
def test_the_pages_render_in_another_language(clock, workspace, owner, receiver, language):
    owner.profile.language = language
    owner.profile.save()
    endpoint = services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url)
    delivery = services.endpoint_send_test(endpoint=endpoint, actor=owner)
    sending.send_due()
    client = client_in(owner, workspace)

    for url in [
        reverse("webhooks:list"),
        reverse("webhooks:endpoint", args=[endpoint.pk]),
        reverse("webhooks:edit", args=[endpoint.pk]),
        reverse("webhooks:delivery", args=[endpoint.pk, delivery.pk]),
        reverse("webhooks:event_types"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}"' in response.content.decode()
    bad = client.post(reverse("webhooks:list"), {"url": "nope", "event_types": ["x"]}, follow=True)
    assert bad.status_code == 400


def test_the_account_menu_links_the_webhooks_for_those_who_manage_them(workspace, owner, editor):
    link = f'href="{reverse("webhooks:list")}"'
    assert link in client_in(owner, workspace).get(reverse("videos:list")).content.decode()
    assert link not in client_in(editor, workspace).get(reverse("videos:list")).content.decode()
