"""Notifications: who hears about mentions, replies and invitations, in the app and by e-mail,
in their own language, once; the bell, the pages and the API."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains
from rest_framework.test import APIClient

from teams import tasks
from teams.models import (
    Membership,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from teams.notification_messages import notification_message
from teams.selectors import notifications_for, unread_count
from teams.services.invitations import invitations_create
from teams.services.notifications import (
    notification_mark_read,
    notification_preferences_update,
    notify,
)
from teams.services.review import comment_create
from tests.conftest import client_for
from tests.factories import UserFactory

ALL_KINDS = set(NotificationKind.values)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English unless a test says otherwise."""
    with translation.override("en"):
        yield


@pytest.fixture
def say(version, django_capture_on_commit_callbacks):
    """`say(author, text, time_ms=…, parent=…)` → a comment made through the service, with the
    e-mails its commit would queue sent (Celery runs tasks eagerly in tests)."""

    def make(author, text, *, time_ms=None, parent=None):
        with django_capture_on_commit_callbacks(execute=True):
            return comment_create(
                version=version, author=author, text=text, time_ms=time_ms, parent=parent
            )

    return make


def _set_language(user, language: str) -> None:
    user.profile.language = language
    user.profile.save()


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _bell(html: str) -> str:
    match = re.search(r'<a class="notification-bell" id="notification-bell".*?</a>', html, re.S)
    assert match, "the bell is in the header"
    return match.group(0)


def _bell_count(response) -> int | None:
    match = re.search(
        r'<span class="bell-count" data-unread="(\d+)">', _bell(response.content.decode())
    )
    return int(match.group(1)) if match else None


