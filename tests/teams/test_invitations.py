import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from analytics.models import Event
from teams.models import Invitation, Membership
from teams.services.invitations import (
    RATE_LIMIT,
    invitation_accept,
    invitation_decline,
    invitation_resend,
    invitation_revoke,
    invitations_create,
)
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.teams.conftest import token_from_mail


@pytest.fixture
def invite(workspace, owner, django_capture_on_commit_callbacks):
    """Invite through the service and run the e-mail task, as a commit would."""

    def make(emails, role="editor", actor=owner):
        with django_capture_on_commit_callbacks(execute=True):
            return invitations_create(workspace=workspace, emails=emails, role=role, actor=actor)

    return make


@pytest.fixture
def no_seat_limit(settings):
    settings.TEAM_SEAT_LIMIT = ""


@pytest.mark.django_db
def test_invite_several_at_once_sends_one_mail_each_with_hashed_token(invite, workspace):
    created = invite("ann@example.com,\nbob@example.com")
    assert [i.email for i in created] == ["ann@example.com", "bob@example.com"]
    assert len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {"ann@example.com", "bob@example.com"}
    for invitation in created:
        stored = Invitation.objects.get(pk=invitation.pk)
        assert stored.token_hash == hashlib.sha256(invitation.token.encode()).hexdigest()
        assert invitation.token not in stored.token_hash
        assert stored.emailed_at is not None
        assert stored.expires_at - stored.created_at == timedelta(days=7)
    assert {token_from_mail(m) for m in mail.outbox} == {i.token for i in created}
    assert Event.objects.filter(name="team.member_invited").count() == 2


@pytest.mark.django_db
def test_the_mail_is_sent_once(invite):
    from teams import tasks

    [invitation] = invite(["ann@example.com"])
    tasks.send_invitation(invitation.pk, invitation.token)  # a redelivered message
    assert len(mail.outbox) == 1


def _in(language: str, text: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.django_db
def test_mail_is_in_the_inviters_language_for_someone_new(invite, owner):
    owner.profile.language = "fr"
    owner.profile.save()
    invite(["ann@example.com"])
    [message] = mail.outbox
    assert "Olivia Owner" in message.subject and "Acme Studio" in message.subject
    assert _in("fr", "Hello,") != "Hello,"
    assert message.body.startswith(_in("fr", "Hello,"))


@pytest.mark.django_db
def test_mail_is_in_the_invitees_language_when_they_have_an_account(invite, owner):
    owner.profile.language = "fr"
    owner.profile.save()
    ann = UserFactory(email="Ann@Example.com")
    ann.profile.language = "ja"
    ann.profile.save()
    invite(["ann@example.com"])
    [message] = mail.outbox
    assert message.body.startswith(_in("ja", "Hello,"))


@pytest.mark.django_db
def test_accept_creates_membership_once(invite, workspace, owner):
    [invitation] = invite(["Ann@Example.com"], role="editor")
    ann = UserFactory(email="ann@example.com")
    membership = invitation_accept(token=invitation.token, user=ann)
    assert membership.role == "editor" and membership.team == workspace
    invitation.refresh_from_db()
    assert invitation.accepted_at and invitation.accepted_by == ann
    joined = Event.objects.get(name="team.member_joined")
    assert joined.properties == {"user_id": ann.pk, "role": "editor"}
    with pytest.raises(ValidationError) as error:
        invitation_accept(token=invitation.token, user=ann)
    assert error.value.code == "used"


@pytest.mark.django_db
def test_expired_revoked_and_wrong_user_fail(invite, owner, workspace):
    expired, revoked = invite(["ann@example.com", "bob@example.com"])
    ann = UserFactory(email="ann@example.com")
    bob = UserFactory(email="bob@example.com")
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationError) as error:
        invitation_accept(token=expired.token, user=ann)
    assert error.value.code == "expired"

    with pytest.raises(ValidationError) as error:
        invitation_accept(token=revoked.token, user=ann)
    assert error.value.code == "wrong_user"

    invitation_revoke(invitation=revoked, actor=owner)
    with pytest.raises(ValidationError) as error:
        invitation_accept(token=revoked.token, user=bob)
    assert error.value.code == "invalid"
    assert Membership.objects.filter(team=workspace).count() == 1


@pytest.mark.django_db
def test_decline(invite):
    [invitation] = invite(["ann@example.com"])
    invitation_decline(token=invitation.token)
    assert Invitation.objects.get(pk=invitation.pk).declined_at is not None
    with pytest.raises(ValidationError):
        invitation_accept(token=invitation.token, user=UserFactory(email="ann@example.com"))


@pytest.mark.django_db
def test_resend_replaces_the_token(invite, owner, workspace, django_capture_on_commit_callbacks):
    [invitation] = invite(["ann@example.com"])
    old_token = invitation.token
    with django_capture_on_commit_callbacks(execute=True):
        resent = invitation_resend(invitation=invitation, actor=owner)
    assert resent.token != old_token
    assert len(mail.outbox) == 2 and token_from_mail(mail.outbox[1]) == resent.token
    ann = UserFactory(email="ann@example.com")
    with pytest.raises(ValidationError):
        invitation_accept(token=old_token, user=ann)
    assert invitation_accept(token=resent.token, user=ann).team == workspace


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("emails", "code"),
    [
        (["ann@example.com", "not-an-address"], "invalid_email"),
        (["ann@example.com", "OWNER@example.com"], "already_member"),
        (["a@example.com", "b@example.com", "c@example.com"], "plan_limit"),  # Free: 3 seats
    ],
)
def test_bad_batches_create_nothing(invite, emails, code):
    with pytest.raises(ValidationError) as error:
        invite(emails)
    assert code in {e.code for e in error.value.error_list}
    assert not Invitation.objects.exists() and not mail.outbox


