"""Scheduling and the dispatcher: validation, time zones, claiming, retries, the attempt log,
the report e-mail — publishing through X's protocol on a local server."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from werkzeug import Response

from analytics.models import Event
from integrations.models import AccountStatus, ConnectedAccount
from tests.conftest import client_in
from videos.models import PlatformPost, PublishAttempt, PublishSchedule
from videos.publishing import dispatcher, services


@pytest.fixture
def x_server(httpserver, settings):
    base = httpserver.url_for("").rstrip("/")
    settings.SOCIAL_PLATFORMS = {
        **settings.SOCIAL_PLATFORMS,
        "x": {
            "client_id": "x-id",
            "client_secret": "x-secret",
            "authorize_url": f"{base}/i/oauth2/authorize",
            "api_base": base,
        },
    }
    settings.PUBLISH_POLL_SECONDS = 0
    settings.PUBLISH_CHUNK_BYTES = 64 * 1024
    return httpserver


@pytest.fixture
def account(workspace):
    return ConnectedAccount.objects.create(
        workspace=workspace,
        platform="x",
        external_id="42",
        name="Acme",
        handle="@acme",
        access_token="x-access",
        refresh_token="x-refresh",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )


@pytest.fixture
def ready(version):
    """The ready video of `version` (10 s), current version set."""
    video = version.video
    video.current_version = version
    video.save(update_fields=["current_version"])
    return video


def _tomorrow():
    return timezone.now() + dt.timedelta(days=1)


def _schedule(video, owner, account, **kwargs):
    return services.schedule_create(
        video=video,
        actor=owner,
        platforms=[{"platform": "x", "account": account.pk, "caption": "Launch day!"}],
        publish_at=kwargs.pop("publish_at", _tomorrow()),
        **kwargs,
    )


def _x_protocol(server, *, tweet_status=201):
    """X's media upload and post endpoints, recording what arrives."""
    seen = {"commands": [], "bytes": b"", "tweets": []}

    def upload(request):
        command = request.form.get("command") or request.args.get("command")
        seen["commands"].append(command)
        if command == "INIT":
            body = {"data": {"id": "m1", "media_key": "7_m1"}}
        elif command == "APPEND":
            seen["bytes"] += request.files["media"].read()
            return Response(status=204)
        elif command == "FINALIZE":
            body = {"data": {"id": "m1", "processing_info": {"state": "pending"}}}
        else:  # STATUS
            body = {"data": {"id": "m1", "processing_info": {"state": "succeeded"}}}
        return Response(json.dumps(body), content_type="application/json")

    def tweet(request):
        seen["tweets"].append(json.loads(request.get_data()))
        body = {"data": {"id": "t1", "text": "Launch day!"}}
        return Response(json.dumps(body), status=tweet_status, content_type="application/json")

    server.expect_request("/2/media/upload").respond_with_handler(upload)
    server.expect_request("/2/tweets", method="POST").respond_with_handler(tweet)
    return seen


# -- scheduling ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_schedule_has_one_post_per_platform(ready, owner, account):
    schedule = _schedule(ready, owner, account)
    [post] = schedule.posts.all()
    assert (post.platform, post.status, post.caption) == ("x", "scheduled", "Launch day!")
    assert post.next_attempt_at == schedule.publish_at and schedule.version == ready.current_version
    assert schedule.status == "scheduled"
    assert Event.objects.filter(name="video.scheduled").count() == 1


@pytest.mark.django_db
def test_validation_refuses_and_changes_nothing(ready, owner, account, viewer, workspace):
    bad = [
        dict(publish_at=timezone.now() - dt.timedelta(minutes=1)),  # the past
        dict(publish_at=dt.datetime(2030, 1, 1, 9, 0)),  # no time zone
        dict(platforms=[]),
        dict(platforms=[{"platform": "youtube", "account": account.pk}]),  # wrong platform
        dict(platforms=[{"platform": "x", "account": 999_999}]),
        dict(platforms=[{"platform": "x", "account": account.pk, "caption": "x" * 281}]),
    ]
    for overrides in bad:
        kwargs = {
            "platforms": [{"platform": "x", "account": account.pk}],
            "publish_at": _tomorrow(),
        }
        kwargs.update(overrides)
        with pytest.raises(ValidationError):
            services.schedule_create(video=ready, actor=owner, **kwargs)
    account.status = AccountStatus.RECONNECT
    account.save()
    with pytest.raises(ValidationError, match="needs reconnecting"):
        _schedule(ready, owner, account)
    assert not PublishSchedule.objects.exists()


