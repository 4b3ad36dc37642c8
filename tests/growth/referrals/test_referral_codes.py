"""Referral codes: USER-XXXX, an alphabet a reader cannot confuse, unique, case-insensitive,
longer when a length is crowded; and GET /api/v1/referrals/code."""

import re
import secrets

import pytest
from rest_framework.test import APIClient

from growth.referrals.codes import code_for, code_named
from growth.referrals.models import ReferralCode
from tests.factories import UserFactory

CONFUSABLE = set("0O1IL")


@pytest.mark.django_db
def test_a_code_is_user_dash_four_unconfusable_characters(referrer):
    code = code_for(user=referrer).code
    assert re.fullmatch(r"USER-[A-Z2-9]{4}", code)
    assert not CONFUSABLE & set(code.removeprefix("USER-"))


@pytest.mark.django_db
def test_a_person_keeps_one_code(referrer):
    assert code_for(user=referrer).pk == code_for(user=referrer).pk
    assert ReferralCode.objects.filter(user=referrer).count() == 1


@pytest.mark.django_db
def test_codes_are_unique_and_never_use_confusable_characters():
    codes = [code_for(user=UserFactory()).code for _ in range(40)]
    assert len(set(codes)) == 40
    assert not CONFUSABLE & set("".join(code.removeprefix("USER-") for code in codes))


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["user-{}", "  USER-{}  ", "User-{}"])
def test_lookup_ignores_case_and_surrounding_space(referrer, typed):
    code = code_for(user=referrer)
    suffix = code.code.removeprefix("USER-")
    assert code_named(typed.format(suffix.lower())) == code


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["", "   ", "USER-", "USER-ZZZZZZZZ", "\x00", "x" * 500])
def test_lookup_of_nothing_or_an_unknown_code_finds_nothing(referrer, typed):
    code_for(user=referrer)
    assert code_named(typed) is None


@pytest.mark.django_db
def test_a_crowded_length_moves_on_to_a_longer_code(monkeypatch):
    first = code_for(user=UserFactory())
    second_user = UserFactory()  # before the patch: a password's salt draws from secrets too
    taken = first.code.removeprefix("USER-")
    # Every 4-character draw repeats the taken code; longer draws come out as "A…".
    draws = iter(taken * 8)

    def choice(alphabet):
        return next(draws, "A")

    monkeypatch.setattr(secrets, "choice", choice)
    second = code_for(user=second_user)
    assert second.code == "USER-AAAAA"
    assert ReferralCode.objects.count() == 2


@pytest.mark.django_db
def test_api_gives_the_callers_code_and_share_link(referrer):
    client = APIClient()
    client.force_authenticate(referrer)
    response = client.get("/api/v1/referrals/code")
    assert response.status_code == 200
    code = ReferralCode.objects.get(user=referrer).code
    assert response.json()["code"] == code
    assert response.json()["share_url"].endswith(f"/r/{code}")


@pytest.mark.django_db
def test_api_code_needs_a_signed_in_caller():
    response = APIClient().get("/api/v1/referrals/code")
    assert response.status_code in (401, 403)
    assert not ReferralCode.objects.exists()
