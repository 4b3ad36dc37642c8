"""Exactly once, with real workers: two Celery worker processes and two dispatcher runs race
over 500 due posts on PostgreSQL, publishing to a local server that speaks X's protocol and
counts what it receives; and a worker killed mid-publish loses and duplicates nothing."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import uuid
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Response

from integrations.models import ConnectedAccount
from tests.celery_workers import drop_queue, reachable_redis, send, start_worker, wait_for
from videos.models import PlatformPost, PublishAttempt, PublishSchedule

pytestmark = pytest.mark.integration

POSTS = 500


class FakeX:
    """X's media upload and post endpoints on a threaded local server, counting posts."""

    def __init__(self, *, hold_append: threading.Event | None = None) -> None:
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.lock = threading.Lock()
        self.media = 0
        self.posts: Counter[str] = Counter()
        self.appends = 0
        self.hold_append = hold_append
        self.append_started = threading.Event()

    def upload(self, request):
        command = request.form.get("command") or request.args.get("command")
        if command == "INIT":
            with self.lock:
                self.media += 1
                media_id = f"m{self.media}"
            body = {"data": {"id": media_id, "media_key": f"7_{media_id}"}}
        elif command == "APPEND":
            with self.lock:
                self.appends += 1
            self.append_started.set()
            if self.hold_append is not None:
                self.hold_append.wait(30)  # the worker is killed while it waits here
            return Response(status=204)
        else:  # FINALIZE, STATUS: processed at once
            body = {"data": {"id": request.values.get("media_id"),
                             "processing_info": {"state": "succeeded"}}}  # fmt: skip
        return Response(json.dumps(body), content_type="application/json")

    def tweet(self, request):
        text = json.loads(request.get_data())["text"]
        with self.lock:
            self.posts[text] += 1
            number = sum(self.posts.values())
        body = {"data": {"id": f"t{number}", "text": text}}
        return Response(json.dumps(body), status=201, content_type="application/json")

    def __enter__(self) -> FakeX:
        self.server.expect_request("/2/media/upload").respond_with_handler(self.upload)
        self.server.expect_request("/2/tweets", method="POST").respond_with_handler(self.tweet)
        self.server.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.hold_append is not None:
            self.hold_append.set()
        self.server.clear()
        if self.server.is_running():
            self.server.stop()

    @property
    def base(self) -> str:
        return self.server.url_for("").rstrip("/")


@pytest.fixture
def queue():
    url = reachable_redis()
    name = f"test-publish-{uuid.uuid4().hex}"
    yield url, name
    drop_queue(url, name)


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Racing dispatchers need PostgreSQL's row locks (SKIP LOCKED).")


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


def _due_posts(version, workspace, count: int) -> list[int]:
    account = ConnectedAccount.objects.create(
        workspace=workspace, platform="x", external_id="42", name="Acme", handle="@acme",
        access_token="x-access", refresh_token="x-refresh",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )  # fmt: skip
    now = timezone.now() - dt.timedelta(seconds=1)
    schedules = PublishSchedule.objects.bulk_create(
        PublishSchedule(workspace=workspace, video=version.video, version=version, publish_at=now)
        for _ in range(count)
    )
    posts = PlatformPost.objects.bulk_create(
        PlatformPost(
            schedule=schedule,
            platform="x",
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
