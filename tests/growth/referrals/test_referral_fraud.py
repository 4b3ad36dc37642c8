"""Referrals that look like one person on both sides (same e-mail once normalised, same sign-up
network, same card) hold the reward for staff review; it never clears by itself."""

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from analytics.models import Event
from billing.models import Credit, Payment
from growth.referrals.codes import code_for
from growth.referrals.models import (
    FlagReason,
    LedgerKind,
    Referral,
    ReferralReward,
    RewardLedgerEntry,
    RewardStatus,
)
from growth.referrals.services import email_normalise
from tests.conftest import client_for
from tests.factories import UserFactory

from .kit import (
    payment_of,
    referral_made,
    referred_and_paid,
    sandbox_subscribe,
    sync_rewards,
)

PASSWORD = "a-long-Secret-42"
CHANGELIST = "/admin/referrals/referralreward/"


def _sign_up(email: str, address: str, code: str = "") -> User:
    response = Client().post(
        "/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "referral_code": code},
        REMOTE_ADDR=address,
    )
    assert response.status_code == 302
    return User.objects.get(email=email)


def _claim(user, reward):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(f"/api/v1/referrals/rewards/{reward.pk}/claim", {}, format="json")


@pytest.fixture
def staff(db):
    return User.objects.create_superuser(email="staff@example.com", password="pw-123456789")


@pytest.fixture
def same_card(clock, referrer, referee):
    """The referee pays with the card the referrer pays with (as Stripe's fingerprint tells)."""
    Payment.objects.filter(pk=payment_of(sandbox_subscribe(user=referrer)).pk).update(
        card_fingerprint="fp_same_card"
    )
    clock.advance(days=1)
    payment = referred_and_paid(referrer=referrer, referee=referee)
    Payment.objects.filter(pk=payment.pk).update(card_fingerprint="fp_same_card")
    sync_rewards()
    return ReferralReward.objects.get()


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("jo.doe+x@gmail.com", "jodoe@gmail.com"),
        ("Jo.Doe@Example.com", "jodoe+promo@example.com"),
    ],
)
def test_dots_and_plus_tags_make_no_new_person(one, other):
    assert email_normalise(one) == email_normalise(other)


def test_another_domain_is_another_person():
    assert email_normalise("jodoe@gmail.com") != email_normalise("jodoe@example.com")


@pytest.mark.django_db
def test_the_same_normalised_email_is_flagged_at_sign_up(clock):
    referrer = UserFactory(email="jo.doe+x@gmail.com")
    referee = _sign_up("jodoe@gmail.com", "198.51.100.1", code_for(user=referrer).code)
    referral = Referral.objects.get(referee=referee)
    assert referral.flag_reasons == [FlagReason.EMAIL]
    event = Event.objects.get(name="referral.flagged")
    assert event.properties["reasons"] == ["email"]


@pytest.mark.django_db
def test_the_same_sign_up_network_is_flagged(clock):
    referrer = _sign_up("first@example.com", "203.0.113.5")
    referee = _sign_up("second@example.org", "203.0.113.77", code_for(user=referrer).code)
    assert Referral.objects.get(referee=referee).flag_reasons == [FlagReason.NETWORK]


@pytest.mark.django_db
def test_a_neighbouring_network_is_not_flagged(clock):
    referrer = _sign_up("first@example.com", "203.0.113.5")
    referee = _sign_up("second@example.org", "203.0.114.5", code_for(user=referrer).code)
    assert Referral.objects.get(referee=referee).flag_reasons == []


@pytest.mark.django_db
def test_the_same_card_is_flagged_when_the_referee_pays(same_card):
    assert same_card.status == RewardStatus.PENDING_REVIEW
    assert same_card.referral.flag_reasons == [FlagReason.CARD]
    assert list(RewardLedgerEntry.objects.filter(reward=same_card).values_list("kind", "note")) == [
        (LedgerKind.EARNED, ""),
        (LedgerKind.FLAGGED, "card"),
    ]
    assert Event.objects.get(name="referral.reward_earned").properties["status"] == (
        "pending_review"
    )


