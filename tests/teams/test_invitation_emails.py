"""An invitation whose e-mail was lost goes out again, once, with a fresh link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from teams import tasks
from teams.models import Invitation, NotificationKind
from teams.selectors import invitation_for_token
from teams.services.invitations import invitations_create
from teams.services.notifications import notification_preferences_update
from tests.factories import UserFactory
from tests.teams.conftest import token_from_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost(workspace, owner, django_capture_on_commit_callbacks):
    """`lost(email, minutes_ago)`: an invitation whose e-mail task message never arrived."""

    def make(email: str = "ann@example.com", minutes_ago: int = 61) -> Invitation:
        with django_capture_on_commit_callbacks(execute=False):
            [invitation] = invitations_create(
                workspace=workspace, emails=[email], role="editor", actor=owner
            )
        then = timezone.now() - timedelta(minutes=minutes_ago)
        Invitation.objects.filter(pk=invitation.pk).update(created_at=then, email_queued_at=then)
        return invitation

    return make


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.reissue_unsent_invitations()

    return run


def test_a_lost_invitation_is_sent_with_a_fresh_link_that_works(lost, sweep):
    invitation = lost()
    assert sweep() == 1
    [message] = mail.outbox
    assert message.to == ["ann@example.com"]
    token = token_from_mail(message)
    assert token != invitation.token
    assert invitation_for_token(token).pk == invitation.pk
    assert invitation_for_token(invitation.token) is None  # the undelivered link is void


def test_running_the_sweep_twice_sends_one_email(lost, sweep):
    lost()
    assert sweep() == 1
    assert sweep() == 0
    assert len(mail.outbox) == 1


def test_the_old_message_arriving_late_sends_nothing(lost, sweep):
    invitation = lost()
    sweep()
    tasks.send_invitation(invitation.pk, invitation.token)
    assert len(mail.outbox) == 1


def test_an_invitation_whose_message_may_still_come_is_left_alone(lost, sweep):
    invitation = lost(minutes_ago=59)
    assert sweep() == 0
    assert invitation_for_token(invitation.token).pk == invitation.pk


def test_someone_who_turned_invitation_emails_off_gets_none(lost, sweep):
    user = UserFactory(email="ann@example.com")
    kinds = set(NotificationKind.values)
    notification_preferences_update(user=user, in_app=kinds, email=kinds - {"invitation"})
    lost("ann@example.com")
    assert sweep() == 0
    assert mail.outbox == []


def test_an_answered_invitation_is_not_sent(lost, sweep):
    invitation = lost()
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    assert sweep() == 0
    assert mail.outbox == []


def test_a_reissued_invitation_is_not_reissued_again_while_its_message_waits(
    lost, django_capture_on_commit_callbacks
):
    """A busy queue: the re-issued message has not reached a worker by the next sweep. It is
    left to arrive instead of being superseded by a third token."""
    invitation = lost()
    with django_capture_on_commit_callbacks(execute=False):
        assert tasks.reissue_unsent_invitations() == 1
    reissued = Invitation.objects.get(pk=invitation.pk)
    with django_capture_on_commit_callbacks(execute=False):
        assert tasks.reissue_unsent_invitations() == 0
    assert Invitation.objects.get(pk=invitation.pk).token_hash == reissued.token_hash


def test_an_invitation_never_meant_to_be_emailed_stays_unsent_after_opting_in(
    workspace, owner, sweep
):
    user = UserFactory(email="ann@example.com")
    kinds = set(NotificationKind.values)
    notification_preferences_update(user=user, in_app=kinds, email=kinds - {"invitation"})
    [invitation] = invitations_create(
        workspace=workspace, emails=[user.email], role="editor", actor=owner
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    notification_preferences_update(user=user, in_app=kinds, email=kinds)
    assert sweep() == 0
    assert mail.outbox == []
