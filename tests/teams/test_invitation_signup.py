"""Following an invitation link while signed out leads to a sign-up form with the invited address
filled in. Signing up with that address needs no verification e-mail (the link proved it) and
joins the workspace; another address is verified as usual and joins nothing."""

import re
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from analytics.models import Event
from teams.models import Invitation, Membership
from teams.selectors import CURRENT_WORKSPACE_SESSION_KEY
from teams.services.invitations import invitations_create
from tests.teams.conftest import token_from_mail

PASSWORD = "a-long-Secret-42"


@pytest.fixture
def invitation_url(workspace, owner, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        invitations_create(
            workspace=workspace, emails="Ann@Example.com", role="editor", actor=owner
        )
    [message] = mail.outbox
    mail.outbox.clear()
    return reverse("teams:invitation", args=[token_from_mail(message)])


def _signup_link(client, invitation_url: str) -> str:
    html = client.get(invitation_url).content.decode()
    match = re.search(r'href="(/accounts/signup/\?next=[^"]*)"', html)
    assert match, "the invitation page links to the sign-up form"
    return unescape(match.group(1))


def _sign_up(client, link: str, email: str):
    """Submit the sign-up form as the browser would, with its hidden fields (`next`)."""
    html = client.get(link).content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    data = {**hidden, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(link, data)


@pytest.mark.django_db
def test_the_signup_form_has_the_invited_address_filled_in(client, invitation_url):
    form = client.get(_signup_link(client, invitation_url)).context["form"]
    assert 'value="Ann@Example.com"' in str(form["email"])


@pytest.mark.django_db
def test_signing_up_with_the_invited_address_verifies_it_and_joins(
    client, invitation_url, workspace
):
    response = _sign_up(client, _signup_link(client, invitation_url), "ann@example.com")
    user = User.objects.get(email="ann@example.com")
    assert EmailAddress.objects.get(user=user).verified
    assert mail.outbox == []  # no "confirm your address" e-mail
    assert Membership.objects.get(team=workspace, user=user).role == "editor"
    assert Invitation.objects.get().accepted_by == user
    assert Event.objects.filter(name="user.verified", actor=user).count() == 1
    # Signed in, in the workspace they joined.
    assert response.status_code == 302 and response.url == reverse("teams:team")
    assert client.session[CURRENT_WORKSPACE_SESSION_KEY] == workspace.pk
    assert client.get(reverse("teams:team")).context["workspace"] == workspace


@pytest.mark.django_db
def test_signing_up_with_another_address_still_needs_verification(
    client, invitation_url, workspace
):
    _sign_up(client, _signup_link(client, invitation_url), "someone.else@example.com")
    user = User.objects.get(email="someone.else@example.com")
    [address] = EmailAddress.objects.filter(user=user)
    assert (address.email, address.verified) == ("someone.else@example.com", False)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["someone.else@example.com"]
    assert not Membership.objects.filter(team=workspace, user=user).exists()
    assert Invitation.objects.get().accepted_at is None
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_later_signup_in_the_same_browser_is_not_verified_by_an_old_link(client, invitation_url):
    link = _signup_link(client, invitation_url)
    _sign_up(client, link, "someone.else@example.com")
    client.logout()
    _sign_up(client, link, "ann@example.com")
    assert not EmailAddress.objects.get(email="ann@example.com").verified