@pytest.mark.django_db
def test_each_platforms_limits_are_checked_before_trying(ready, owner, account):
    version = ready.current_version
    version.duration = 200.0  # X takes at most 140 s
    version.save()
    with pytest.raises(ValidationError) as error:
        _schedule(ready, owner, account)
    assert "at most 140" in " ".join(error.value.messages)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("local", "zone", "utc"),
    [
        # New York springs forward on 2027-03-14 at 02:00 (EST −5 → EDT −4).
        (dt.datetime(2027, 3, 13, 9, 0), "America/New_York", dt.datetime(2027, 3, 13, 14, 0)),
        (dt.datetime(2027, 3, 14, 9, 0), "America/New_York", dt.datetime(2027, 3, 14, 13, 0)),
        # Berlin falls back on 2027-10-31 at 03:00: 02:30 happens twice, the first is taken.
        (dt.datetime(2027, 10, 31, 2, 30), "Europe/Berlin", dt.datetime(2027, 10, 31, 0, 30)),
        (dt.datetime(2027, 10, 31, 9, 0), "Europe/Berlin", dt.datetime(2027, 10, 31, 8, 0)),
        (dt.datetime(2027, 7, 1, 9, 0), "Asia/Tokyo", dt.datetime(2027, 7, 1, 0, 0)),
    ],
)
def test_local_times_convert_across_daylight_saving(local, zone, utc):
    assert services.local_to_utc(local, zone) == utc.replace(tzinfo=dt.UTC)


def test_a_skipped_local_time_is_refused():
    with pytest.raises(ValidationError, match="does not exist"):
        services.local_to_utc(dt.datetime(2027, 3, 14, 2, 30), "America/New_York")


@pytest.mark.django_db
def test_cancel_and_reschedule_only_before_publishing(ready, owner, account):
    schedule = _schedule(ready, owner, account)
    later = _tomorrow() + dt.timedelta(days=2)
    services.schedule_reschedule(schedule=schedule, actor=owner, publish_at=later)
    assert schedule.posts.get().next_attempt_at == later
    services.schedule_cancel(schedule=schedule, actor=owner)
    schedule.refresh_from_db()
    assert schedule.status == "cancelled" and schedule.posts.get().status == "cancelled"
    with pytest.raises(ValidationError):
        services.schedule_reschedule(schedule=schedule, actor=owner, publish_at=later)
    assert not mail.outbox  # nothing went out: no report


# -- the dispatcher -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_claiming_takes_only_due_posts_once(ready, owner, account):
    due = _schedule(ready, owner, account, publish_at=timezone.now() + dt.timedelta(seconds=1))
    _schedule(ready, owner, account)  # tomorrow
    later = timezone.now() + dt.timedelta(minutes=1)
    first = dispatcher.claim_due_posts(now=later)
    second = dispatcher.claim_due_posts(now=later)
    assert [pk for pk, _lease in first] == [due.posts.get().pk] and second == []
    post = due.posts.get()
    assert post.status == "publishing" and str(post.lease) == first[0][1]
    due.refresh_from_db()
    assert due.status == "publishing"


def _claim_one(schedule) -> tuple[int, str]:
    PlatformPost.objects.filter(schedule=schedule).update(next_attempt_at=timezone.now())
    [claimed] = dispatcher.claim_due_posts()
    return claimed


