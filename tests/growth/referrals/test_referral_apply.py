"""Applying a code later: on the referrals page and through POST /api/v1/referrals/apply, each
refusal with its reason, and input no one should be able to turn into a 500."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from billing.models import CouponRedemption
from growth.referrals.codes import code_for
from growth.referrals.models import Referral, Source
from growth.referrals.services import REFERRAL_COUPON_CODE
from tests.conftest import client_for
from tests.factories import UserFactory

from .kit import personal_workspace, referral_made, sandbox_subscribe

API = "/api/v1/referrals/apply"

UNKNOWN = "There is no referral code “USER-ZZZZ”. Check it and try again."
OWN = "That is your own referral code: share it with someone else."
ALREADY = "You already used a referral code; only one can be applied."
PAID = (
    "Referral codes can only be applied before the first payment, and you have already paid "
    "for a plan."
)


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_apply(user, code):
    return client_for(user).post(reverse("referrals:apply"), {"code": code})


def api_apply(user, code):
    return api_for(user).post(API, {"code": code}, format="json")


def _refusal_cases(referrer, referee):
    return {
        "unknown": ("USER-ZZZZ", UNKNOWN),
        "own": (code_for(user=referee).code, OWN),
    }


@pytest.mark.django_db
def test_the_page_applies_a_code_and_sets_the_discount_aside(referrer, referee):
    response = page_apply(referee, code_for(user=referrer).code.lower())
    assert response.status_code == 302
    referral = Referral.objects.get(referee=referee)
    assert (referral.referrer, referral.source) == (referrer, Source.PAGE)
    redemption = CouponRedemption.objects.get(workspace=personal_workspace(referee))
    assert redemption.coupon.code == REFERRAL_COUPON_CODE
    assert redemption.coupon.percent_off == 20


@pytest.mark.django_db
def test_the_api_applies_a_code_with_201(referrer, referee):
    code = code_for(user=referrer).code
    response = api_apply(referee, code)
    assert response.status_code == 201
    assert response.json()["code"] == code
    assert response.json()["source"] == "api"
    assert Referral.objects.get(referee=referee).source == Source.API


@pytest.mark.django_db
def test_the_api_path_takes_a_trailing_slash_too(referrer, referee):
    response = api_for(referee).post(
        API + "/", {"code": code_for(user=referrer).code}, format="json"
    )
    assert response.status_code == 201


def _refused(user, code, message, via):
    if via == "page":
        response = page_apply(user, code)
        assert response.status_code == 400
        assert message in response.content.decode()
    else:
        response = api_apply(user, code)
        assert response.status_code == 400
        assert message in str(response.json())


@pytest.mark.django_db
@pytest.mark.parametrize("via", ["page", "api"])
def test_an_unknown_code_is_refused(referee, via):
    _refused(referee, "USER-ZZZZ", UNKNOWN, via)
    assert not Referral.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("via", ["page", "api"])
def test_ones_own_code_is_refused(referee, via):
    _refused(referee, code_for(user=referee).code, OWN, via)
    assert not Referral.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("via", ["page", "api"])
def test_a_second_code_is_refused(referrer, referee, via):
    referral_made(referrer=referrer, referee=referee)
    other = UserFactory()
    _refused(referee, code_for(user=other).code, ALREADY, via)
    assert Referral.objects.get(referee=referee).referrer == referrer


@pytest.mark.django_db
@pytest.mark.parametrize("via", ["page", "api"])
def test_someone_who_already_paid_is_refused(referrer, referee, via):
    sandbox_subscribe(user=referee)
    _refused(referee, code_for(user=referrer).code, PAID, via)
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_a_payment_of_a_workspace_one_does_not_own_does_not_count(referrer, referee):
    """Paying means a workspace one *owns* paid: a member of a paying team may still apply."""
    boss = UserFactory()
    team_of_boss = personal_workspace(boss)
    sandbox_subscribe(user=boss, workspace=team_of_boss)
    team_of_boss.memberships.create(user=referee, role="editor")
    assert api_apply(referee, code_for(user=referrer).code).status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"code": "USER-\x00AB"},
        {"code": "\x00"},
        {"code": "x" * 10_000},
        {"code": 123},
        {"code": ["USER-AAAA"]},
        {"code": {"a": 1}},
        {"code": None},
        {},
        [],
        "USER-AAAA",
    ],
)
def test_bad_api_input_is_a_400(referee, body):
    response = api_for(referee).post(API, body, format="json")
    assert response.status_code == 400
    assert not Referral.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["USER-\x00AB", "\x00", "x" * 10_000, ""])
def test_bad_page_input_is_a_400(referee, code):
    response = client_for(referee).post(reverse("referrals:apply"), {"code": code})
    assert response.status_code == 400
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_an_anonymous_api_caller_is_refused(referrer):
    response = APIClient().post(API, {"code": code_for(user=referrer).code}, format="json")
    assert response.status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["referrals:page", "referrals:apply"])
def test_anonymous_pages_send_to_the_login(client, name):
    response = client.post(reverse(name)) if name.endswith("apply") else client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
