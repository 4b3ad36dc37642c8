"""The dispatcher: claiming, publishing once through X's protocol on a local server, retries,
rate limits, the attempt log, the report e-mail, recovering stuck posts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.utils import timezone
from werkzeug import Response

from analytics.models import Event
from videos.models import PlatformPost, PublishAttempt
from videos.publishing import dispatcher

from .conftest import claim_one, schedule_for, x_protocol

# -- the dispatcher -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_claiming_takes_only_due_posts_once(ready, owner, account):
    due = schedule_for(ready, owner, account, publish_at=timezone.now() + dt.timedelta(seconds=1))
    schedule_for(ready, owner, account)  # tomorrow
    later = timezone.now() + dt.timedelta(minutes=1)
    first = dispatcher.claim_due_posts(now=later)
    second = dispatcher.claim_due_posts(now=later)
    assert [pk for pk, _lease in first] == [due.posts.get().pk] and second == []
    post = due.posts.get()
    assert post.status == "publishing" and str(post.lease) == first[0][1]
    due.refresh_from_db()
    assert due.status == "publishing"


@pytest.mark.django_db
def test_a_post_is_published_once_with_a_log_an_event_and_a_report(
    x_server, ready, owner, account, django_capture_on_commit_callbacks
):
    seen = x_protocol(x_server)
    schedule = schedule_for(ready, owner, account)
    post_id, lease = claim_one(schedule)
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatcher.publish_post(post_id=post_id, lease=lease) == "published"
    post = PlatformPost.objects.get(pk=post_id)
    assert (post.remote_id, post.remote_url) == ("t1", "https://x.com/acme/status/t1")
    assert seen["commands"][:2] == ["INIT", "APPEND"] and seen["commands"][-2:] == [
        "FINALIZE",
        "STATUS",
    ]
    assert seen["bytes"] == ready.current_version.file.open("rb").read()
    assert seen["tweets"] == [{"text": "Launch day!", "media": {"media_ids": ["m1"]}}]
    [attempt] = PublishAttempt.objects.filter(post=post)
    assert attempt.outcome == "published" and any("/2/tweets" in r for r in attempt.requests)
    event = Event.objects.get(name="video.published")
    assert event.properties["url"] == "https://x.com/acme/status/t1"
    schedule.refresh_from_db()
    assert schedule.status == "published" and schedule.notified_at is not None
    [report] = mail.outbox
    assert "https://x.com/acme/status/t1" in report.body
    # A redelivered task finds nothing to do: no second post.
    assert dispatcher.publish_post(post_id=post_id, lease=lease) is None
    assert len(seen["tweets"]) == 1


@pytest.mark.django_db
def test_a_401_refreshes_the_token_and_publishes(x_server, ready, owner, account):
    x_server.expect_oneshot_request(
        "/2/media/upload", headers={"Authorization": "Bearer x-access"}
    ).respond_with_json({"title": "Unauthorized"}, status=401)
    x_server.expect_oneshot_request("/2/oauth2/token", method="POST").respond_with_json(
        {"access_token": "x-new", "refresh_token": "x-refresh-2", "expires_in": 7200}
    )
    seen = x_protocol(x_server)
    post_id, lease = claim_one(schedule_for(ready, owner, account))
    assert dispatcher.publish_post(post_id=post_id, lease=lease) == "published"
    account.refresh_from_db()
    assert (account.access_token, account.refresh_token) == ("x-new", "x-refresh-2")
    assert len(seen["tweets"]) == 1


@pytest.mark.django_db
def test_a_500_is_retried_with_backoff_then_succeeds(x_server, ready, owner, account, settings):
    settings.PUBLISH_RETRY_BASE_SECONDS = 60
    x_server.expect_oneshot_request("/2/media/upload").respond_with_json(
        {"title": "Internal Error"}, status=500
    )
    seen = x_protocol(x_server)
    schedule = schedule_for(ready, owner, account)
    post_id, lease = claim_one(schedule)
    before = timezone.now()
    assert dispatcher.publish_post(post_id=post_id, lease=lease) == "scheduled"
    post = PlatformPost.objects.get(pk=post_id)
    assert post.attempts == 1 and "Internal Error" in post.last_error
    assert before + dt.timedelta(seconds=59) < post.next_attempt_at
    assert post.next_attempt_at < before + dt.timedelta(seconds=120)
    assert dispatcher.retry_delay(2) == dt.timedelta(minutes=2)
    assert dispatcher.retry_delay(3) == dt.timedelta(minutes=4)
    post_id, lease = claim_one(schedule)
    assert dispatcher.publish_post(post_id=post_id, lease=lease) == "published"
    outcomes = list(
        PublishAttempt.objects.filter(post_id=post_id).values_list("outcome", flat=True)
    )
    assert outcomes == ["retry", "published"] and len(seen["tweets"]) == 1


@pytest.mark.django_db
def test_a_429_waits_for_the_reset_time(x_server, ready, owner, account):
    reset = int((timezone.now() + dt.timedelta(minutes=15)).timestamp())
    x_server.expect_request("/2/media/upload").respond_with_response(
        Response(
            json.dumps({"title": "Too Many Requests"}),
            status=429,
            headers={"x-rate-limit-reset": str(reset)},
            content_type="application/json",
        )
    )
    post_id, lease = claim_one(schedule_for(ready, owner, account))
    assert dispatcher.publish_post(post_id=post_id, lease=lease) == "scheduled"
    post = PlatformPost.objects.get(pk=post_id)
    assert int(post.next_attempt_at.timestamp()) == reset and post.attempts == 0


@pytest.mark.django_db
def test_retries_stop_after_three(
    x_server, ready, owner, account, django_capture_on_commit_callbacks
):
    x_server.expect_request("/2/media/upload").respond_with_json({"title": "Down"}, status=503)
    schedule = schedule_for(ready, owner, account)
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            post_id, lease = claim_one(schedule)
            statuses.append(dispatcher.publish_post(post_id=post_id, lease=lease))
    assert statuses == ["scheduled", "scheduled", "scheduled", "failed"]
    schedule.refresh_from_db()
    assert schedule.status == "failed"
    [report] = mail.outbox
    assert "Down" in report.body


@pytest.mark.django_db
def test_a_permanent_error_fails_with_the_platforms_message(x_server, ready, owner, account):
    x_server.expect_request("/2/media/upload").respond_with_json(
        {"errors": [{"message": "Your media IDs are invalid."}]}, status=400
    )
    post_id, lease = claim_one(schedule_for(ready, owner, account))
    assert dispatcher.publish_post(post_id=post_id, lease=lease) == "failed"
    assert PlatformPost.objects.get(pk=post_id).last_error == "Your media IDs are invalid."


@pytest.mark.django_db
def test_a_stuck_post_is_recovered_and_resumes_without_posting_twice(
    x_server, ready, owner, account, settings
):
    """The worker died after posting but before saving the post id: the retry finds it."""
    seen = x_protocol(x_server)
    x_server.expect_request("/2/users/42/tweets").respond_with_json(
        {"data": [{"id": "t1", "attachments": {"media_keys": ["7_m1"]}}]}
    )
    schedule = schedule_for(ready, owner, account)
    post_id, old_lease = claim_one(schedule)
    PlatformPost.objects.filter(pk=post_id).update(
        progress={
            "media_id": "m1",
            "media_key": "7_m1",
            "segments": 99,
            "finalized": True,
            "posting": True,
        },
        started_at=timezone.now() - dt.timedelta(seconds=settings.PUBLISH_TIMEOUT_SECONDS + 1),
    )
    assert dispatcher.recover_stuck_posts() == 1
    post_id, lease = claim_one(schedule)
    assert dispatcher.publish_post(post_id=post_id, lease=old_lease) is None  # the lost worker
    assert dispatcher.publish_post(post_id=post_id, lease=lease) == "published"
    assert seen["tweets"] == [] and "INIT" not in seen["commands"]
    assert PlatformPost.objects.get(pk=post_id).remote_id == "t1"


@pytest.mark.django_db
def test_the_dispatch_task_is_scheduled_every_minute():
    from videocreator.periodic import PERIODIC_TASKS

    [spec] = [s for s in PERIODIC_TASKS if s.task == "videos.dispatch_due_posts"]
    assert spec.every_seconds == 60
