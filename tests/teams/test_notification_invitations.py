"""An invitation to someone who already has an account: told in the app, answered there."""

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains

from teams.models import Membership, Notification, NotificationKind
from teams.notification_messages import notification_message
from teams.services.invitations import invitations_create
from teams.services.notifications import notification_preferences_update
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.teams.conftest import ALL_KINDS

pytestmark = pytest.mark.usefixtures("english")


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
