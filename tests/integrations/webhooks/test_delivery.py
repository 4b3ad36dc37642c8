"""From the event log to a signed POST: one delivery per (event, endpoint), signatures that
the `standardwebhooks` library and the seed's hex header verify, rotation, ordering fields."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.db import transaction
from standardwebhooks import Webhook

from integrations.webhooks import fanout, sending, services
from integrations.webhooks.models import (
    Delivery,
    DeliveryStatus,
    EndpointStatus,
    FannedOutEvent,
)

from .conftest import make_videos

pytestmark = pytest.mark.django_db


def _endpoint(workspace, owner, receiver, **fields):
    return services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url, **fields)


def test_every_event_reaches_every_subscribed_endpoint_once(clock, workspace, owner, receiver):
    everything = _endpoint(workspace, owner, receiver)
    videos_only = _endpoint(workspace, owner, receiver, event_types=["video.created"])
    payments_only = _endpoint(workspace, owner, receiver, event_types=["payment.succeeded"])
    clock.advance(seconds=1)
    make_videos(workspace, owner, 3)

    first = fanout.fan_out()
    again = fanout.fan_out()

    assert first.events == 3 and len(first.deliveries) == 6
    assert again.events == 0 and again.deliveries == []
    assert everything.deliveries.count() == 3
    assert videos_only.deliveries.count() == 3
    assert payments_only.deliveries.count() == 0
    sent = sending.send_due()
    assert sent.succeeded == 6
    assert len(receiver.requests) == 6
    assert len(set(receiver.ids())) == 6


def test_sequence_and_previous_id_let_a_receiver_restore_order(clock, workspace, owner, receiver):
    endpoint = _endpoint(workspace, owner, receiver)
    clock.advance(seconds=1)
    video, other = make_videos(workspace, owner, 2)
    services_video_update(video, owner, "Renamed")  # not a webhook type: no delivery
    fanout.fan_out()
    clock.advance(seconds=1)
    from videos.services import video_delete

    video_delete(video=video, actor=owner)
    fanout.fan_out()
    sending.send_due()

    payloads = sorted(receiver.payloads(), key=lambda p: p["sequence"])
    assert [p["sequence"] for p in payloads] == [1, 2, 3]
    assert [p["type"] for p in payloads] == ["video.created", "video.created", "video.deleted"]
    deleted = payloads[2]
    created = next(p for p in payloads if p["data"]["video_id"] == video.pk and p is not deleted)
    other_created = next(p for p in payloads if p["data"]["video_id"] == other.pk)
    assert created["previous_id"] is None and other_created["previous_id"] is None
    assert deleted["previous_id"] == created["id"]  # the same video's previous event
    assert endpoint.deliveries.get(sequence=3).message_id == deleted["id"]


def services_video_update(video, actor, title):
    from videos.services import video_update

    video_update(video=video, actor=actor, title=title)


def test_signatures_verify_with_the_standard_library_and_the_hex_header(
    clock, workspace, owner, receiver
):
    endpoint = _endpoint(workspace, owner, receiver)
    clock.advance(seconds=1)
    make_videos(workspace, owner)
    fanout.fan_out()
    sending.send_due()

    (request,) = receiver.requests
    body = request.get_data()
    payload = Webhook(endpoint.secret).verify(body, dict(request.headers))
    assert payload["type"] == "video.created"
    assert payload["id"] == request.headers["webhook-id"] == request.headers["X-Webhook-ID"]
    assert request.headers["X-Webhook-Event"] == "video.created"
    expected = hmac.new(endpoint.secret.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["X-Webhook-Signature"], expected)
    assert "X-Webhook-Signature-Previous" not in request.headers
    tampered = body.replace(b"video.created", b"video.deleted")
    with pytest.raises(Exception, match="signature"):
        Webhook(endpoint.secret).verify(tampered, dict(request.headers))


def test_rotation_signs_with_both_secrets_for_a_day(clock, workspace, owner, receiver):
    endpoint = _endpoint(workspace, owner, receiver)
    old = endpoint.secret
    new = services.endpoint_rotate_secret(endpoint=endpoint, actor=owner)
    assert new != old and new.startswith("whsec_")
    clock.advance(seconds=1)
    make_videos(workspace, owner)
    fanout.fan_out()
    sending.send_due()
    (request,) = receiver.requests
    headers, body = dict(request.headers), request.get_data()
    assert len(headers["Webhook-Signature"].split(" ")) == 2
    Webhook(old).verify(body, headers)  # a receiver that has not switched yet
    Webhook(new).verify(body, headers)
    assert headers["X-Webhook-Signature"] == hmac.new(new.encode(), body, "sha256").hexdigest()
    assert headers["X-Webhook-Signature-Previous"] == (
        hmac.new(old.encode(), body, "sha256").hexdigest()
    )

    clock.advance(hours=24, seconds=1)
    make_videos(workspace, owner, title="Later")
    fanout.fan_out()
    # The real clock stays a day behind ours; verify against the header's own time.
    sending.send_due()
    request = receiver.requests[-1]
    headers = dict(request.headers)
    assert len(headers["Webhook-Signature"].split(" ")) == 1
    assert "X-Webhook-Signature-Previous" not in headers
    signed = Webhook(new).sign(headers["Webhook-Id"], clock.now, request.get_data().decode())
    assert headers["Webhook-Signature"] == signed


def test_a_paused_endpoint_holds_its_deliveries_until_it_resumes(clock, workspace, owner, receiver):
    endpoint = _endpoint(workspace, owner, receiver)
    services.endpoint_set_status(endpoint=endpoint, actor=owner, status=EndpointStatus.PAUSED)
    clock.advance(seconds=1)
    make_videos(workspace, owner, 2)
    fanout.fan_out()
    assert sending.send_due().claimed == 0
    assert endpoint.deliveries.filter(status=DeliveryStatus.PENDING).count() == 2

    services.endpoint_set_status(endpoint=endpoint, actor=owner, status=EndpointStatus.ACTIVE)
    assert sending.send_due().succeeded == 2
    assert len(receiver.requests) == 2


def test_disabled_endpoints_and_later_endpoints_get_nothing(clock, workspace, owner, receiver):
    disabled = _endpoint(workspace, owner, receiver)
    services.endpoint_set_status(endpoint=disabled, actor=owner, status=EndpointStatus.DISABLED)
    clock.advance(seconds=1)
    make_videos(workspace, owner)
    clock.advance(seconds=1)
    later = _endpoint(workspace, owner, receiver)
    fanout.fan_out()
    assert Delivery.objects.count() == 0
    clock.advance(seconds=1)
    make_videos(workspace, owner, title="After")
    fanout.fan_out()
    assert list(Delivery.objects.values_list("endpoint_id", flat=True)) == [later.pk]


def test_a_fan_out_that_dies_before_commit_leaves_nothing_and_the_next_one_does_it(
    clock, workspace, owner, receiver
):
    endpoint = _endpoint(workspace, owner, receiver)
    clock.advance(seconds=1)
    make_videos(workspace, owner, 2)

    class WorkerDied(Exception):
        pass

    with pytest.raises(WorkerDied), transaction.atomic():
        assert len(fanout.fan_out().deliveries) == 2
        raise WorkerDied
    assert Delivery.objects.count() == 0 and FannedOutEvent.objects.count() == 0

    assert len(fanout.fan_out().deliveries) == 2
    assert sorted(endpoint.deliveries.values_list("sequence", flat=True)) == [1, 2]


def test_an_event_committed_late_is_still_fanned_out(clock, workspace, owner, receiver):
    """A transaction that recorded its event earlier may commit after a later one was handled:
    the window overlaps, and what was handled is skipped by id."""
    _endpoint(workspace, owner, receiver)
    clock.advance(seconds=1)
    (early,) = make_videos(workspace, owner, title="Early")
    # Handled a later event first, as if the early transaction had not committed yet.
    clock.advance(minutes=3)
    make_videos(workspace, owner, title="Later")
    from analytics.models import Event

    later_event = Event.objects.filter(name="video.created").order_by("-recorded_at").first()
    FannedOutEvent.objects.create(event_id=later_event.pk, recorded_at=later_event.recorded_at)

    made = fanout.fan_out()
    assert made.events == 1
    (delivery,) = Delivery.objects.all()
    assert json.loads(delivery.body)["data"]["video_id"] == early.pk


def test_a_retried_delivery_keeps_its_id_and_body(clock, workspace, owner, receiver):
    _endpoint(workspace, owner, receiver)
    clock.advance(seconds=1)
    make_videos(workspace, owner)
    fanout.fan_out()
    receiver.status = [500, 200]
    sending.send_due()
    clock.advance(seconds=2)
    sending.send_due()
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.get_data() == second.get_data()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2
    assert list(delivery.attempt_log.values_list("number", "status_code")) == [
        (1, 500),
        (2, 200),
    ]


def test_handled_events_are_forgotten_once_no_window_reads_them(clock, workspace, owner, receiver):
    _endpoint(workspace, owner, receiver)
    clock.advance(seconds=1)
    make_videos(workspace, owner, 2)
    fanout.fan_out()
    clock.advance(days=1, seconds=1)
    make_videos(workspace, owner, title="Next day")
    fanout.fan_out()

    assert fanout.prune_handled() == 2
    assert FannedOutEvent.objects.count() == 1
    # Nothing made twice after the pruning.
    assert fanout.fan_out().deliveries == []
    assert Delivery.objects.count() == 3