@pytest.mark.django_db
def test_pending_invitations_take_seats_and_cannot_repeat(invite):
    invite(["a@example.com", "b@example.com"])  # owner + 2 pending = 3 Free seats
    with pytest.raises(ValidationError) as error:
        invite(["a@example.com"])
    assert error.value.error_list[0].code == "already_invited"
    with pytest.raises(ValidationError) as error:
        invite(["c@example.com"])
    assert error.value.code == "plan_limit"


@pytest.mark.django_db
def test_owner_role_cannot_be_invited(invite):
    with pytest.raises(ValidationError):
        invite(["a@example.com"], role="owner")


@pytest.mark.django_db
def test_rate_limit(invite, no_seat_limit):
    invite([f"u{n}@example.com" for n in range(RATE_LIMIT)])
    with pytest.raises(ValidationError) as error:
        invite(["late@example.com"])
    assert error.value.code == "rate_limited"
    assert Invitation.objects.count() == RATE_LIMIT


@pytest.mark.django_db
def test_viewer_is_refused_and_outsider_gets_404(cast, workspace, no_seat_limit):
    with pytest.raises(PermissionDenied):
        invitations_create(
            workspace=workspace, emails="a@example.com", role="viewer", actor=cast["viewer"]
        )
    with pytest.raises(Http404):
        invitations_create(
            workspace=workspace, emails="a@example.com", role="viewer", actor=cast["outsider"]
        )
    url = reverse("teams:invite", args=[workspace.pk])
    assert client_for(cast["viewer"]).post(url, {"emails": "a@example.com"}).status_code == 403
    assert client_for(cast["outsider"]).post(url, {"emails": "a@example.com"}).status_code == 404
    api_url = reverse("api:workspace-invitations", args=[workspace.pk])
    for role, expected in (("viewer", 403), ("outsider", 404)):
        client = APIClient()
        client.force_authenticate(cast[role])
        response = client.post(api_url, {"emails": ["a@example.com"], "role": "viewer"}, "json")
        assert response.status_code == expected
        assert client.get(api_url).status_code == expected
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_api_create_and_list(owner, workspace, django_capture_on_commit_callbacks):
    client = APIClient()
    client.force_authenticate(owner)
    url = reverse("api:workspace-invitations", args=[workspace.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"emails": ["ann@example.com", "bob@example.com"], "role": "viewer"}, "json"
        )
    assert response.status_code == 201, response.content
    assert [i["email"] for i in response.json()] == ["ann@example.com", "bob@example.com"]
    assert "token" not in response.content.decode()
    assert len(mail.outbox) == 2
    listed = client.get(url).json()
    assert {i["email"] for i in listed["results"]} == {"ann@example.com", "bob@example.com"}
    bad = client.post(url, {"emails": ["owner@example.com"], "role": "viewer"}, "json")
    assert bad.status_code == 400


@pytest.mark.django_db
def test_pages_invite_accept_and_decline(
    owner_client, workspace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("teams:invite", args=[workspace.pk]),
            {"emails": "ann@example.com\nbob@example.com", "role": "editor"},
        )
    assert response.status_code == 302
    owner_client.post(reverse("teams:switch"), {"workspace": workspace.pk})
    page = owner_client.get(reverse("teams:team"))
    assert b"ann@example.com" in page.content and b"Pending invitations" in page.content
    ann_token, bob_token = sorted(
        (token_from_mail(m) for m in mail.outbox),
        key=lambda t: (
            Invitation.objects.get(token_hash=hashlib.sha256(t.encode()).hexdigest()).email
        ),
    )
    url = reverse("teams:invitation", args=[ann_token])

    anonymous = client_for(UserFactory(email="someone@example.com"))
    anonymous.logout()
    page = anonymous.get(url)
    assert page.status_code == 200 and b"Acme Studio" in page.content
    assert f"?next={url}".encode() in page.content.replace(b"%2F", b"/")

    ann = client_for(UserFactory(email="ann@example.com"))
    assert ann.post(url, {"action": "accept"}).status_code == 302
    assert Membership.objects.get(team=workspace, user__email="ann@example.com").role == "editor"
    assert b"not valid any more" in ann.get(url).content

    bob_url = reverse("teams:invitation", args=[bob_token])
    assert anonymous.post(bob_url, {"action": "decline"}).status_code == 302
    assert Invitation.objects.get(email="bob@example.com").declined_at is not None


@pytest.mark.django_db
def test_pages_resend_and_revoke(owner_client, invite, workspace):
    [invitation] = invite(["ann@example.com"])
    resend = reverse("teams:invitation_resend", args=[workspace.pk, invitation.pk])
    assert owner_client.post(resend).status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).token_hash != invitation.token_hash
    revoke = reverse("teams:invitation_revoke", args=[workspace.pk, invitation.pk])
    assert owner_client.post(revoke).status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None
