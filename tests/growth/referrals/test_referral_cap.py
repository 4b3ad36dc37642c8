"""At most REFERRAL_YEARLY_CAP (12) free months per referrer per calendar year (UTC)."""

import datetime as dt

import pytest

from analytics.models import Event
from growth.referrals.models import LedgerKind, ReferralReward, RewardLedgerEntry, RewardStatus
from growth.referrals.rewards import reward_approve
from tests.factories import UserFactory

from .kit import earned_reward, referral_made, sandbox_subscribe, sync_rewards


def _twelve(referrer, *, status=RewardStatus.EARNED, earned_at=None):
    statuses = [RewardStatus.CLAIMED] * 6 + [status] * 6
    return [earned_reward(referrer=referrer, status=s, earned_at=earned_at) for s in statuses]


def _thirteenth(referrer) -> ReferralReward:
    referee = UserFactory()
    referral = referral_made(referrer=referrer, referee=referee)
    sandbox_subscribe(user=referee)
    sync_rewards()
    return ReferralReward.objects.get(referral=referral)


@pytest.mark.django_db
def test_the_thirteenth_reward_of_a_year_is_over_the_cap(clock, referrer):
    _twelve(referrer, earned_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    reward = _thirteenth(referrer)
    assert reward.status == RewardStatus.OVER_CAP
    assert not reward.is_claimable
    assert RewardLedgerEntry.objects.filter(reward=reward, kind=LedgerKind.OVER_CAP).exists()
    event = Event.objects.get(name="referral.reward_earned", subject_id=str(reward.pk))
    assert event.properties["status"] == "over_cap"


@pytest.mark.django_db
def test_the_twelfth_is_still_earned(clock, referrer):
    _twelve(referrer)[-1].delete()
    assert _thirteenth(referrer).status == RewardStatus.EARNED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [RewardStatus.REVERSED, RewardStatus.REJECTED, RewardStatus.PENDING_REVIEW]
)
def test_rewards_that_were_not_given_do_not_count(clock, referrer, status):
    rewards = _twelve(referrer)
    ReferralReward.objects.filter(pk=rewards[-1].pk).update(status=status)
    assert _thirteenth(referrer).status == RewardStatus.EARNED


@pytest.mark.django_db
def test_last_years_rewards_do_not_count(clock, referrer):
    _twelve(referrer, earned_at=dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.UTC))
    assert _thirteenth(referrer).status == RewardStatus.EARNED


@pytest.mark.django_db
def test_the_next_year_starts_again(clock, referrer):
    _twelve(referrer)
    clock.now = dt.datetime(2028, 1, 1, 0, 0, 1, tzinfo=dt.UTC)
    assert _thirteenth(referrer).status == RewardStatus.EARNED


@pytest.mark.django_db
def test_the_cap_is_per_referrer(clock, referrer):
    _twelve(UserFactory())
    assert _thirteenth(referrer).status == RewardStatus.EARNED


@pytest.mark.django_db
def test_an_approved_reward_over_the_cap_is_over_the_cap(clock, referrer):
    staff = UserFactory(is_staff=True)
    flagged = earned_reward(referrer=referrer, status=RewardStatus.PENDING_REVIEW)
    _twelve(referrer)
    reward = reward_approve(reward=flagged, actor=staff, note="genuine")
    assert reward.status == RewardStatus.OVER_CAP


@pytest.mark.django_db
def test_a_smaller_cap_from_settings(clock, referrer, settings):
    settings.REFERRAL_YEARLY_CAP = 1
    earned_reward(referrer=referrer)
    assert _thirteenth(referrer).status == RewardStatus.OVER_CAP
