"""Publishing by hand, on any platform (connected or not): at the time the requester gets one
notification and one e-mail (language, time zone, download link, caption), then marks the post
published with its link or skips it, on the page or through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from analytics.models import Event
from teams.models import Notification
from teams.notification_messages import notification_message
from tests.conftest import client_for, client_in
from tests.videos.conftest import api_error, api_for
from videos import tasks
from videos.models import PlatformPost, PublishSchedule
from videos.publishing import dispatcher

from .conftest import claim_one, manual_schedule, summer_day_in_new_york, tomorrow

pytestmark = pytest.mark.usefixtures("english")

LINK = "https://www.tiktok.com/@acme/video/7301"


def _due(schedule, capture) -> PlatformPost:
    """Run the dispatcher's part: the post becomes due and waits for its requester."""
    with capture(execute=True):
        post_id, lease = claim_one(schedule)
        assert dispatcher.publish_post(post_id=post_id, lease=lease) == "awaiting"
    post = PlatformPost.objects.get(pk=post_id)
    post.claimed_with = lease
    return post


def _mark_url(post) -> str:
    return reverse("videos:post_mark_published", args=[post.schedule_id, post.pk])


def _api_url(name: str, post) -> str:
    return reverse(f"api:schedule-post-{name}", args=[post.schedule_id, post.pk])


