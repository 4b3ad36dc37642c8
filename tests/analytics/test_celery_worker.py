"""A real Celery worker, a real Redis broker, and the heartbeat task end to end.

The worker is a separate process started with `celery -A videocreator worker`
(`tests/celery_workers.py`); it reads the same test database as this test and consumes
from a queue that only this test run uses, so no other worker can take the message.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.models import WorkerHeartbeat
from tests.celery_workers import Worker, drop_queue, reachable_redis, send, start_worker, wait_for

pytestmark = pytest.mark.integration

TASK_NAME = "analytics.record_worker_heartbeat"


@pytest.fixture
def redis_url() -> str:
    return reachable_redis()


@pytest.fixture
def queue_name(redis_url) -> Iterator[str]:
    name = f"test-heartbeat-{uuid.uuid4().hex}"
    yield name
    drop_queue(redis_url, name)


@pytest.fixture
def worker(redis_url, queue_name, tmp_path) -> Iterator[Worker]:
    running = start_worker(redis_url=redis_url, queue=queue_name, log_dir=tmp_path)
    try:
        yield running
    finally:
        running.stop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_runs_heartbeat_task_and_records_it_once(worker, redis_url, queue_name):
    # The heartbeat names the worker node, so two workers on one host are told apart.
    hostname = worker.node_name
    WorkerHeartbeat.objects.filter(hostname=hostname).delete()
    sent_at = timezone.now()

    send(redis_url, queue_name, TASK_NAME)
    heartbeat = wait_for(
        lambda: WorkerHeartbeat.objects.filter(hostname=hostname).first(),
        [worker],
        f"a WorkerHeartbeat row for {hostname}",
    )

    assert heartbeat.hostname == hostname, worker.describe()
    now = timezone.now()
    assert sent_at - timedelta(seconds=5) <= heartbeat.last_seen_at <= now, (
        f"last_seen_at {heartbeat.last_seen_at} is not between {sent_at} and {now}.\n"
        + worker.describe()
    )

    # Running the task again moves the time; it does not add a second row.
    first_seen_at = heartbeat.last_seen_at
    send(redis_url, queue_name, TASK_NAME)
    wait_for(
        lambda: WorkerHeartbeat.objects.filter(
            hostname=hostname, last_seen_at__gt=first_seen_at
        ).exists(),
        [worker],
        "the second heartbeat to update the row",
    )
    assert WorkerHeartbeat.objects.filter(hostname=hostname).count() == 1, worker.describe()
