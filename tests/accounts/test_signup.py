import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from analytics.models import Event
from teams.models import Membership, Role

SIGNUP = {
    "email": "New.Person@Example.com",
    "password1": "a-long-Secret-42",
    "password2": "a-long-Secret-42",
}


def _confirm_link(body: str) -> str:
    match = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", body)
    assert match, body
    return match.group(0)


@pytest.mark.django_db
def test_signup_creates_user_profile_personal_workspace_and_event(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302

    user = User.objects.get(email="new.person@example.com")
    assert user.profile.time_zone == "UTC"
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER
    assert membership.team.is_personal
    event = Event.objects.get(name="user.signed_up", actor=user)
    assert event.workspace == membership.team
    assert event.properties == {"method": "web"}
    assert not EmailAddress.objects.get(user=user).verified


@pytest.mark.django_db
def test_signup_keeps_the_browsing_language_as_preference(client):
    client.cookies["django_language"] = "fr"
    client.post(reverse("account_signup"), SIGNUP)
    assert User.objects.get(email="new.person@example.com").profile.language == "fr"


@pytest.mark.django_db
def test_verification_link_verifies_records_event_and_signs_in(client):
    client.post(reverse("account_signup"), SIGNUP)
    assert len(mail.outbox) == 1
    link = _confirm_link(mail.outbox[0].body)

    page = client.get(link)
    assert page.status_code == 200
    response = client.post(link)
    assert response.status_code == 302

    user = User.objects.get(email="new.person@example.com")
    assert EmailAddress.objects.get(user=user).verified
    assert Event.objects.filter(name="user.verified", actor=user).count() == 1
    assert Event.objects.filter(name="user.logged_in", actor=user).exists()
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_verification_email_is_in_the_browsing_language(client):
    client.cookies["django_language"] = "de"
    client.post(reverse("account_signup"), SIGNUP)
    body = mail.outbox[0].body
    assert "Video Creator" in body
    # The German catalog translates the e-mail; its English opening must not appear.
    assert "Welcome to Video Creator!" not in body


@pytest.mark.django_db
def test_duplicate_email_is_rejected_without_a_second_user(client, owner):
    data = {**SIGNUP, "email": owner.email.upper()}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code in (200, 302)
    assert User.objects.filter(email__iexact=owner.email).count() == 1


@pytest.mark.django_db
def test_login_records_event(client, owner, password):
    response = client.post(reverse("account_login"), {"login": owner.email, "password": password})
    assert response.status_code == 302
    assert Event.objects.filter(name="user.logged_in", actor=owner).count() == 1


@pytest.mark.django_db
def test_failed_logins_are_rate_limited(client, owner, password):
    url = reverse("account_login")
    for _attempt in range(5):
        response = client.post(url, {"login": owner.email, "password": "wrong"})
        assert response.status_code == 200
    # Even the right password is refused while the limit holds.
    response = client.post(url, {"login": owner.email, "password": password})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert not Event.objects.filter(name="user.logged_in", actor=owner).exists()


@pytest.mark.django_db
def test_password_reset_email_goes_out_in_the_recipients_language(client, owner):
    owner.profile.language = "es"
    owner.profile.save()
    client.post(reverse("account_reset_password"), {"email": owner.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.django_db
def test_signup_keeps_browser_time_zone_and_marketing_consent(client):
    data = {**SIGNUP, "time_zone": "America/Sao_Paulo", "marketing_emails": "on"}
    client.post(reverse("account_signup"), data)
    profile = User.objects.get(email="new.person@example.com").profile
    assert profile.time_zone == "America/Sao_Paulo"
    assert profile.marketing_emails is True


@pytest.mark.django_db
def test_signup_with_unknown_time_zone_falls_back_to_utc_and_no_consent(client):
    client.post(reverse("account_signup"), {**SIGNUP, "time_zone": "Nowhere/Atlantis"})
    profile = User.objects.get(email="new.person@example.com").profile
    assert (profile.time_zone, profile.marketing_emails) == ("UTC", False)


@pytest.mark.django_db
def test_invalid_signup_shows_errors_and_creates_nothing(client):
    response = client.post(
        reverse("account_signup"), {"email": "not-an-email", "password1": "x", "password2": "y"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.exists()
