"""Publishing to the sandbox test channel through the real path: schedule, dispatcher, lease,
publish task, retries, attempt log and report; the result on the channel's own page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from analytics.models import Event
from integrations.models import SandboxPost
from integrations.publishers import Media, PostContent, Progress, publisher_for
from tests.conftest import client_for, client_in
from videos import tasks
from videos.models import PlatformPost, PublishAttempt
from videos.publishing import dispatcher
from videos.publishing.dispatcher import POST_LEASE

from .conftest import claim_one, sandbox_schedule, tomorrow

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.django_db
def test_publishing_now_ends_on_the_sandbox_page(
    ready, owner, sandbox, workspace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the dispatcher runs on commit
        schedule = sandbox_schedule(ready, owner, sandbox, publish_at=None)
    post = schedule.posts.get()
    [sandbox_post] = SandboxPost.objects.all()
    url = f"{settings.SITE_URL}/sandbox/posts/{sandbox_post.pk}/"
    assert (post.status, post.remote_id, post.remote_url) == (
        "published",
        str(sandbox_post.pk),
        url,
    )
    assert sandbox_post.account == sandbox and sandbox_post.caption == "Launch day!"
    assert sandbox_post.video_key == ready.current_version.file.name
    [attempt] = PublishAttempt.objects.filter(post=post)
    assert attempt.outcome == "published" and attempt.requests[0].startswith("POST sandbox:/posts")
    event = Event.objects.get(name="video.published")
    assert (event.properties["platform"], event.properties["url"]) == ("sandbox", url)
    schedule.refresh_from_db()
    assert schedule.status == "published"
    [report] = mail.outbox
    assert url in report.body and "Sandbox (test channel)" in report.body

    page = client_in(owner, workspace).get(reverse("videos:sandbox_post", args=[sandbox_post.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Test channel — nothing is posted anywhere" in html
    assert "<video" in html and 'src="/files/' in html  # a signed link to the version's file
    assert "Launch day!" in html and url in html
    assert f'datetime="{timezone.localtime(sandbox_post.published_at).isoformat()}' in html
    assert reverse("videos:post_detail", args=[schedule.pk, post.pk]) in html


@pytest.mark.django_db
def test_the_test_channel_is_labelled_on_the_form_the_calendar_and_the_post(
    ready, owner, sandbox, workspace
):
    client = client_in(owner, workspace)
    form = client.get(reverse("videos:schedule_new", args=[ready.pk])).content.decode()
    assert "Sandbox (test channel)" in form and "badge-sandbox" in form
    schedule = sandbox_schedule(ready, owner, sandbox)
    month = client.get(reverse("videos:schedule"), {"month": f"{tomorrow():%Y-%m}"})
    assert "Sandbox (test channel)" in month.content.decode()
    post = schedule.posts.get()
    detail = client.get(reverse("videos:post_detail", args=[schedule.pk, post.pk]))
    assert "Test channel — nothing is posted anywhere" in detail.content.decode()


@pytest.mark.django_db
def test_fail_in_the_caption_takes_the_retry_path_to_the_failure_report(
    ready, owner, sandbox, django_capture_on_commit_callbacks
):
    schedule = sandbox_schedule(ready, owner, sandbox, caption="Launch #fail")
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            post_id, lease = claim_one(schedule)
            statuses.append(dispatcher.publish_post(post_id=post_id, lease=lease))
    assert statuses == ["scheduled", "scheduled", "scheduled", "failed"]
    outcomes = list(
        PublishAttempt.objects.filter(post_id=post_id)
        .order_by("number")
        .values_list("outcome", flat=True)
    )
    assert outcomes == ["retry", "retry", "retry", "failed"]
    assert not SandboxPost.objects.exists()
    schedule.refresh_from_db()
    assert schedule.status == "failed"
    [report] = mail.outbox
    assert "#fail" in report.body


@pytest.mark.django_db
def test_a_repeated_task_or_dispatcher_run_makes_one_sandbox_post(ready, owner, sandbox):
    schedule = sandbox_schedule(ready, owner, sandbox)
    post_id, lease = claim_one(schedule)
    assert dispatcher.publish_post(post_id=post_id, lease=lease) == "published"
    assert dispatcher.publish_post(post_id=post_id, lease=lease) is None  # redelivered
    assert tasks.dispatch_due_posts() == 0  # the next minute's run finds nothing due
    assert SandboxPost.objects.count() == 1
    assert PublishAttempt.objects.filter(post_id=post_id).count() == 1


@pytest.mark.django_db
def test_a_retry_after_a_lost_worker_finds_the_first_sandbox_post(ready, owner, sandbox):
    schedule = sandbox_schedule(ready, owner, sandbox)
    post_id, lease = claim_one(schedule)
    post = PlatformPost.objects.get(pk=post_id)
    # The worker "uploads" (the channel records the post), then dies before saving the outcome.
    publisher_for("sandbox").publish(
        account=sandbox,
        token="",
        media=Media(open=lambda: None, size=1, duration=10, width=64, height=36, key="k.mp4"),
        content=PostContent(title=post.title, caption=post.caption),
        progress=Progress(
            dict(post.progress), lambda data: POST_LEASE.heartbeat(post, progress=data)
        ),
    )
    later = timezone.now() + dt.timedelta(seconds=settings.PUBLISH_TIMEOUT_SECONDS + 1)
    assert dispatcher.recover_stuck_posts(now=later) == 1
    post_id, new_lease = claim_one(schedule)
    assert dispatcher.publish_post(post_id=post_id, lease=lease) is None  # the old claim is void
    assert dispatcher.publish_post(post_id=post_id, lease=new_lease) == "published"
    [sandbox_post] = SandboxPost.objects.all()
    post.refresh_from_db()
    assert (post.remote_id, post.attempts) == (str(sandbox_post.pk), 2)


@pytest.mark.django_db
def test_the_sandbox_page_is_for_the_workspaces_members(
    ready, owner, sandbox, viewer, outsider, workspace, client
):
    schedule = sandbox_schedule(ready, owner, sandbox)
    post_id, lease = claim_one(schedule)
    dispatcher.publish_post(post_id=post_id, lease=lease)
    url = reverse("videos:sandbox_post", args=[SandboxPost.objects.get().pk])
    assert client_in(viewer, workspace).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404
    assert client.get(url).status_code == 302  # to sign in
    assert (
        client_for(outsider).get(reverse("videos:sandbox_post", args=[999999])).status_code == 404
    )
