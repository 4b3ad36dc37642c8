"""The whole referral path through the sandbox: share → sign-up with the code → 20 % off the
first month → the reward earned (and e-mailed once) → claimed → the credit spent at renewal;
and a reward claimed into a Free workspace as a free month of Pro."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import User
from billing import services as billing
from billing import tasks as billing_tasks
from billing.models import CheckoutSession, Credit, Invoice, Subscription
from growth.referrals import tasks
from growth.referrals.codes import code_for
from growth.referrals.models import (
    LedgerKind,
    ReferralReward,
    RewardKind,
    RewardLedgerEntry,
    RewardStatus,
)
from tests.conftest import client_for, client_in
from tests.factories import UserFactory

from .kit import earned_reward, personal_workspace, sandbox_subscribe

PASSWORD = "a-long-Secret-42"
PRO_MONTH_USD = 1200
PRO_YEAR_USD = 12000


def _sign_up_through_the_link(code: str) -> User:
    browser = Client()
    signup = browser.get(f"/r/{code}")["Location"]
    assert f'value="{code}"' in browser.get(signup).content.decode()
    response = browser.post(
        signup,
        {
            "email": "friend@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "referral_code": code,
        },
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 302
    return User.objects.get(email="friend@example.org")


def _sandbox_checkout(client, plan="pro-monthly", currency="USD") -> Invoice:
    response = client.post(
        reverse("billing:checkout"), {"plan": plan, "currency": currency, "coupon": ""}
    )
    assert response.status_code == 302, response
    session = CheckoutSession.objects.latest("created_at")
    response = client.post(
        reverse("billing:sandbox_checkout", args=[session.id]), {"outcome": "succeed"}
    )
    assert response["Location"] == reverse("billing:page")
    return Invoice.objects.filter(workspace=session.workspace).latest("issued_at", "id")


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_share_sign_up_discount_reward_claim_and_credit_at_renewal(clock, referrer, on_commit):
    referrer.profile.language = "de"
    referrer.profile.save()
    referrers_workspace = personal_workspace(referrer)
    # The referrer pays for Pro yearly, through the sandbox, before anyone comes.
    sandbox_subscribe(user=referrer, plan="pro-annual")

    # A friend follows the share link and signs up with the code.
    clock.advance(days=1)
    friend = _sign_up_through_the_link(code_for(user=referrer).code)
    friends_workspace = personal_workspace(friend)

    # The friend's first month of Pro is 20 % off.
    clock.advance(hours=2)
    with on_commit():
        first = _sandbox_checkout(client_in(friend, friends_workspace))
    assert (first.subtotal, first.discount, first.total) == (1200, 240, 960)
    assert first.coupon.percent_off == 20
    paid_at = clock.now

    # The event-log consumer grants the reward and e-mails the referrer once, in German.
    clock.advance(minutes=5)
    with on_commit():
        tasks.sync_rewards.delay()
    with on_commit():
        tasks.sync_rewards.delay()
    reward = ReferralReward.objects.get()
    assert (reward.referrer, reward.status, reward.earned_at) == (
        referrer,
        RewardStatus.EARNED,
        paid_at,
    )
    assert reward.referral.referee == friend
    ref_id = f"referral-reward-{reward.pk}"
    earned_mails = [m for m in mail.outbox if m.extra_headers.get("X-Entity-Ref-ID") == ref_id]
    assert len(earned_mails) == 1
    assert earned_mails[0].to == [referrer.email]
    assert earned_mails[0].body.startswith("Hallo,")
    assert "/referrals/" in earned_mails[0].body

    # The referrer claims it into the paying workspace: a credit of one Pro month.
    response = client_for(referrer).post(
        reverse("referrals:claim", args=[reward.pk]), {"workspace": referrers_workspace.pk}
    )
    assert response.status_code == 302
    reward.refresh_from_db()
    assert (reward.status, reward.kind, reward.workspace) == (
        RewardStatus.CLAIMED,
        RewardKind.CREDIT,
        referrers_workspace,
    )
    credit = Credit.objects.get(pk=reward.credit_id)
    assert (credit.workspace, credit.amount, credit.remaining, credit.currency) == (
        referrers_workspace,
        PRO_MONTH_USD,
        PRO_MONTH_USD,
        "USD",
    )
    assert RewardLedgerEntry.objects.get(reward=reward, kind=LedgerKind.CLAIMED).amount == 1200

    # At the referrer's next renewal the credit is spent: 12000 − 1200.
    subscription = Subscription.objects.get(workspace=referrers_workspace)
    clock.now = subscription.current_period_end + dt.timedelta(minutes=1)
    billing.subscription_renew(subscription=subscription)
    renewal = Invoice.objects.get(workspace=referrers_workspace, reason="renewal")
    assert (renewal.subtotal, renewal.credit_applied, renewal.total) == (
        PRO_YEAR_USD,
        PRO_MONTH_USD,
        PRO_YEAR_USD - PRO_MONTH_USD,
    )
    assert renewal.status == "paid"
    credit.refresh_from_db()
    assert credit.remaining == 0


@pytest.mark.django_db
def test_the_reward_email_subject_is_in_the_referrers_language(clock, referrer, on_commit):
    referrer.profile.language = "de"
    referrer.profile.save()
    reward = earned_reward(referrer=referrer)
    with on_commit():
        tasks.send_reward_earned.delay(reward.pk)
    english = "Your friend subscribed: a free month of Pro is yours"
    with translation.override("de"):
        german = translation.gettext(english)
    assert german != english
    assert mail.outbox[0].subject == german


@pytest.mark.django_db
def test_claiming_through_the_api_gives_a_credit_to_a_paying_workspace(clock, referrer):
    workspace = personal_workspace(referrer)
    sandbox_subscribe(user=referrer)
    reward = earned_reward(referrer=referrer)
    response = _api(referrer).post(
        f"/api/v1/referrals/rewards/{reward.pk}/claim", {"workspace": workspace.pk}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["kind"], body["workspace"], body["amount"]) == (
        "claimed",
        "credit",
        workspace.pk,
        PRO_MONTH_USD,
    )
    assert Credit.objects.get(workspace=workspace).remaining == PRO_MONTH_USD


@pytest.mark.django_db
def test_the_api_claims_into_ones_own_personal_workspace_by_default(clock, referrer):
    # The referrer also belongs to someone else's personal workspace, made earlier.
    other = UserFactory()
    personal_workspace(other).memberships.create(user=referrer, role="admin")
    reward = earned_reward(referrer=referrer)
    response = _api(referrer).post(
        f"/api/v1/referrals/rewards/{reward.pk}/claim", {}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["workspace"] == personal_workspace(referrer).pk


@pytest.mark.django_db
def test_a_reward_claimed_on_free_is_a_free_month_that_ends_on_free(clock, referrer, on_commit):
    workspace = personal_workspace(referrer)
    reward = earned_reward(referrer=referrer)
    response = client_for(referrer).post(
        reverse("referrals:claim", args=[reward.pk]), {"workspace": workspace.pk}
    )
    assert response.status_code == 302
    reward.refresh_from_db()
    assert (reward.status, reward.kind) == (RewardStatus.CLAIMED, RewardKind.FREE_MONTH)
    subscription = Subscription.objects.get(workspace=workspace)
    assert subscription.plan.key == "pro-monthly"
    assert subscription.is_paid and subscription.cancel_at_period_end
    assert subscription.current_period_end == clock.now + dt.timedelta(days=31)  # 10 Mar → 10 Apr
    invoice = Invoice.objects.get(workspace=workspace)
    assert (invoice.subtotal, invoice.credit_applied, invoice.total, invoice.status) == (
        PRO_MONTH_USD,
        PRO_MONTH_USD,
        0,
        "paid",
    )
    assert Credit.objects.get(pk=reward.credit_id).remaining == 0

    clock.now = subscription.current_period_end + dt.timedelta(minutes=1)
    with on_commit():
        billing_tasks.renew_due_subscriptions.delay()
    subscription.refresh_from_db()
    assert subscription.plan.key == "free"
    assert Invoice.objects.filter(workspace=workspace).count() == 1  # nothing charged after


@pytest.mark.django_db
def test_a_free_month_can_be_turned_into_a_paid_plan(clock, referrer):
    workspace = personal_workspace(referrer)
    reward = earned_reward(referrer=referrer)
    client_for(referrer).post(
        reverse("referrals:claim", args=[reward.pk]), {"workspace": workspace.pk}
    )
    clock.advance(days=10)
    invoice = _sandbox_checkout(client_in(referrer, workspace))
    assert invoice.total == PRO_MONTH_USD
    subscription = Subscription.objects.get(workspace=workspace)
    assert not subscription.cancel_at_period_end and subscription.provider == "sandbox"


@pytest.mark.django_db
@pytest.mark.parametrize("via", ["page", "api"])
def test_a_reward_is_claimed_once(clock, referrer, via):
    workspace = personal_workspace(referrer)
    reward = earned_reward(referrer=referrer)
    url_page = reverse("referrals:claim", args=[reward.pk])
    url_api = f"/api/v1/referrals/rewards/{reward.pk}/claim"
    client_for(referrer).post(url_page, {"workspace": workspace.pk})
    if via == "page":
        response = client_for(referrer).post(url_page, {"workspace": workspace.pk}, follow=True)
        assert "This reward has already been claimed." in response.content.decode()
    else:
        response = _api(referrer).post(url_api, {"workspace": workspace.pk}, format="json")
        assert response.status_code == 400
        assert "This reward has already been claimed." in str(response.json())
    assert Credit.objects.filter(workspace=workspace).count() == 1
    assert Invoice.objects.filter(workspace=workspace).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("via", ["page", "api"])
def test_someone_elses_reward_is_not_found(clock, referrer, outsider, via):
    reward = earned_reward(referrer=referrer)
    workspace = personal_workspace(outsider)
    if via == "page":
        response = client_for(outsider).post(
            reverse("referrals:claim", args=[reward.pk]), {"workspace": workspace.pk}
        )
    else:
        response = _api(outsider).post(
            f"/api/v1/referrals/rewards/{reward.pk}/claim",
            {"workspace": workspace.pk},
            format="json",
        )
    assert response.status_code == 404
    reward.refresh_from_db()
    assert reward.status == RewardStatus.EARNED


@pytest.mark.django_db
def test_claiming_into_a_workspace_one_does_not_own_is_refused(clock, referrer, workspace):
    workspace.memberships.create(user=referrer, role="admin")
    reward = earned_reward(referrer=referrer)
    response = _api(referrer).post(
        f"/api/v1/referrals/rewards/{reward.pk}/claim", {"workspace": workspace.pk}, format="json"
    )
    assert response.status_code == 400
    assert "Choose a workspace you own." in str(response.json())
    page = client_for(referrer).post(
        reverse("referrals:claim", args=[reward.pk]), {"workspace": workspace.pk}, follow=True
    )
    assert "Choose a workspace you own." in page.content.decode()
    reward.refresh_from_db()
    assert reward.status == RewardStatus.EARNED
    assert not Credit.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [RewardStatus.PENDING_REVIEW, RewardStatus.OVER_CAP, RewardStatus.REVERSED]
)
def test_a_reward_that_is_not_earned_cannot_be_claimed(clock, referrer, status):
    reward = earned_reward(referrer=referrer, status=status)
    response = _api(referrer).post(
        f"/api/v1/referrals/rewards/{reward.pk}/claim", {}, format="json"
    )
    assert response.status_code == 400
    assert not Credit.objects.exists()


@pytest.mark.django_db
def test_the_page_shows_each_rewards_state(clock, referrer):
    for status in RewardStatus.values:
        earned_reward(referrer=referrer, status=status)
    response = client_for(referrer).get(reverse("referrals:page"))
    assert response.status_code == 200
    html = response.content.decode()
    earned = ReferralReward.objects.get(status=RewardStatus.EARNED)
    assert reverse("referrals:claim", args=[earned.pk]) in html
    assert html.count('action="/referrals/rewards/') == 1
    assert "this one waits for our team" in html
    assert "You have reached the limit of 12 free months a year." in html


@pytest.mark.django_db
def test_the_stats_api_counts_each_state(clock, referrer):
    for status in RewardStatus.values:
        earned_reward(referrer=referrer, status=status)
    stats = _api(referrer).get("/api/v1/referrals/stats").json()
    assert stats["sign_ups"] == 6 and stats["paying"] == 6
    assert (stats["rewards_earned"], stats["rewards_claimable"], stats["rewards_claimed"]) == (
        2,
        1,
        1,
    )
    assert (stats["rewards_pending"], stats["rewards_over_cap"], stats["rewards_reversed"]) == (
        1,
        1,
        1,
    )
