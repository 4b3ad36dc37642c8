"""The review decision on a version: approving or requesting changes, and where it shows."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from analytics.models import Event
from teams.models import Notification, NotificationKind
from teams.notification_messages import notification_message
from tests.conftest import client_in
from videos.models import ReviewState

from .conftest import add_comment, version_url

pytestmark = pytest.mark.usefixtures("english")


# -- the review decision ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_approving_and_requesting_changes_through_the_page(
    version,
    video,
    workspace,
    owner,
    admin_user,
    editor,
    viewer,
    django_capture_on_commit_callbacks,
):
    add_comment(version, viewer, "Looks good", time_ms=0)
    client = client_in(editor, workspace)
    url = reverse("videos:version_decide", args=[video.pk, 1])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approved", "note": "Ship it"})
    assert response.status_code == 302 and response.url == version_url(video)
    version.refresh_from_db()
    assert version.review_state == ReviewState.APPROVED
    assert (version.reviewed_by, version.review_note) == (editor, "Ship it")
    assert version.reviewed_at is not None
    event = Event.objects.get(name="video.approved")
    assert (event.actor, event.subject_id) == (editor, str(video.pk))
    assert event.properties["version"] == 1

    approved = list(Notification.objects.filter(kind=NotificationKind.REVIEW))
    # the video's creator (the owner) and the commenter; not the decider, not the silent admin
    assert {n.recipient for n in approved} == {owner, viewer}
    assert {notification_message(n) for n in approved} == {
        "Edith Editor approved version 1 of “Launch teaser”"
    }
    assert {n.url for n in approved} == {version_url(video)}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "owner@example.com",
        "viewer@example.com",
    ]

    page = client.get(version_url(video))
    assertContains(page, 'data-review-state="approved"')
    assertContains(page, "Version 1 is approved.")

    client.post(url, {"decision": "changes_requested", "note": "Logo, please"})
    version.refresh_from_db()
    assert version.review_state == ReviewState.CHANGES_REQUESTED
    assert Event.objects.filter(name="video.changes_requested").count() == 1
    changes = Notification.objects.filter(kind=NotificationKind.REVIEW).exclude(
        pk__in=[n.pk for n in approved]
    )
    assert {n.recipient for n in changes} == {owner, viewer}
    assert {notification_message(n) for n in changes} == {
        "Edith Editor requested changes to version 1 of “Launch teaser”"
    }
    # the same decision again changes nothing and tells nobody again
    client.post(url, {"decision": "changes_requested", "note": "Logo, please"})
    assert Event.objects.filter(name="video.changes_requested").count() == 1
    assert Notification.objects.filter(kind=NotificationKind.REVIEW).count() == 4


@pytest.mark.django_db
def test_viewers_cannot_decide_and_bad_decisions_change_nothing(
    version, video, workspace, editor, viewer
):
    url = reverse("videos:version_decide", args=[video.pk, 1])
    assert client_in(viewer, workspace).post(url, {"decision": "approved"}).status_code == 403
    response = client_in(editor, workspace).post(url, {"decision": "perfect"}, follow=True)
    assertContains(response, "Choose “Approved” or “Changes requested”.")
    version.refresh_from_db()
    assert version.review_state == ReviewState.PENDING and version.reviewed_by is None
    assert not Event.objects.filter(name__startswith="video.approved").exists()
    assert not Notification.objects.exists()
    # the decision buttons are for editors only
    assertNotContains(client_in(viewer, workspace).get(version_url(video)), 'name="decision"')
    assertContains(client_in(editor, workspace).get(version_url(video)), 'name="decision"')


@pytest.mark.django_db
def test_the_video_page_and_list_show_the_review_state(version, video, workspace, editor):
    client = client_in(editor, workspace)
    assertContains(
        client.get(reverse("videos:detail", args=[video.pk])), 'data-review-state="pending"'
    )
    assertContains(client.get(reverse("videos:list")), 'data-review-state="pending"')
    client.post(reverse("videos:version_decide", args=[video.pk, 1]), {"decision": "approved"})
    detail = client.get(reverse("videos:detail", args=[video.pk]))
    assertContains(detail, 'data-review-state="approved"')
    assertNotContains(detail, 'data-review-state="pending"')
    assertContains(client.get(reverse("videos:list")), 'data-review-state="approved"')
