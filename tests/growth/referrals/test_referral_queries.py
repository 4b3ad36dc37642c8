"""The seed's indexes exist under their names, and the referrals page and figures read in a
fixed number of queries however many referrals a person has."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from growth.referrals.models import Referral, ReferralReward
from tests.growth.referrals.kit import earned_reward, referral_made

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def _constraint_names(model) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, model._meta.db_table))


def test_the_lookups_have_the_seeds_indexes():
    assert "idx_referrals_referrer" in _constraint_names(Referral)
    assert "idx_referrals_referee" in _constraint_names(Referral)
    from growth.referrals.models import ReferralCode

    assert "idx_referrals_code" in _constraint_names(ReferralCode)
    assert "reward_referrer_earned" in _constraint_names(ReferralReward)


def _referrals(referrer, count: int) -> None:
    for number in range(count):
        if number % 2:
            earned_reward(referrer=referrer)
        else:
            referral_made(referrer=referrer)


@pytest.mark.parametrize("count", [2, 12])
def test_the_page_reads_in_fixed_queries(client, owner, count, django_assert_max_num_queries):
    _referrals(owner, count)
    client.force_login(owner)
    client.get(reverse("referrals:page"))  # the code is made on the first visit
    with django_assert_max_num_queries(12):
        response = client.get(reverse("referrals:page"))
    assert response.status_code == 200
    assert response.context["stats"]["sign_ups"] == count


@pytest.mark.parametrize("count", [2, 12])
def test_the_stats_api_reads_in_fixed_queries(client, owner, count, django_assert_max_num_queries):
    _referrals(owner, count)
    client.force_login(owner)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/referrals/stats")
    assert response.status_code == 200
    body = response.json()
    assert body["sign_ups"] == count
    assert body["rewards_claimable"] == count // 2
