"""Claiming and queueing 10,000 due posts (target: under 60 s on this machine).

Runs the dispatcher as the beat task does — batches of 500 claimed with
`select_for_update(skip_locked=True)`, each post given a lease, one `videos.publish_post`
message per post sent to a real broker (Redis) — and, as the baseline in the same run, the
least the same work can cost: one UPDATE of all rows and the same number of messages pushed
straight into Redis in one pipeline. Prints seconds, posts per second and the ratio.

Run with ``make bench`` (or ``pytest tests/perf/bench_dispatch.py -s --override-ini="addopts="``);
use PostgreSQL (DATABASE_URL) for figures that mean something.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

POSTS = int(os.environ.get("BENCH_DISPATCH_POSTS", "10000"))
REDIS_URL = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")


@pytest.fixture
def real_broker():
    """Messages go to Redis instead of running in this process."""
    import redis

    from tests.celery_workers import tasks_sent_to

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    client.flushdb()
    with tasks_sent_to(REDIS_URL):
        yield client
    client.flushdb()


def _due_posts(workspace, video, count: int) -> None:
    from videos.models import PlatformPost, PublishSchedule

    past = timezone.now() - dt.timedelta(minutes=1)
    schedules = PublishSchedule.objects.bulk_create(
        PublishSchedule(workspace=workspace, video=video, publish_at=past) for _ in range(count)
    )
    PlatformPost.objects.bulk_create(
        (PlatformPost(schedule=s, platform="x", next_attempt_at=past) for s in schedules),
        batch_size=2000,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_claim_and_queue_10000_due_posts(real_broker, workspace):
    from videos.models import PlatformPost, Template, Video
    from videos.publishing import dispatcher

    template = Template.objects.order_by("pk").first()  # a starter template

    video = Video.objects.create(
        workspace=workspace, template=template, title="Bench", duration_seconds=10
    )
    _due_posts(workspace, video, POSTS)

    started = time.perf_counter()
    claimed = 0
    while True:
        with transaction.atomic():  # the task's own transaction; messages go on commit
            batch = dispatcher.claim_due_posts(limit=500)
        claimed += len(batch)
        if len(batch) < 500:
            break
    ours = time.perf_counter() - started
    queued = real_broker.llen("celery")
    assert claimed == POSTS and queued == POSTS
    assert PlatformPost.objects.filter(status="publishing").count() == POSTS

    # Baseline: the same rows back to due, then one UPDATE and one Redis pipeline.
    PlatformPost.objects.update(status="scheduled", lease=None)
    real_broker.flushdb()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE videos_platformpost SET status = 'publishing', started_at = %s "
            "WHERE status = 'scheduled' AND next_attempt_at <= %s RETURNING id",
            [timezone.now(), timezone.now()],
        )
        ids = [row[0] for row in cursor.fetchall()]
    pipe = real_broker.pipeline()
    for pk in ids:
        pipe.lpush("celery", json.dumps({"task": "videos.publish_post", "args": [pk]}))
    pipe.execute()
    baseline = time.perf_counter() - started

    print(
        f"\nclaim + queue {POSTS} due posts: {ours:.2f} s ({POSTS / ours:,.0f} posts/s); "
        f"baseline (one UPDATE + one Redis pipeline) {baseline:.2f} s; "
        f"ratio {ours / baseline:.1f}×; target < 60 s"
    )
