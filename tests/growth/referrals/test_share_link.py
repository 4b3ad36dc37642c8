"""The share link /r/<code>: a 30-day cookie, sign-up with the code prefilled, one click per
browser; signing up with a code makes the referral and keeps the sign-up network."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.models import User
from growth.referrals.codes import code_for
from growth.referrals.models import Referral, ReferralClick, Source

SIGNUP = "/accounts/signup/"
PASSWORD = "a-long-Secret-42"


def _signup(client, email, code, **extra):
    form = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "referral_code": code}
    return client.post(SIGNUP, form, **extra)


@pytest.mark.django_db
def test_the_link_sets_a_30_day_cookie_and_goes_to_sign_up_with_the_code(referrer, settings):
    code = code_for(user=referrer).code
    response = Client().get(f"/r/{code.lower()}")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_signup')}?ref={code}"
    cookie = response.cookies[settings.REFERRAL_COOKIE_NAME]
    assert cookie.value == code
    assert cookie["max-age"] == 30 * 24 * 3600
    assert cookie["httponly"]


@pytest.mark.django_db
def test_the_sign_up_form_is_prefilled_from_the_link(referrer):
    code = code_for(user=referrer).code
    client = Client()
    page = client.get(client.get(f"/r/{code}")["Location"]).content.decode()
    assert re.search(rf'name="referral_code"[^>]*value="{code}"', page)


@pytest.mark.django_db
def test_the_sign_up_form_is_prefilled_from_the_cookie_alone(referrer, settings):
    code = code_for(user=referrer).code
    client = Client()
    client.cookies[settings.REFERRAL_COOKIE_NAME] = code
    page = client.get(SIGNUP).content.decode()
    assert re.search(rf'name="referral_code"[^>]*value="{code}"', page)


@pytest.mark.django_db
def test_an_unknown_code_is_not_found():
    response = Client().get("/r/USER-ZZZZ")
    assert response.status_code == 404
    assert not ReferralClick.objects.exists()


@pytest.mark.django_db
def test_a_click_counts_once_per_browser(referrer):
    code = code_for(user=referrer)
    browser = Client()
    browser.get(f"/r/{code.code}")
    browser.get(f"/r/{code.code}")
    Client().get(f"/r/{code.code}")
    assert ReferralClick.objects.filter(code=code).count() == 2


@pytest.mark.django_db
def test_signing_up_with_the_code_makes_the_referral_and_keeps_the_network(referrer):
    code = code_for(user=referrer).code
    response = _signup(Client(), "new@example.org", code.lower(), REMOTE_ADDR="198.51.100.77")
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    referral = Referral.objects.get(referee=user)
    assert (referral.referrer, referral.source) == (referrer, Source.SIGNUP)
    user.profile.refresh_from_db()
    assert user.profile.signup_network == "198.51.100.0/24"


@pytest.mark.django_db
def test_signing_up_without_a_code_makes_no_referral():
    response = _signup(Client(), "plain@example.org", "")
    assert response.status_code == 302
    assert User.objects.filter(email="plain@example.org").exists()
    assert not Referral.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_bad_code_at_sign_up_is_a_form_error_and_makes_no_user(language):
    english = "There is no referral code “%(code)s”. Check it and try again."
    with translation.override(language):
        expected = translation.gettext(english) % {"code": "USER-ZZZZ"}
        response = _signup(Client(), "bad@example.org", "USER-ZZZZ", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(expected) in html
    if language != "en":
        assert expected != english % {"code": "USER-ZZZZ"}
    assert not User.objects.filter(email="bad@example.org").exists()
    assert not Referral.objects.exists()