@pytest.mark.django_db
def test_a_post_is_published_once_with_a_log_an_event_and_a_report(
    x_server, ready, owner, account, django_capture_on_commit_callbacks
):
    seen = _x_protocol(x_server)
    schedule = _schedule(ready, owner, account)
    post_id, lease = _claim_one(schedule)
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
    seen = _x_protocol(x_server)
    post_id, lease = _claim_one(_schedule(ready, owner, account))
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
    seen = _x_protocol(x_server)
    schedule = _schedule(ready, owner, account)
    post_id, lease = _claim_one(schedule)
    before = timezone.now()
    assert dispatcher.publish_post(post_id=post_id, lease=lease) == "scheduled"
    post = PlatformPost.objects.get(pk=post_id)
    assert post.attempts == 1 and "Internal Error" in post.last_error
    assert before + dt.timedelta(seconds=59) < post.next_attempt_at
    assert post.next_attempt_at < before + dt.timedelta(seconds=120)
    assert dispatcher.retry_delay(2) == dt.timedelta(minutes=2)
    assert dispatcher.retry_delay(3) == dt.timedelta(minutes=4)
    post_id, lease = _claim_one(schedule)
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
    post_id, lease = _claim_one(_schedule(ready, owner, account))
    assert dispatcher.publish_post(post_id=post_id, lease=lease) == "scheduled"
    post = PlatformPost.objects.get(pk=post_id)
    assert int(post.next_attempt_at.timestamp()) == reset and post.attempts == 0


@pytest.mark.django_db
def test_retries_stop_after_three(
    x_server, ready, owner, account, django_capture_on_commit_callbacks
):
    x_server.expect_request("/2/media/upload").respond_with_json({"title": "Down"}, status=503)
    schedule = _schedule(ready, owner, account)
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            post_id, lease = _claim_one(schedule)
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
    post_id, lease = _claim_one(_schedule(ready, owner, account))
    assert dispatcher.publish_post(post_id=post_id, lease=lease) == "failed"
    assert PlatformPost.objects.get(pk=post_id).last_error == "Your media IDs are invalid."


@pytest.mark.django_db
def test_a_stuck_post_is_recovered_and_resumes_without_posting_twice(
    x_server, ready, owner, account, settings
):
    """The worker died after posting but before saving the post id: the retry finds it."""
    seen = _x_protocol(x_server)
    x_server.expect_request("/2/users/42/tweets").respond_with_json(
        {"data": [{"id": "t1", "attachments": {"media_keys": ["7_m1"]}}]}
    )
    schedule = _schedule(ready, owner, account)
    post_id, old_lease = _claim_one(schedule)
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
    post_id, lease = _claim_one(schedule)
    assert dispatcher.publish_post(post_id=post_id, lease=old_lease) is None  # the lost worker
    assert dispatcher.publish_post(post_id=post_id, lease=lease) == "published"
    assert seen["tweets"] == [] and "INIT" not in seen["commands"]
    assert PlatformPost.objects.get(pk=post_id).remote_id == "t1"


@pytest.mark.django_db
def test_the_dispatch_task_is_scheduled_every_minute():
    from videocreator.periodic import PERIODIC_TASKS

    [spec] = [s for s in PERIODIC_TASKS if s.task == "videos.dispatch_due_posts"]
    assert spec.every_seconds == 60


# -- pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scheduling_through_the_page_in_the_users_time_zone(ready, owner, account, workspace):
    owner.profile.time_zone = "America/New_York"
    owner.profile.save()
    client = client_in(owner, workspace)
    url = reverse("videos:schedule_new", args=[ready.pk])
    page = client.get(url)
    assert "America/New_York" in page.content.decode()
    form = {"date": "2030-03-10", "time": "09:30", "when": "later", "account": [account.pk]}
    response = client.post(url, {**form, f"caption_{account.pk}": "Hi"})
    schedule = PublishSchedule.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/schedules/{schedule.pk}/"
    )
    assert schedule.publish_at == dt.datetime(2030, 3, 10, 13, 30, tzinfo=dt.UTC)  # EDT
    detail = client.get(response["Location"]).content.decode()
    assert "Scheduled" in detail and "Acme" in detail
    refused = client.post(
        url, {"date": "yesterday", "time": "", "when": "later", "account": [account.pk]}
    )
    assert refused.status_code == 400 and PublishSchedule.objects.count() == 1
    for view in ("month", "week", "list"):
        assert client.get(reverse("videos:schedule"), {"view": view}).status_code == 200
    month = client.get(reverse("videos:schedule"), {"view": "month", "month": "2030-03"})
    assert f"/schedules/{schedule.pk}/posts/" in month.content.decode()


