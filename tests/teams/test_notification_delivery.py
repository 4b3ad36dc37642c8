"""Notifications: who hears about mentions and replies, in the app and by e-mail in their own
language, and each e-mail going out once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from teams import tasks
from teams.models import Notification, NotificationKind
from teams.notification_messages import notification_message
from teams.services.notifications import notify
from tests.teams.conftest import set_language

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.django_db
def test_a_mention_notifies_in_the_app_and_mails_once_in_the_readers_language(
    version, owner, editor, say
):
    set_language(owner, "en")
    set_language(editor, "de")
    comment = say(owner, "@Edith Editor the logo is too small", time_ms=5000)

    notification = Notification.objects.get(recipient=editor)
    assert notification.kind == NotificationKind.MENTION
    assert (notification.comment, notification.actor) == (comment, owner)
    assert notification.in_app and notification.email_wanted and notification.emailed_at
    assert notification.url == (
        reverse("videos:version", args=[version.video_id, 1])
        + f"?thread={comment.pk}#comment-{comment.pk}"
    )
    assert notification_message(notification) == (
        "Olivia Owner mentioned you on “Launch teaser” (version 1, at 0:05)"
    )

    [message] = mail.outbox
    assert message.to == ["editor@example.com"]
    # In the reader's German (locale/de), not the author's English.
    german = "Olivia Owner hat dich in „Launch teaser“ erwähnt (Version 1, bei 0:05)"
    with translation.override("de"):
        assert notification_message(notification) == german
    assert message.subject == german
    assert message.body.startswith("Hallo,")
    assert german in message.body
    assert "Hier öffnen:" in message.body
    assert "mentioned you" not in message.body
    assert "the logo is too small" in message.body  # the excerpt
    open_url = f"{settings.SITE_URL}/team/notifications/{notification.pk}/open/"
    assert open_url in message.body
    assert reverse("teams:notification_open", args=[notification.pk]) in open_url
    assert f"{settings.SITE_URL}{reverse('teams:notification_preferences')}" in message.body
    assert message.extra_headers["X-Entity-Ref-ID"] == f"notification-{notification.pk}"


@pytest.mark.django_db
def test_mentioning_oneself_notifies_nobody(version, owner, say):
    say(owner, "@Olivia Owner note to self", time_ms=0)
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_reply_that_mentions_the_parents_author_notifies_once(version, owner, editor, say):
    root = say(owner, "Too dark here?", time_ms=1000)
    reply = say(editor, "@Olivia Owner yes, brighten it", parent=root)
    [notification] = Notification.objects.filter(recipient=owner)
    assert (notification.kind, notification.comment) == (NotificationKind.MENTION, reply)
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]


@pytest.mark.django_db
def test_a_reply_notifies_the_parents_author_and_the_threads_author(
    version, owner, editor, viewer, admin_user, say
):
    root = say(owner, "Root", time_ms=2000)
    middle = say(editor, "First reply", parent=root)
    deep = say(viewer, "A deeper reply", parent=middle)

    assert [(n.recipient, n.kind) for n in Notification.objects.filter(comment=middle)] == [
        (owner, NotificationKind.REPLY)
    ]
    deep_notifications = Notification.objects.filter(comment=deep)
    assert {(n.recipient, n.kind) for n in deep_notifications} == {
        (editor, NotificationKind.REPLY),  # the parent's author
        (owner, NotificationKind.REPLY),  # the thread's author
    }
    assert not Notification.objects.filter(recipient__in=[admin_user, viewer]).exists()
    assert notification_message(deep_notifications.get(recipient=owner)) == (
        "Victor Viewer replied on “Launch teaser” (version 1, at 0:02)"
    )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "editor@example.com",
        "owner@example.com",
        "owner@example.com",
    ]


def _notify(recipient, actor, key: str, **extra) -> Notification:
    """A notification whose e-mail was queued on a commit that never ran (the test's
    transaction rolls back), as if the broker had lost the message."""
    return notify(
        recipient=recipient,
        kind=NotificationKind.MENTION,
        key=key,
        actor=actor,
        params={"video": "Launch teaser", "number": 1, "at": "0:01", "excerpt": "hi"},
        url="/",
        **extra,
    )


@pytest.mark.django_db
def test_the_email_task_sends_once(owner, editor):
    notification = _notify(editor, owner, "mention:test")
    assert mail.outbox == []  # the on-commit message never went out
    tasks.send_notification_email(notification.pk)
    tasks.send_notification_email(notification.pk)  # a redelivered message
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


@pytest.mark.django_db
def test_pending_emails_are_requeued_only_when_old_and_unsent(owner, editor, viewer, admin_user):
    lost = _notify(editor, owner, "mention:lost")
    recent = _notify(viewer, owner, "mention:recent")
    sent = _notify(admin_user, owner, "mention:sent")
    unwanted = _notify(owner, editor, "mention:app-only", email=False)
    long_ago = timezone.now() - timedelta(minutes=6)
    Notification.objects.filter(pk__in=[lost.pk, sent.pk, unwanted.pk]).update(created_at=long_ago)
    Notification.objects.filter(pk=recent.pk).update(
        created_at=timezone.now() - timedelta(minutes=4)
    )
    Notification.objects.filter(pk=sent.pk).update(emailed_at=long_ago)

    assert tasks.send_pending_notification_emails() == 1
    assert [m.to for m in mail.outbox] == [["editor@example.com"]]
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.emailed_at is not None and recent.emailed_at is None
    assert tasks.send_pending_notification_emails() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_notifying_twice_with_the_same_key_makes_one_notification(
    owner, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = _notify(editor, owner, "mention:42")
        second = _notify(editor, owner, "mention:42")
    assert second.pk == first.pk
    assert Notification.objects.filter(recipient=editor).count() == 1
    assert len(callbacks) == 1 and len(mail.outbox) == 1
    # The key is per recipient: someone else can hear about the same cause.
    assert _notify(owner, editor, "mention:42").pk != first.pk