# -- scheduling -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_schedules_by_hand_with_no_account_connected(ready, owner, workspace):
    client = client_in(owner, workspace)
    url = reverse("videos:schedule_new", args=[ready.pk])
    form = client.get(url).content.decode()
    assert 'name="manual" value="tiktok"' in form and 'name="manual" value="sandbox"' not in form
    assert reverse("integrations:connect", args=["sandbox"]) in form  # or try the test channel
    response = client.post(
        url,
        {
            "date": (tomorrow() + dt.timedelta(days=1)).date().isoformat(),
            "time": "09:30",
            "when": "later",
            "manual": ["tiktok"],
            "caption_manual_tiktok": "Out now",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = PlatformPost.objects.get()
    assert (post.platform, post.manual, post.account, post.caption) == (
        "tiktok",
        True,
        None,
        "Out now",
    )
    detail = client.get(response["Location"]).content.decode()
    assert "TikTok" in detail and "by hand" in detail


@pytest.mark.django_db
def test_the_api_schedules_by_hand_on_any_platform_but_the_sandbox(ready, owner, sandbox):
    api = api_for(owner)
    payload = {
        "video": ready.pk,
        "publish_at": tomorrow().isoformat(),
        "platforms": [{"platform": "youtube", "manual": True, "caption": "Watch"}],
    }
    created = api.post(reverse("api:schedule-list"), payload, format="json")
    assert created.status_code == 201, created.content
    [post] = created.json()["posts"]
    assert (post["platform"], post["manual"], post["account"]) == ("youtube", True, None)
    for platforms in [
        [{"platform": "sandbox", "manual": True}],  # the test channel publishes by itself
        [{"platform": "x", "manual": True, "account": sandbox.pk}],  # by hand: no account
        [{"platform": "x"}],  # not by hand: an account is needed
    ]:
        refused = api.post(
            reverse("api:schedule-list"), {**payload, "platforms": platforms}, format="json"
        )
        assert refused.status_code == 400, platforms
        assert "platforms" in api_error(refused)["fields"], refused.json()
    assert PublishSchedule.objects.count() == 1


# -- at the time ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_at_its_time_the_requester_is_notified_and_emailed_once(
    ready, owner, workspace, django_capture_on_commit_callbacks
):
    owner.profile.time_zone = "America/New_York"
    owner.profile.save()
    day = summer_day_in_new_york()
    publish_at = dt.datetime.combine(day, dt.time(13, 30), tzinfo=dt.UTC)  # 09:30 EDT
    schedule = manual_schedule(ready, owner, publish_at=publish_at)
    post = _due(schedule, django_capture_on_commit_callbacks)
    schedule.refresh_from_db()
    assert (post.status, schedule.status) == ("awaiting", "publishing")
    assert post.emailed_at is not None

    [notification] = Notification.objects.filter(recipient=owner)
    assert notification.kind == "publishing"
    assert notification.url == reverse("videos:post_detail", args=[schedule.pk, post.pk])
    assert "TikTok" in notification_message(notification)

    [email] = mail.outbox
    assert email.to == [owner.email] and ready.title in email.subject
    body = email.body
    assert f"/schedules/{schedule.pk}/posts/{post.pk}/download/" in body
    assert f"/schedules/{schedule.pk}/posts/{post.pk}/\n" in body
    assert "Out now #launch" in body
    assert "9:30" in body and "America/New_York" in body and "13:30" not in body
    [due] = Event.objects.filter(name="video.manual_publish_due")
    assert due.properties == {"platform": "tiktok", "schedule_id": schedule.pk, "post_id": post.pk}

    # A redelivered task, the next dispatcher run, the e-mail task again and the sweep: nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatcher.publish_post(post_id=post.pk, lease=post.claimed_with) is None
        assert tasks.dispatch_due_posts() == 0
        tasks.send_manual_post_email(post.pk)
        assert tasks.send_unsent_manual_post_emails() == 0
    assert len(mail.outbox) == 1 and Notification.objects.count() == 1


@pytest.mark.django_db
def test_a_lost_email_is_sent_by_the_sweep_once(ready, owner, django_capture_on_commit_callbacks):
    schedule = manual_schedule(ready, owner)
    post_id, lease = claim_one(schedule)
    dispatcher.publish_post(post_id=post_id, lease=lease)  # its e-mail task is never run
    assert mail.outbox == []
    PlatformPost.objects.filter(pk=post_id).update(
        next_attempt_at=tomorrow() - dt.timedelta(days=2)
    )
    assert tasks.send_unsent_manual_post_emails() == 1
    assert tasks.send_unsent_manual_post_emails() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_email_is_in_the_requesters_language(ready, owner, django_capture_on_commit_callbacks):
    owner.profile.language = "de"
    owner.profile.save()
    _due(manual_schedule(ready, owner), django_capture_on_commit_callbacks)
    [email] = mail.outbox
    with translation.override("de"):
        hello = translation.gettext("Hello %(name)s,") % {"name": owner.display_name}
    assert hello.startswith("Hallo") and email.body.startswith(hello)


# -- marking published or skipped -------------------------------------------------------------


@pytest.mark.django_db
def test_marking_published_on_the_post_page(
    ready, owner, editor, workspace, django_capture_on_commit_callbacks
):
    post = _due(manual_schedule(ready, owner), django_capture_on_commit_callbacks)
    client = client_in(editor, workspace)
    page = client.get(reverse("videos:post_detail", args=[post.schedule_id, post.pk]))
    html = page.content.decode()
    assert "Publish it by hand" in html and _mark_url(post) in html
    assert reverse("videos:post_download", args=[post.schedule_id, post.pk]) in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_mark_url(post), {"url": f"  {LINK}  "})
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.status, post.remote_url) == ("published", LINK) and post.published_at
    post.schedule.refresh_from_db()
    assert post.schedule.status == "published"
    event = Event.objects.get(name="video.published")
    assert event.actor == editor and event.properties["manual"] is True
    assert event.properties["url"] == LINK
    assert LINK in mail.outbox[-1].body  # the schedule's report, as for any post
    assert client.post(_mark_url(post), {"url": LINK}).status_code == 400  # only once


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        "",
        "tiktok.com/@acme/video/1",
        "javascript:alert(1)",
        "ftp://files.example/v",
        "https://",
        "https://example.com/" + "a" * 500,
        "https://exa\x00mple.com/",
    ],
)
def test_a_bad_link_is_refused_with_a_400_and_changes_nothing(
    ready, owner, workspace, bad, django_capture_on_commit_callbacks
):
    post = _due(manual_schedule(ready, owner), django_capture_on_commit_callbacks)
    page = client_in(owner, workspace).post(_mark_url(post), {"url": bad})
    assert page.status_code == 400
    assert "Enter the post&#x27;s link" in page.content.decode()
    api = api_for(owner).post(_api_url("mark-published", post), {"url": bad}, format="json")
    assert api.status_code == 400 and "url" in api_error(api)["fields"]
    post.refresh_from_db()
    assert post.status == "awaiting" and post.remote_url == ""


