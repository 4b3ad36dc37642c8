"""Sharing the code by e-mail: one e-mail per address, in the recipient's language when they
have one, else the one chosen; a few an hour; all addresses or none."""

import pytest
from django.core import mail
from django.urls import reverse

from growth.referrals import tasks
from growth.referrals.codes import code_for
from growth.referrals.invitations import invitations_send
from growth.referrals.models import ReferralInvitation
from tests.conftest import client_for
from tests.factories import UserFactory


def _invite(client, addresses, message="", language="en"):
    return client.post(
        reverse("referrals:invite"),
        {"addresses": addresses, "message": message, "language": language},
    )


@pytest.mark.django_db
def test_one_email_per_address_with_the_personal_message(clock, referrer, on_commit):
    with on_commit():
        response = _invite(
            client_for(referrer),
            "ann@example.org, bo@example.org\nANN@example.org",
            message="Try it, it's great",
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "bo@example.org"]
    code = code_for(user=referrer).code
    for message in mail.outbox:
        assert "Try it, it's great" in message.body
        assert f"/r/{code}" in message.body
        assert message.extra_headers["Reply-To"] == referrer.email
    assert ReferralInvitation.objects.filter(emailed_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_the_email_goes_out_in_the_chosen_language(clock, referrer, on_commit):
    with on_commit():
        _invite(client_for(referrer), "ann@example.org", language="fr")
    assert mail.outbox[0].body.startswith("Bonjour,")
    assert ReferralInvitation.objects.get().language == "fr"


@pytest.mark.django_db
def test_a_recipient_with_an_account_gets_it_in_their_own_language(clock, referrer):
    """Someone who signed up between the invitation and its e-mail reads it in their language."""
    # Its task has not run yet (queued on a commit this test never makes).
    invitations = invitations_send(sender=referrer, addresses="ann@example.org", language="fr")
    ann = UserFactory(email="ann@example.org")
    ann.profile.language = "de"
    ann.profile.save()
    tasks.send_invitation(invitations[0].pk)
    assert mail.outbox[0].body.startswith("Hallo,")


@pytest.mark.django_db
def test_the_send_task_twice_sends_once(clock, referrer):
    invitation = invitations_send(sender=referrer, addresses="ann@example.org")[0]
    tasks.send_invitation(invitation.pk)
    tasks.send_invitation(invitation.pk)
    tasks.send_invitation.delay(invitation.pk)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_sweep_sends_what_was_lost_once(clock, referrer):
    invitations_send(sender=referrer, addresses="ann@example.org, bo@example.org")
    assert mail.outbox == []  # the on-commit tasks were lost
    clock.advance(minutes=11)
    tasks.send_unsent_emails()
    tasks.send_unsent_emails()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_hourly_limit_refuses_the_whole_batch(clock, referrer, settings, on_commit):
    settings.REFERRAL_INVITATIONS_PER_HOUR = 3
    client = client_for(referrer)
    with on_commit():
        _invite(client, "a@example.org, b@example.org")
    with on_commit():
        response = _invite(client, "c@example.org, d@example.org")
    assert response.status_code == 400
    assert "You can send 3 invitations an hour; try again later." in response.content.decode()
    assert ReferralInvitation.objects.count() == 2
    assert len(mail.outbox) == 2

    clock.advance(hours=1, seconds=1)
    with on_commit():
        response = _invite(client, "c@example.org, d@example.org")
    assert response.status_code == 302
    assert len(mail.outbox) == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    "addresses", ["ann@example.org, not-an-address", "ann@example.org; @example.org", "   ", ""]
)
def test_a_malformed_address_sends_nothing(clock, referrer, addresses, on_commit):
    with on_commit():
        response = _invite(client_for(referrer), addresses)
    assert response.status_code == 400
    assert not ReferralInvitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_more_than_ten_addresses_at_once_are_refused(clock, referrer):
    addresses = ", ".join(f"p{n}@example.org" for n in range(11))
    response = _invite(client_for(referrer), addresses)
    assert response.status_code == 400
    assert "Invite at most 10 addresses at a time." in response.content.decode()


@pytest.mark.django_db
def test_inviting_oneself_is_refused(clock, referrer, on_commit):
    with on_commit():
        response = _invite(client_for(referrer), "friend@example.org, RITA@example.com")
    assert response.status_code == 400
    assert "You cannot invite yourself." in response.content.decode()
    assert not ReferralInvitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["bob.smith@example.org", "Bob.Smith@example.org"])
def test_inviting_someone_already_signed_up_is_refused(clock, referrer, on_commit, typed):
    UserFactory(email="Bob.Smith@example.org")
    with on_commit():
        response = _invite(client_for(referrer), f"friend@example.org, {typed}")
    assert response.status_code == 400
    assert "Already on Video Creator" in response.content.decode()
    assert not ReferralInvitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_inviting_the_same_address_again_is_refused(clock, referrer, on_commit):
    client = client_for(referrer)
    with on_commit():
        _invite(client, "ann@example.org")
    with on_commit():
        response = _invite(client, "ann@example.org")
    assert response.status_code == 400
    assert "You already invited: ann@example.org." in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"addresses": "ann@example.org", "message": "hi", "language": "xx"},
        {"addresses": "ann@example.org\x00", "message": "", "language": "en"},
        {"addresses": "ann@example.org", "message": "x" * 501, "language": "en"},
        {"addresses": "a@example.org," * 300, "message": "", "language": "en"},
        {},
    ],
)
def test_bad_form_input_is_a_400(clock, referrer, data):
    response = client_for(referrer).post(reverse("referrals:invite"), data)
    assert response.status_code == 400
    assert not ReferralInvitation.objects.exists()


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.post(reverse("referrals:invite"), {"addresses": "ann@example.org"})
    assert response.status_code == 302
    assert not ReferralInvitation.objects.exists()