# -- who is notified ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_mention_notifies_in_the_app_and_mails_once_in_the_readers_language(
    version, owner, editor, say
):
    _set_language(owner, "en")
    _set_language(editor, "de")
    comment = say(owner, "@Edith Editor the logo is too small", time_ms=5000)

    notification = Notification.objects.get(recipient=editor)
    assert notification.kind == NotificationKind.MENTION
    assert (notification.comment, notification.actor) == (comment, owner)
    assert notification.in_app and notification.email_wanted and notification.emailed_at
    assert notification.url == (
        reverse("videos:version", args=[version.video_id, 1]) + f"#comment-{comment.pk}"
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


# -- preferences ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_mention_emails_off_keeps_the_in_app_notification(version, owner, editor, say):
    notification_preferences_update(
        user=editor, in_app=ALL_KINDS, email=ALL_KINDS - {NotificationKind.MENTION}
    )
    say(owner, "@Edith Editor look at this", time_ms=0)
    notification = Notification.objects.get(recipient=editor)
    assert notification.in_app and not notification.email_wanted
    assert mail.outbox == []
    assert unread_count(user=editor) == 1
    assert list(notifications_for(user=editor)) == [notification]


@pytest.mark.django_db
def test_in_app_off_and_email_on_sends_the_mail_only(version, owner, editor, say):
    notification_preferences_update(
        user=editor, in_app=ALL_KINDS - {NotificationKind.MENTION}, email=ALL_KINDS
    )
    say(owner, "@Edith Editor look at this", time_ms=0)
    notification = Notification.objects.get(recipient=editor)
    assert not notification.in_app and notification.email_wanted and notification.emailed_at
    assert [m.to for m in mail.outbox] == [["editor@example.com"]]
    assert unread_count(user=editor) == 0
    assert list(notifications_for(user=editor)) == []
    page = client_for(editor).get(reverse("teams:notifications"))
    assertNotContains(page, "mentioned you")
    assert _bell_count(page) is None
    data = _api(editor).get(reverse("api:notifications")).json()
    assert (data["results"], data["unread"]) == ([], 0)
    # The link in the e-mail still works for its reader.
    opened = client_for(editor).get(reverse("teams:notification_open", args=[notification.pk]))
    assert opened.status_code == 302 and opened.url == notification.url


@pytest.mark.django_db
def test_both_channels_off_means_nothing_at_all(version, owner, editor, say):
    notification_preferences_update(
        user=editor, in_app=ALL_KINDS - {"mention"}, email=ALL_KINDS - {"mention"}
    )
    say(owner, "@Edith Editor look at this", time_ms=0)
    assert not Notification.objects.filter(recipient=editor).exists()
    assert mail.outbox == []
    # Other kinds are still on: a reply to the editor's comment is heard.
    root = say(editor, "Mine", time_ms=0)
    say(owner, "An answer", parent=root)
    assert Notification.objects.get(recipient=editor).kind == NotificationKind.REPLY


@pytest.mark.django_db
def test_the_settings_page_saves_the_preferences(version, owner, editor, say):
    client = client_for(editor)
    url = reverse("teams:notification_preferences")
    page = client.get(url)
    assertContains(page, 'id="email-mention" checked')  # no row yet: everything on
    response = client.post(
        url,
        {"in_app": ["reply", "invitation", "review"], "email": ["mention", "reply"]},
    )
    assert response.status_code == 302 and response.url == url
    preference = NotificationPreference.objects.get(user=editor)
    assert preference.in_app == {
        "mention": False,
        "reply": True,
        "invitation": True,
        "review": True,
    }
    assert preference.email == {
        "mention": True,
        "reply": True,
        "invitation": False,
        "review": False,
    }
    page = client.get(url)
    assertContains(page, 'id="in-app-mention" aria-label')  # unchecked now
    assertContains(page, 'id="email-mention" checked')
    assertContains(page, 'id="email-review" aria-label')

    say(owner, "@Edith Editor by e-mail only", time_ms=0)
    notification = Notification.objects.get(recipient=editor)
    assert (notification.in_app, notification.email_wanted) == (False, True)
    assert len(mail.outbox) == 1 and unread_count(user=editor) == 0


# -- sending once --------------------------------------------------------------------------------


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


# -- invitations --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_invited_user_with_an_account_is_told_in_the_app_and_answers_there(
    workspace, owner, django_capture_on_commit_callbacks
):
    ann = UserFactory(email="ann@example.com", name="Ann Example")
    with django_capture_on_commit_callbacks(execute=True):
        [invitation] = invitations_create(
            workspace=workspace, emails=["Ann@Example.com"], role="editor", actor=owner
        )
    notification = Notification.objects.get(recipient=ann)
    assert notification.kind == NotificationKind.INVITATION
    assert notification.url == reverse("teams:invitation_received", args=[invitation.pk])
    assert notification.in_app and not notification.email_wanted  # the invitation is the e-mail
    assert [m.to for m in mail.outbox] == [["Ann@Example.com"]]
    assert notification_message(notification) == (
        "Olivia Owner invited you to join Acme Studio as Editor"
    )

    someone_else = client_for(UserFactory(email="bob@example.com"))
    assert someone_else.get(notification.url).status_code == 404
    assert someone_else.post(notification.url, {"action": "accept"}).status_code == 404
    assert not Membership.objects.filter(team=workspace, user__email="bob@example.com").exists()

    client = client_for(ann)
    opened = client.get(reverse("teams:notification_open", args=[notification.pk]))
    assert opened.status_code == 302 and opened.url == notification.url
    page = client.get(notification.url)
    assertContains(page, "Olivia Owner invited you to join Acme Studio.")
    assertContains(page, 'value="accept"')
    response = client.post(notification.url, {"action": "accept"})
    assert response.status_code == 302 and response.url == reverse("teams:team")
    assert Membership.objects.get(team=workspace, user=ann).role == "editor"
    invitation.refresh_from_db()
    notification.refresh_from_db()
    assert invitation.accepted_by == ann and notification.read_at is not None
    # Used now: the page says so and a second accept changes nothing.
    assertContains(client.get(notification.url), "This invitation is not valid any more")


