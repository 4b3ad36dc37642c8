"""Notification preferences: each kind in the app and by e-mail, on or off, and the page that
saves them."""

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from teams.models import Notification, NotificationKind, NotificationPreference
from teams.selectors import notifications_for, unread_count
from teams.services.notifications import notification_preferences_update
from tests.conftest import client_for
from tests.teams.conftest import ALL_KINDS, bell_count
from tests.videos.conftest import api_for

pytestmark = pytest.mark.usefixtures("english")


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
    assert bell_count(page) is None
    data = api_for(editor).get(reverse("api:notifications")).json()
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
def test_a_kind_the_page_does_not_know_is_ignored_and_the_rest_saved(editor):
    client = client_for(editor)
    url = reverse("teams:notification_preferences")
    response = client.post(url, {"in_app": ["reply", "retired-kind", "x\x00"], "email": []})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=editor)
    assert {kind for kind, on in preference.in_app.items() if on} == {"reply"}
    assert not any(preference.email.values())


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
        "publishing": False,
    }
    assert preference.email == {
        "mention": True,
        "reply": True,
        "invitation": False,
        "review": False,
        "publishing": False,
    }
    page = client.get(url)
    assertContains(page, 'id="in-app-mention" aria-label')  # unchecked now
    assertContains(page, 'id="email-mention" checked')
    assertContains(page, 'id="email-review" aria-label')

    say(owner, "@Edith Editor by e-mail only", time_ms=0)
    notification = Notification.objects.get(recipient=editor)
    assert (notification.in_app, notification.email_wanted) == (False, True)
    assert len(mail.outbox) == 1 and unread_count(user=editor) == 0
