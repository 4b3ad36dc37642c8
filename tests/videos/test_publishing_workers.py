"""Exactly once, with real workers: two Celery worker processes and two dispatcher runs race
over 500 due posts on PostgreSQL, publishing to a local server that speaks X's protocol and
counts what it receives; and a worker killed mid-publish loses and duplicates nothing. The
sandbox test channel, raced the same way, records one post per post."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

import pytest
from django.utils import timezone

from integrations.models import ConnectedAccount
from tests.celery_workers import send, start_worker, wait_for
from tests.fake_platforms import FakeX
from videos.models import PlatformPost, PublishAttempt, PublishSchedule

pytestmark = pytest.mark.integration

POSTS = 500


def _worker_env(fake: FakeX, settings, **extra) -> dict[str, str]:
    return {
        "X_CLIENT_ID": "x-id",
        "X_CLIENT_SECRET": "x-secret",
        "X_API_BASE": fake.base,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PUBLISH_POLL_SECONDS": "0",
        "PUBLISH_DISPATCH_BATCH": "25",  # many small claims, so the two dispatchers interleave
        **{key: str(value) for key, value in extra.items()},
    }


def _due_posts(version, workspace, count: int, account=None) -> list[int]:
    account = account or ConnectedAccount.objects.create(
        workspace=workspace,
        platform="x",
        external_id="42",
        name="Acme",
        handle="@acme",
        access_token="x-access",
        refresh_token="x-refresh",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    now = timezone.now() - dt.timedelta(seconds=1)
    schedules = PublishSchedule.objects.bulk_create(
        PublishSchedule(workspace=workspace, video=version.video, version=version, publish_at=now)
        for _ in range(count)
    )
    posts = PlatformPost.objects.bulk_create(
        PlatformPost(
            schedule=schedule,
            platform=account.platform,
            account=account,
            next_attempt_at=now,
            caption=f"Post {n}",
        )
        for n, schedule in enumerate(schedules)
    )
    return [post.pk for post in posts]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_and_two_dispatchers_publish_each_post_once(
    postgres_only, queue, version, workspace, settings, tmp_path
):
    redis_url, name = queue
    _due_posts(version, workspace, POSTS)
    with FakeX() as fake:
        env = _worker_env(fake, settings)
        workers = [
            start_worker(redis_url=redis_url, queue=name, log_dir=tmp_path, env=env)
            for _ in range(2)
        ]
        try:
            started = time.monotonic()
            send(redis_url, name, "videos.dispatch_due_posts")
            send(redis_url, name, "videos.dispatch_due_posts")
            wait_for(
                lambda: PlatformPost.objects.filter(status="published").count() == POSTS,
                workers,
                f"{POSTS} published posts",
                timeout=240,
            )
            seconds = time.monotonic() - started
        finally:
            for worker in workers:
                worker.stop()
        assert len(fake.posts) == POSTS and set(fake.posts.values()) == {1}, (
            f"posted twice: {[text for text, n in fake.posts.items() if n > 1][:5]}"
        )
        assert fake.media == POSTS  # one upload per post, none repeated
    assert PublishAttempt.objects.filter(outcome="published").count() == POSTS
    assert not PublishAttempt.objects.exclude(outcome="published").exists()
    logs = [worker.output() for worker in workers]
    assert all("videos.publish_post" in log for log in logs), "both workers published"
    print(f"\n{POSTS} posts by two workers in {seconds:.1f} s")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_publish_loses_and_duplicates_nothing(
    postgres_only, queue, version, workspace, settings, tmp_path
):
    redis_url, name = queue
    [post_id] = _due_posts(version, workspace, 1)
    hold = threading.Event()
    with FakeX(hold_append=hold) as fake:
        env = _worker_env(fake, settings, PUBLISH_TIMEOUT_SECONDS=2)
        doomed = start_worker(redis_url=redis_url, queue=name, log_dir=tmp_path, env=env)
        try:
            send(redis_url, name, "videos.dispatch_due_posts")
            assert fake.append_started.wait(60), doomed.describe()
            doomed.kill()  # mid-upload: INIT done, the first APPEND in flight
        finally:
            doomed.stop()
        hold.set()
        post = PlatformPost.objects.get(pk=post_id)
        assert post.status == "publishing" and post.progress.get("media_id") == "m1"

        time.sleep(2.5)  # past PUBLISH_TIMEOUT_SECONDS: the post is stuck
        rescuer = start_worker(redis_url=redis_url, queue=name, log_dir=tmp_path, env=env)
        try:
            send(redis_url, name, "videos.dispatch_due_posts")
            wait_for(
                lambda: PlatformPost.objects.filter(pk=post_id, status="published").exists(),
                [rescuer],
                "the recovered post to be published",
                timeout=60,
            )
        finally:
            rescuer.stop()
        assert fake.posts == Counter({"Post 0": 1})
        assert fake.media == 1  # resumed the saved upload instead of starting another
    post = PlatformPost.objects.get(pk=post_id)
    assert post.attempts == 2 and post.remote_id == "t1"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_publish_each_sandbox_post_once(
    postgres_only, queue, version, workspace, owner, settings, tmp_path
):
    from integrations.models import SandboxPost
    from integrations.services import connect_sandbox

    redis_url, name = queue
    count = 100
    _due_posts(version, workspace, count, account=connect_sandbox(workspace=workspace, actor=owner))
    env = {"MEDIA_ROOT": str(settings.MEDIA_ROOT), "PUBLISH_DISPATCH_BATCH": "10"}
    workers = [
        start_worker(redis_url=redis_url, queue=name, log_dir=tmp_path, env=env) for _ in range(2)
    ]
    try:
        send(redis_url, name, "videos.dispatch_due_posts")
        send(redis_url, name, "videos.dispatch_due_posts")
        wait_for(
            lambda: PlatformPost.objects.filter(status="published").count() == count,
            workers,
            f"{count} published sandbox posts",
            timeout=120,
        )
    finally:
        for worker in workers:
            worker.stop()
    assert SandboxPost.objects.count() == count
    remote_ids = set(PlatformPost.objects.values_list("remote_id", flat=True))
    assert remote_ids == {str(pk) for pk in SandboxPost.objects.values_list("pk", flat=True)}
