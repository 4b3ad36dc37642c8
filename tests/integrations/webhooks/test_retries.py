"""Failures: each retry step, 410 Gone, five days of failures (with the admins' e-mail), a
worker that dies mid-send, and a receiver that is down for a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from accounts.models import Profile
from integrations.webhooks import fanout, sending, services, tasks
from integrations.webhooks.models import Delivery, DeliveryStatus, DisabledReason, Endpoint

from .conftest import make_videos

pytestmark = pytest.mark.django_db

SCHEDULE = [
    dt.timedelta(seconds=2),
    dt.timedelta(seconds=4),
    dt.timedelta(seconds=8),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=5),
    dt.timedelta(hours=10),
    dt.timedelta(hours=24),
]


def _one_delivery(clock, workspace, owner, receiver) -> Delivery:
    services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url)
    clock.advance(seconds=1)
    make_videos(workspace, owner)
    fanout.fan_out()
    return Delivery.objects.get()


def test_each_retry_step_then_it_gives_up(clock, workspace, owner, receiver):
    delivery = _one_delivery(clock, workspace, owner, receiver)
    receiver.status = 503
    for attempt, wait in enumerate(SCHEDULE, start=1):
        sending.send_due()
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        assert delivery.status == DeliveryStatus.PENDING
        assert delivery.next_attempt_at == clock.now + wait, f"after attempt {attempt}"
        # Not a moment early.
        clock.advance(seconds=wait.total_seconds() - 1)
        assert sending.send_due().claimed == 0
        clock.advance(seconds=1)
    sending.send_due()
    delivery.refresh_from_db()
    assert delivery.attempts == 10
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    assert len(receiver.requests) == 10
    assert delivery.last_status_code == 503 and delivery.last_response == "no"


def test_a_timeout_or_a_refused_connection_is_a_failure(clock, workspace, owner, receiver):
    delivery = _one_delivery(clock, workspace, owner, receiver)
    endpoint = delivery.endpoint
    receiver.server.stop()
    sending.send_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.last_status_code is None and delivery.last_error == "connection"
    endpoint.refresh_from_db()
    assert endpoint.failing_since == clock.now
    receiver.server.start()


def test_410_gone_disables_the_endpoint_at_once(clock, workspace, owner, receiver):
    delivery = _one_delivery(clock, workspace, owner, receiver)
    make_videos(workspace, owner, title="Second")
    fanout.fan_out()
    receiver.status = 410
    sending.send_due(limit=1)
    endpoint = Endpoint.objects.get()
    assert endpoint.status == "disabled" and endpoint.disabled_reason == DisabledReason.GONE
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    # The other waiting delivery fails too, and nothing more is sent.
    assert not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()
    clock.advance(days=1)
    assert sending.send_due().claimed == 0
    assert len(receiver.requests) == 1
    assert mail.outbox == []  # 410 is the receiver's own decision: no alarm


def test_five_days_of_failures_disable_it_and_tell_the_admins_once(
    clock, workspace, owner, admin_user, editor, receiver
):
    Profile.objects.filter(user=admin_user).update(language="de", time_zone="Europe/Berlin")
    _one_delivery(clock, workspace, owner, receiver)
    receiver.status = 500
    started = clock.now
    while clock.now < started + dt.timedelta(days=5, hours=1):
        make_videos(workspace, owner, title="More")  # new events keep failing too
        fanout.fan_out()
        tasks.send_due()
        clock.advance(hours=6)
        endpoint = Endpoint.objects.get()
        if endpoint.status == "disabled":
            break
    endpoint = Endpoint.objects.get()
    assert endpoint.status == "disabled" and endpoint.disabled_reason == DisabledReason.FAILING
    assert endpoint.failing_since == started
    assert endpoint.disabled_at >= started + sending.FAILING_DISABLES_AFTER

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["admin@example.com", "owner@example.com"]  # not the editor
    german = next(m for m in mail.outbox if m.to == ["admin@example.com"])
    assert "deaktiviert" in german.subject
    assert receiver.url in german.body
    # Twice more: nothing more.
    tasks.email_endpoint_disabled(endpoint.pk)
    tasks.send_unsent_disabled_emails()
    assert len(mail.outbox) == 2


def test_one_success_resets_the_failing_clock(clock, workspace, owner, receiver):
    _one_delivery(clock, workspace, owner, receiver)
    receiver.status = 500
    sending.send_due()
    assert Endpoint.objects.get().failing_since is not None
    receiver.status = 200
    clock.advance(seconds=2)
    sending.send_due()
    assert Endpoint.objects.get().failing_since is None


def test_a_worker_that_died_mid_send_is_replaced_and_its_late_write_is_dropped(
    clock, workspace, owner, receiver, settings
):
    delivery = _one_delivery(clock, workspace, owner, receiver)
    (claimed,) = sending.DELIVERY_LEASE.claim_batch(
        due=sending.due_filter(clock.now), order_by=["created_at"], limit=10
    )  # a worker took it and died before answering
    clock.advance(seconds=settings.WEBHOOKS_STALE_SECONDS + 1)
    assert sending.requeue_stale() == (1, 0)
    sending.send_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert receiver.ids() == [delivery.message_id]
    # The dead worker's answer arrives late: it no longer holds the row, nothing is written.
    assert not sending.DELIVERY_LEASE.finish(claimed, status=DeliveryStatus.FAILED)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempt_log.count() == 1


def test_a_receiver_down_for_a_day_then_back_gets_everything(clock, workspace, owner, receiver):
    services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url)
    receiver.status = 503
    tried_while_down = 0
    for hour in range(24):  # a new event every hour of the outage, the beat looking every 5 min
        make_videos(workspace, owner, title=f"Hour {hour}")
        fanout.fan_out()
        for _ in range(12):
            tried_while_down += sending.send_due(limit=500).claimed
            clock.advance(minutes=5)
    assert not Delivery.objects.exclude(status=DeliveryStatus.PENDING).exists()
    receiver.status = 200
    before = len(receiver.requests)
    for _ in range(30 * 12):  # the next 30 hours
        sending.send_due(limit=500)
        # In order of retry: whatever was due has gone; nothing waits behind a later one.
        assert not Delivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=clock.now
        ).exists()
        clock.advance(minutes=5)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SUCCEEDED}
    assert Delivery.objects.count() == 24
    assert tried_while_down > 24
    after = receiver.ids()[before:]
    assert len(after) == 24 == len(set(after))  # each exactly once after the recovery
