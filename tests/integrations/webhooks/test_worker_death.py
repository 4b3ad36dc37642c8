"""A real Celery worker killed with SIGKILL while it sends, and while it fans out: another
worker finishes the job, every event reaches every endpoint, and no delivery id is made twice
(one Delivery per (event, endpoint); a receiver may see an id again, never a second id for the
same event).

The receiver (tests/webhook_receiver.py) runs in this process; the workers are real processes
on a real Redis broker against this test's database (tests/celery_workers.py), on SQLite or
PostgreSQL as the suite runs.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections import defaultdict

import pytest
from django.db import DatabaseError, connection, transaction

from integrations.webhooks import services, tasks
from integrations.webhooks.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    FannedOutEvent,
    FanOutLock,
)
from tests.celery_workers import (
    drop_queue,
    reachable_redis,
    send,
    start_worker,
    tasks_sent_to,
    wait_for,
)
from tests.webhook_receiver import Receiver

from .conftest import make_videos, record_video_events

pytestmark = pytest.mark.integration

ENDPOINTS = 2


@pytest.fixture
def queue():
    """(Redis URL, a queue only this test uses); skips without Redis."""
    url = reachable_redis()
    name = f"test-webhooks-{uuid.uuid4().hex}"
    yield url, name
    drop_queue(url, name)


def _worker_env(settings, **extra) -> dict[str, str]:
    return {
        "WEBHOOKS_ALLOW_PRIVATE_HOSTS": "1",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **{key: str(value) for key, value in extra.items()},
    }


def _endpoints(workspace, owner, receiver: Receiver, settings) -> list:
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True
    return [
        services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url(f"/hook/{n}"))
        for n in range(ENDPOINTS)
    ]


def _each_event_reached_each_endpoint_once(receiver: Receiver, endpoints, events: int) -> int:
    """Checks our rows and what the receiver saw; returns how many ids it saw more than once."""
    expected = events * len(endpoints)
    rows = list(Delivery.objects.values_list("event_id", "endpoint_id", "id", "status"))
    assert len(rows) == expected
    assert len({(event, endpoint) for event, endpoint, _, _ in rows}) == expected
    assert {status for *_, status in rows} == {DeliveryStatus.SUCCEEDED}
    assert FannedOutEvent.objects.count() == events

    ours = {f"msg_{pk.hex}" for *_, pk, _ in rows}
    path_of = {endpoint.pk: f"/hook/{n}" for n, endpoint in enumerate(endpoints)}
    ours_by_path = defaultdict(set)
    for _, endpoint_id, pk, _ in rows:
        ours_by_path[path_of[endpoint_id]].add(f"msg_{pk.hex}")
    # What the receiver saw, per endpoint (path) and event (type and data): one id each.
    ids_per_event: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    seen = defaultdict(int)
    for path, header_id, payload in receiver.payloads():
        assert payload["id"] == header_id
        assert header_id in ours_by_path[path], f"{header_id} is not {path}'s"
        event_key = (path, payload["type"], json.dumps(payload["data"], sort_keys=True))
        ids_per_event[event_key].add(payload["id"])
        seen[header_id] += 1
    assert len(ids_per_event) == expected
    assert all(len(ids) == 1 for ids in ids_per_event.values()), [
        (key, ids) for key, ids in ids_per_event.items() if len(ids) > 1
    ][:3]
    assert set(seen) == ours
    return sum(1 for count in seen.values() if count > 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_batch_is_replaced_and_nothing_is_lost_or_made_twice(
    queue, workspace, owner, settings, tmp_path
):
    redis_url, name = queue
    events = 24
    batch = 12
    # 0.3 s per request, 4 at a time: a batch of 12 takes about a second on the receiver.
    env = _worker_env(settings, WEBHOOKS_SEND_CONCURRENCY=4, WEBHOOKS_SEND_BATCH=batch)
    with Receiver(delay=0.3) as receiver:
        endpoints = _endpoints(workspace, owner, receiver, settings)
        make_videos(workspace, owner, events)
        total = events * ENDPOINTS

        doomed = start_worker(redis_url=redis_url, queue=name, log_dir=tmp_path, env=env)
        try:
            send(redis_url, name, "webhooks.fan_out")
            # The first batch answered and recorded, the second one's requests in flight.
            wait_for(
                lambda: batch < receiver.requests < total and receiver.in_flight,
                [doomed],
                "the worker to be in the middle of its second batch",
                timeout=60,
            )
            doomed.kill()
        finally:
            doomed.stop()
        seen_before = receiver.requests
        statuses = defaultdict(int)
        for status in Delivery.objects.values_list("status", flat=True):
            statuses[status] += 1
        assert statuses[DeliveryStatus.SUCCEEDED] >= batch, dict(statuses)
        assert 0 < statuses[DeliveryStatus.SENDING] <= batch, dict(statuses)
        assert statuses[DeliveryStatus.SUCCEEDED] < total, dict(statuses)
        left_sending = set(
            Delivery.objects.filter(status=DeliveryStatus.SENDING).values_list("pk", flat=True)
        )

        # The held rows' heartbeat (their claim) is older than the stale limit: they wait again.
        settings.WEBHOOKS_STALE_SECONDS = 1
        time.sleep(1.5)
        with tasks_sent_to(redis_url, name):  # its send_due goes to the broker, not inline
            requeued = tasks.requeue_stale_deliveries()
        assert requeued == len(left_sending)
        assert not Delivery.objects.filter(status=DeliveryStatus.SENDING).exists()

        rescuer = start_worker(redis_url=redis_url, queue=name, log_dir=tmp_path, env=env)
        try:
            wait_for(
                lambda: Delivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count() == total,
                [rescuer],
                f"{total} deliveries to succeed",
                timeout=60,
            )
        finally:
            rescuer.stop()

        repeated = _each_event_reached_each_endpoint_once(receiver, endpoints, events)
    # Requests in flight when the worker died were seen and are sent again under their id.
    assert 0 < repeated <= len(left_sending)
    assert seen_before < receiver.requests <= total + len(left_sending)
    for delivery in Delivery.objects.filter(pk__in=left_sending):
        assert delivery.attempts == 2  # the lost claim and the one that succeeded
    # The killed worker recorded no attempt for the rows it lost: one attempt per delivery.
    assert DeliveryAttempt.objects.count() == total
    assert DeliveryAttempt.objects.filter(succeeded=True).count() == total
    print(
        f"\nkilled with {dict(statuses)} of {total} deliveries; receiver saw {seen_before} "
        f"requests by then, {receiver.requests} in all, {repeated} ids twice"
    )


def _fan_out_in_progress() -> bool:
    """Whether a fan-out transaction is open right now (it holds the fan-out lock's row; on
    SQLite, the write lock: only the fan-out writes while this test watches)."""
    if connection.vendor == "sqlite":
        probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    try:
        with transaction.atomic():
            list(FanOutLock.objects.select_for_update(nowait=True).filter(pk=1))
        return False
    except DatabaseError:
        return True


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_fan_out_leaves_nothing_half_made(
    queue, workspace, owner, settings, tmp_path
):
    from integrations.webhooks import fanout

    redis_url, name = queue
    # More than one fan-out batch of events, so a run's transaction lasts long enough to be
    # caught open; the kill lands in the first batch (nothing handled yet).
    events = fanout.BATCH + 200
    env = _worker_env(settings, WEBHOOKS_SEND_CONCURRENCY=8, WEBHOOKS_SEND_BATCH=200)
    FanOutLock.objects.get_or_create(pk=1)  # the row the probe locks
    with Receiver() as receiver:
        endpoints = _endpoints(workspace, owner, receiver, settings)
        record_video_events(workspace, owner, events)
        total = events * ENDPOINTS

        doomed = start_worker(redis_url=redis_url, queue=name, log_dir=tmp_path, env=env)
        try:
            send(redis_url, name, "webhooks.fan_out")
            deadline = time.monotonic() + 60
            while not (_fan_out_in_progress() and not FannedOutEvent.objects.exists()):
                assert doomed.process.poll() is None, doomed.describe()
                assert time.monotonic() < deadline, doomed.describe()
                time.sleep(0.01)
            doomed.kill()
        finally:
            doomed.stop()
        # Its open transaction died with it: what it made, if anything, is a whole batch.
        handled = FannedOutEvent.objects.count()
        assert handled < events
        assert Delivery.objects.count() == handled * ENDPOINTS

        rescuer = start_worker(redis_url=redis_url, queue=name, log_dir=tmp_path, env=env)
        try:
            send(redis_url, name, "webhooks.fan_out")
            wait_for(
                lambda: Delivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count() == total,
                [rescuer],
                f"{total} deliveries to succeed",
                timeout=90,
            )
        finally:
            rescuer.stop()
        repeated = _each_event_reached_each_endpoint_once(receiver, endpoints, events)
    assert repeated == 0
    print(f"\nkilled with {handled} of {events} events fanned out")