# -- API --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_schedules_api(ready, owner, account, viewer, outsider, workspace):
    from tests.videos.conftest import api_for

    payload = {
        "video": ready.pk,
        "publish_at": "2030-03-10T09:30:00-04:00",
        "time_zone": "America/New_York",
        "platforms": [{"platform": "x", "account": account.pk, "caption": "Hello"}],
    }
    created = api_for(owner).post(reverse("api:schedule-list"), payload, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["publish_at"].startswith("2030-03-10T13:30:00")
    assert [(p["platform"], p["status"]) for p in body["posts"]] == [("x", "scheduled")]
    detail_url = reverse("api:schedule-detail", args=[body["id"]])
    assert api_for(viewer).get(detail_url).json()["status"] == "scheduled"
    assert api_for(outsider).get(detail_url).status_code == 404
    listed = api_for(owner).get(reverse("api:schedule-list"), {"workspace": workspace.pk})
    assert [s["id"] for s in listed.json()["results"]] == [body["id"]]
    assert (
        api_for(outsider).get(reverse("api:schedule-list"), {"workspace": workspace.pk}).status_code
        == 404
    )
    assert (
        api_for(viewer).post(reverse("api:schedule-list"), payload, format="json").status_code
        == 403
    )
    past = {**payload, "publish_at": "2020-01-01T00:00:00Z"}
    refused = api_for(owner).post(reverse("api:schedule-list"), past, format="json")
    assert refused.status_code == 400 and "publish_at" in refused.json()["error"]["fields"]
    cancel_url = reverse("api:schedule-cancel", args=[body["id"]])
    assert api_for(viewer).post(cancel_url).status_code == 403
    cancelled = api_for(owner).post(cancel_url)
    assert cancelled.json()["status"] == "cancelled"
    assert api_for(owner).post(cancel_url).status_code == 400
    assert PublishSchedule.objects.count() == 1


@pytest.mark.django_db
def test_the_report_is_in_the_requesters_language(
    x_server, ready, owner, account, django_capture_on_commit_callbacks
):
    from django.utils import translation

    owner.profile.language = "de"
    owner.profile.save()
    _x_protocol(x_server)
    post_id, lease = _claim_one(_schedule(ready, owner, account))
    with django_capture_on_commit_callbacks(execute=True):
        dispatcher.publish_post(post_id=post_id, lease=lease)
    [report] = mail.outbox
    with translation.override("de"):
        hello = translation.gettext("Hello,")
    assert hello != "Hello," and report.body.startswith(hello)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_calendar_and_list_query_counts_are_fixed(
    ready, owner, account, workspace, count, django_assert_max_num_queries
):
    for n in range(count):
        _schedule(ready, owner, account, publish_at=_tomorrow() + dt.timedelta(hours=n))
    client = client_in(owner, workspace)
    month = _tomorrow().strftime("%Y-%m")
    for params in ({"view": "month", "month": month}, {"view": "week"}, {"view": "list"}):
        # session, user, profile, memberships, the rows (and for the list: count, posts),
        # the bell's unread count
        with django_assert_max_num_queries(8):
            response = client.get(reverse("videos:schedule"), params)
        assert response.status_code == 200, params


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_the_post_page_query_count_is_fixed(
    ready, owner, account, workspace, count, django_assert_max_num_queries
):
    schedule = _schedule(ready, owner, account)
    post = schedule.posts.get()
    PublishAttempt.objects.bulk_create(
        PublishAttempt(post=post, number=n + 1, outcome="retry", requests=["POST /x → 500"])
        for n in range(count)
    )
    client = client_in(owner, workspace)
    url = reverse("videos:post_detail", args=[schedule.pk, post.pk])
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("POST /x → 500") == count