@pytest.mark.django_db
def test_different_cards_are_not_flagged(clock, referrer, referee):
    Payment.objects.filter(pk=payment_of(sandbox_subscribe(user=referrer)).pk).update(
        card_fingerprint="fp_one"
    )
    payment = referred_and_paid(referrer=referrer, referee=referee)
    Payment.objects.filter(pk=payment.pk).update(card_fingerprint="fp_two")
    sync_rewards()
    assert ReferralReward.objects.get().status == RewardStatus.EARNED


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["email", "network"])
def test_a_flagged_reward_waits_for_review_however_long(clock, reason, on_commit):
    if reason == "email":
        referrer = UserFactory(email="jo.doe+x@gmail.com")
        referee = UserFactory(email="jodoe@gmail.com")
    else:
        referrer, referee = UserFactory(), UserFactory()
        for user in (referrer, referee):
            user.profile.signup_network = "203.0.113.0/24"
            user.profile.save()
    with on_commit():
        referred_and_paid(referrer=referrer, referee=referee)
        sync_rewards()
    reward = ReferralReward.objects.get()
    assert reward.status == RewardStatus.PENDING_REVIEW
    clock.advance(days=366)
    with on_commit():
        sync_rewards()
    reward.refresh_from_db()
    assert reward.status == RewardStatus.PENDING_REVIEW
    assert _claim(referrer, reward).status_code == 400
    assert not Credit.objects.exists()
    assert not [m for m in mail.outbox if "referral-reward" in str(m.extra_headers)]


@pytest.mark.django_db
def test_staff_approve_through_the_admin_action_with_a_note(
    same_card, staff, referrer, on_commit, clock
):
    clock.advance(days=365)
    client = client_for(staff)
    form = {"action": "approve", "_selected_action": [same_card.pk]}
    page = client.post(CHANGELIST, form)
    assert page.status_code == 200
    assert referrer.email in page.content.decode()
    same_card.refresh_from_db()
    assert same_card.status == RewardStatus.PENDING_REVIEW  # not before the note is confirmed

    with on_commit():
        response = client.post(CHANGELIST, {**form, "apply": "1", "note": "Flatmates, checked"})
    assert response.status_code == 302
    same_card.refresh_from_db()
    assert same_card.status == RewardStatus.EARNED
    assert (same_card.reviewed_by, same_card.review_note) == (staff, "Flatmates, checked")
    approved = RewardLedgerEntry.objects.get(reward=same_card, kind=LedgerKind.APPROVED)
    assert (approved.actor, approved.note) == (staff, "Flatmates, checked")
    assert Event.objects.get(name="referral.reward_approved").properties["note"] == (
        "Flatmates, checked"
    )
    earned = [m for m in mail.outbox if m.to == [referrer.email]]
    assert len([m for m in earned if "referral-reward" in m.extra_headers["X-Entity-Ref-ID"]]) == 1

    response = _claim(referrer, same_card)
    assert response.status_code == 200
    assert response.json()["status"] == "claimed"


@pytest.mark.django_db
def test_staff_reject_through_the_admin_action(same_card, staff, referrer):
    form = {"action": "reject", "_selected_action": [same_card.pk]}
    client_for(staff).post(CHANGELIST, {**form, "apply": "1", "note": "One person"})
    same_card.refresh_from_db()
    assert same_card.status == RewardStatus.REJECTED
    assert same_card.review_note == "One person"
    assert _claim(referrer, same_card).status_code == 400


@pytest.mark.django_db
def test_a_reward_not_waiting_for_review_is_left_alone_by_the_action(clock, staff, referrer):
    from .kit import earned_reward

    reward = earned_reward(referrer=referrer)
    client_for(staff).post(
        CHANGELIST,
        {"action": "reject", "_selected_action": [reward.pk], "apply": "1", "note": ""},
    )
    reward.refresh_from_db()
    assert reward.status == RewardStatus.EARNED


@pytest.mark.django_db
def test_non_staff_cannot_reach_the_review(same_card, referrer):
    client = client_for(referrer)
    assert client.get(CHANGELIST).status_code in (302, 404)
    client.post(
        CHANGELIST,
        {"action": "approve", "_selected_action": [same_card.pk], "apply": "1", "note": "me"},
    )
    same_card.refresh_from_db()
    assert same_card.status == RewardStatus.PENDING_REVIEW


@pytest.mark.django_db
def test_only_staff_may_review_in_the_service(same_card, referrer):
    from django.core.exceptions import PermissionDenied

    from growth.referrals.rewards import reward_approve

    with pytest.raises(PermissionDenied):
        reward_approve(reward=same_card, actor=referrer, note="")


@pytest.mark.django_db
def test_a_referral_unflagged_at_sign_up_is_earned(clock, referrer, referee):
    referral_made(referrer=referrer, referee=referee)
    sandbox_subscribe(user=referee)
    sync_rewards()
    assert ReferralReward.objects.get().status == RewardStatus.EARNED
