"""A batch is finished in a few statements (sending.record_outcomes), with the lease's rule
intact: each row gets its own outcome, and a row requeued and claimed again while we sent is
not written by us."""

from __future__ import annotations

import pytest

from integrations.webhooks import fanout, sending, services
from integrations.webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus, Endpoint
from integrations.webhooks.transport import Outcome

from .conftest import make_videos

pytestmark = pytest.mark.django_db


def _claimed(clock, workspace, owner, receiver, count: int) -> list[Delivery]:
    services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url)
    clock.advance(seconds=1)
    make_videos(workspace, owner, count)
    fanout.fan_out()
    return sending.DELIVERY_LEASE.claim_batch(
        due=sending.due_filter(clock.now), order_by=["sequence"], limit=10
    )


def test_each_row_gets_its_own_outcome(clock, workspace, owner, receiver):
    rows = _claimed(clock, workspace, owner, receiver, 4)
    outcomes = [
        (clock.now, Outcome(200, 5, "ok", "")),
        (clock.now, Outcome(204, 17, "", "")),
        (clock.now, Outcome(503, 30000, "busy", "")),
        (clock.now, Outcome(None, 10000, "", "timeout")),
    ]
    endpoints = {e.pk: e for e in Endpoint.objects.all()}

    sent = sending.record_outcomes(rows, outcomes, endpoints, clock.now)

    assert (sent.succeeded, sent.failed) == (2, 2)
    found = {d.pk: d for d in Delivery.objects.all()}
    written = [
        (d.status, d.last_status_code, d.last_duration_ms, d.last_response, d.last_error, d.token)
        for d in (found[row.pk] for row in rows)
    ]
    assert written == [
        (DeliveryStatus.SUCCEEDED, 200, 5, "ok", "", None),
        (DeliveryStatus.SUCCEEDED, 204, 17, "", "", None),
        (DeliveryStatus.PENDING, 503, 30000, "busy", "", None),
        (DeliveryStatus.PENDING, None, 10000, "", "timeout", None),
    ]
    assert found[rows[0].pk].delivered_at == clock.now
    assert found[rows[2].pk].next_attempt_at == clock.now + sending.RETRY_DELAYS[0]
    durations = dict(DeliveryAttempt.objects.values_list("delivery_id", "duration_ms"))
    assert [durations[row.pk] for row in rows] == [5, 17, 30000, 10000]


def test_a_row_taken_from_us_while_we_sent_is_not_written(
    clock, workspace, owner, receiver, settings
):
    rows = _claimed(clock, workspace, owner, receiver, 3)
    lost = rows[1]
    # Our worker looked dead: the row was requeued and another worker holds it now.
    clock.advance(seconds=settings.WEBHOOKS_STALE_SECONDS + 1)
    Delivery.objects.exclude(pk=lost.pk).update(heartbeat_at=clock.now)
    assert sending.requeue_stale() == (1, 0)
    [again] = sending.DELIVERY_LEASE.claim_batch(
        due=sending.due_filter(clock.now), order_by=["sequence"], limit=10
    )
    assert again.pk == lost.pk and again.token != lost.token
    outcomes = [(clock.now, Outcome(200, n + 1, "ok", "")) for n in range(3)]
    endpoints = {e.pk: e for e in Endpoint.objects.all()}

    sent = sending.record_outcomes(rows, outcomes, endpoints, clock.now)

    assert (sent.claimed, sent.succeeded) == (3, 2)
    held = Delivery.objects.get(pk=lost.pk)
    assert (held.status, held.token, held.last_status_code) == (
        DeliveryStatus.SENDING,
        again.token,
        None,
    )
    assert not DeliveryAttempt.objects.filter(delivery_id=lost.pk).exists()
    others = Delivery.objects.exclude(pk=lost.pk).order_by("sequence")
    assert [(d.status, d.last_duration_ms) for d in others] == [
        (DeliveryStatus.SUCCEEDED, 1),
        (DeliveryStatus.SUCCEEDED, 3),
    ]