@pytest.mark.django_db
def test_a_post_not_yet_due_cannot_be_marked(ready, owner, workspace):
    post = manual_schedule(ready, owner).posts.get()
    response = client_in(owner, workspace).post(_mark_url(post), {"url": LINK})
    assert response.status_code == 400
    assert "Only a post waiting to be published by hand" in response.content.decode()
    api = api_for(owner).post(_api_url("skip", post), {}, format="json")
    assert api.status_code == 400 and api_error(api)["code"] == "not_awaiting"
    assert PlatformPost.objects.get().status == "scheduled"


@pytest.mark.django_db
def test_skipping_closes_the_post_without_a_report(
    ready, owner, workspace, django_capture_on_commit_callbacks
):
    post = _due(manual_schedule(ready, owner), django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    url = reverse("videos:post_skip", args=[post.schedule_id, post.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_in(owner, workspace).post(url, {"note": "TikTok refused the sound"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.status, post.last_error) == ("skipped", "TikTok refused the sound")
    post.schedule.refresh_from_db()
    assert post.schedule.status == "cancelled" and len(mail.outbox) == sent
    assert Event.objects.filter(name="video.publish_skipped").count() == 1


@pytest.mark.django_db
def test_the_api_marks_published_and_skips(
    ready, owner, workspace, django_capture_on_commit_callbacks
):
    first = _due(manual_schedule(ready, owner), django_capture_on_commit_callbacks)
    second = _due(
        manual_schedule(ready, owner, platform="youtube"), django_capture_on_commit_callbacks
    )
    api = api_for(owner)
    marked = api.post(_api_url("mark-published", first), {"url": LINK}, format="json")
    assert marked.status_code == 200, marked.content
    assert (marked.json()["status"], marked.json()["remote_url"]) == ("published", LINK)
    skipped = api.post(_api_url("skip", second), {"note": "Not this week"}, format="json")
    assert skipped.status_code == 200 and skipped.json()["status"] == "skipped"
    schema = api.get("/api/schema/?format=json").json()["paths"]
    assert "/api/v1/schedules/{schedule_id}/posts/{post_id}/mark-published/" in schema
    assert "/api/v1/schedules/{schedule_id}/posts/{post_id}/skip/" in schema


@pytest.mark.django_db
def test_viewers_get_403_and_outsiders_404(
    ready, owner, viewer, outsider, workspace, django_capture_on_commit_callbacks
):
    post = _due(manual_schedule(ready, owner), django_capture_on_commit_callbacks)
    skip = reverse("videos:post_skip", args=[post.schedule_id, post.pk])
    assert client_in(viewer, workspace).post(_mark_url(post), {"url": LINK}).status_code == 403
    assert client_in(viewer, workspace).post(skip).status_code == 403
    assert client_for(outsider).post(_mark_url(post), {"url": LINK}).status_code == 404
    for name in ("mark-published", "skip"):
        url = _api_url(name, post)
        assert api_for(viewer).post(url, {"url": LINK}, format="json").status_code == 403
        assert api_for(outsider).post(url, {"url": LINK}, format="json").status_code == 404
    # A post of another schedule under this schedule's address: 404.
    other = manual_schedule(ready, owner, platform="x").posts.get()
    wrong = reverse("videos:post_mark_published", args=[post.schedule_id, other.pk])
    assert client_in(owner, workspace).post(wrong, {"url": LINK}).status_code == 404
    assert PlatformPost.objects.get(pk=post.pk).status == "awaiting"


@pytest.mark.django_db
def test_the_download_link_gives_the_scheduled_version(ready, owner, viewer, outsider, workspace):
    post = manual_schedule(ready, owner).posts.get()
    url = reverse("videos:post_download", args=[post.schedule_id, post.pk])
    response = client_in(viewer, workspace).get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == ready.current_version.file.open("rb").read()
    assert client_for(outsider).get(url).status_code == 404