@pytest.mark.django_db
def test_declining_from_the_app_marks_the_notification_read(
    workspace, owner, django_capture_on_commit_callbacks
):
    ann = UserFactory(email="ann@example.com", name="Ann Example")
    [invitation] = invitations_create(
        workspace=workspace, emails=["ann@example.com"], role="viewer", actor=owner
    )
    response = client_for(ann).post(
        reverse("teams:invitation_received", args=[invitation.pk]), {"action": "decline"}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    assert Notification.objects.get(recipient=ann).read_at is not None
    assert not Membership.objects.filter(team=workspace, user=ann).exists()


@pytest.mark.django_db
def test_no_invitation_email_for_someone_who_turned_them_off(
    workspace, owner, django_capture_on_commit_callbacks
):
    ann = UserFactory(email="ann@example.com")
    notification_preferences_update(
        user=ann, in_app=ALL_KINDS, email=ALL_KINDS - {NotificationKind.INVITATION}
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitations_create(
            workspace=workspace,
            emails=["ann@example.com", "newcomer@example.com"],
            role="viewer",
            actor=owner,
        )
    # Ann sees it in the app only; someone without an account still gets the e-mail.
    assert [m.to for m in mail.outbox] == [["newcomer@example.com"]]
    assert Notification.objects.get(recipient=ann).kind == NotificationKind.INVITATION
    assert Notification.objects.count() == 1


# -- pages ---------------------------------------------------------------------------------------


@pytest.fixture
def two_mentions(version, owner, editor, say):
    """Two mentions of the editor: at 0:01 (read) and 0:02 (unread)."""
    first = say(owner, "@Edith Editor first", time_ms=1000)
    second = say(owner, "@Edith Editor second", time_ms=2000)
    read = Notification.objects.get(recipient=editor, comment=first)
    unread = Notification.objects.get(recipient=editor, comment=second)
    notification_mark_read(notification=read, user=editor)
    return read, unread


FIRST = "Olivia Owner mentioned you on “Launch teaser” (version 1, at 0:01)"
SECOND = "Olivia Owner mentioned you on “Launch teaser” (version 1, at 0:02)"


@pytest.mark.django_db
def test_the_list_page_filter_and_bell(two_mentions, editor, owner):
    read, unread = two_mentions
    client = client_for(editor)
    page = client.get(reverse("teams:notifications"))
    assertContains(page, FIRST)
    assertContains(page, SECOND)
    html = page.content.decode()
    assert html.index(SECOND) < html.index(FIRST)  # newest first
    assertContains(page, f'<li class="notification is-unread" id="notification-{unread.pk}">')
    assertContains(page, f'<li class="notification" id="notification-{read.pk}">')
    assertContains(page, reverse("teams:notification_open", args=[unread.pk]))
    assert _bell_count(page) == 1
    assert 'href="/team/notifications/"' in _bell(html)

    only_unread = client.get(reverse("teams:notifications"), {"show": "unread"})
    assertContains(only_unread, SECOND)
    assertNotContains(only_unread, FIRST)
    # The owner has no notifications: an empty list and no count on the bell.
    owners = client_for(owner).get(reverse("teams:notifications"))
    assertNotContains(owners, "mentioned you")
    assert _bell_count(owners) is None


@pytest.mark.django_db
def test_the_bell_caps_at_99(owner, editor):
    Notification.objects.bulk_create(
        Notification(recipient=editor, kind="mention", key=f"k{n}", actor=owner) for n in range(100)
    )
    assert "99+</span>" in _bell(
        client_for(editor).get(reverse("teams:notification_preferences")).content.decode()
    )


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_goes_to_the_comment(two_mentions, editor):
    _read, unread = two_mentions
    client = client_for(editor)
    response = client.get(reverse("teams:notification_open", args=[unread.pk]))
    assert response.status_code == 302
    assert response.url == unread.url and response.url.endswith(f"#comment-{unread.comment_id}")
    unread.refresh_from_db()
    assert unread.read_at is not None
    assert _bell_count(client.get(reverse("teams:notifications"))) is None


@pytest.mark.django_db
def test_mark_one_and_all_read(two_mentions, version, owner, editor, say):
    _read, unread = two_mentions
    client = client_for(editor)
    assert client.get(reverse("teams:notification_read", args=[unread.pk])).status_code == 405
    response = client.post(reverse("teams:notification_read", args=[unread.pk]))
    assert response.status_code == 302 and response.url == reverse("teams:notifications")
    unread.refresh_from_db()
    assert unread.read_at is not None

    say(owner, "@Edith Editor third", time_ms=3000)
    say(owner, "@Edith Editor fourth", time_ms=4000)
    assert unread_count(user=editor) == 2
    response = client.post(reverse("teams:notifications_read_all"), follow=True)
    assertContains(response, "All notifications are marked as read.")
    assert unread_count(user=editor) == 0


@pytest.mark.django_db
def test_someone_elses_notification_is_not_found(two_mentions, owner, editor):
    _read, unread = two_mentions
    client = client_for(owner)
    assert client.get(reverse("teams:notification_open", args=[unread.pk])).status_code == 404
    assert client.post(reverse("teams:notification_read", args=[unread.pk])).status_code == 404
    client.post(reverse("teams:notifications_read_all"))
    unread.refresh_from_db()
    assert unread.read_at is None


# -- API ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_lists_filters_and_marks_read(two_mentions, owner, editor, version, say):
    read, unread = two_mentions
    api = _api(editor)
    data = api.get(reverse("api:notifications")).json()
    assert data["unread"] == 1 and data["count"] == 2
    assert [(n["id"], n["kind"], n["read"]) for n in data["results"]] == [
        (unread.pk, "mention", False),
        (read.pk, "mention", True),
    ]
    assert [n["message"] for n in data["results"]] == [SECOND, FIRST]
    assert data["results"][0]["actor"] == {"id": owner.pk, "name": "Olivia Owner"}
    assert data["results"][0]["url"] == f"http://testserver{unread.url}"

    data = api.get(reverse("api:notifications"), {"unread": "true"}).json()
    assert [n["id"] for n in data["results"]] == [unread.pk] and data["unread"] == 1

    response = api.post(reverse("api:notification-read", args=[unread.pk]))
    assert response.status_code == 200 and response.json()["read"] is True
    assert api.get(reverse("api:notifications")).json()["unread"] == 0

    say(owner, "@Edith Editor again", time_ms=3000)
    say(owner, "@Edith Editor and again", time_ms=4000)
    assert api.post(reverse("api:notifications-read-all")).json() == {"marked": 2}
    assert api.get(reverse("api:notifications"), {"unread": "true"}).json()["results"] == []


@pytest.mark.django_db
def test_api_someone_elses_notification_is_not_found(two_mentions, owner):
    _read, unread = two_mentions
    response = _api(owner).post(reverse("api:notification-read", args=[unread.pk]))
    assert response.status_code == 404 and "error" in response.json()
    unread.refresh_from_db()
    assert unread.read_at is None
    assert _api(owner).get(reverse("api:notifications")).json()["results"] == []


@pytest.mark.django_db
def test_messages_are_worded_when_shown_in_the_readers_language(workspace, owner):
    """The text is not stored: the list shows it in the reader's language of the moment."""
    ann = UserFactory(email="ann@example.com", name="Ann Example")
    invitations_create(workspace=workspace, emails=["ann@example.com"], role="editor", actor=owner)
    english = "Olivia Owner invited you to join Acme Studio as Editor"
    assertContains(client_for(ann).get(reverse("teams:notifications")), english)
    german = "Olivia Owner hat dich eingeladen, Acme Studio als Bearbeiter beizutreten"
    data = _api(ann).get(reverse("api:notifications"), HTTP_ACCEPT_LANGUAGE="de").json()
    assert data["results"][0]["message"] == german
    _set_language(ann, "de")
    page = client_for(ann).get(reverse("teams:notifications"))
    assertNotContains(page, english)
    assertContains(page, german)


# -- a fixed number of queries --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_list_page_query_count_is_fixed(
    workspace, owner, editor, viewer, admin_user, size, django_assert_max_num_queries
):
    actors = [owner, viewer, admin_user]
    kinds = list(NotificationKind.values)
    Notification.objects.bulk_create(
        Notification(
            recipient=editor,
            kind=kinds[n % len(kinds)],
            key=f"test:{n}",
            workspace=workspace if n % 2 else None,
            actor=actors[n % len(actors)],
            params={
                "video": f"Video {n}",
                "number": 1,
                "at": "0:01",
                "excerpt": "note",
                "workspace": "Acme Studio",
                "role": "viewer",
                "decision": "approved",
            },
            url="/",
            read_at=timezone.now() if n % 3 == 0 else None,
        )
        for n in range(size)
    )
    client = client_for(editor)
    # session, user, profile (language); memberships (header); the page's count and rows
    # (actors and workspaces joined); the bell's unread count. Measured: 7 for 3 and for 30.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("teams:notifications"))
    assert response.content.decode().count('<li class="notification') == size
