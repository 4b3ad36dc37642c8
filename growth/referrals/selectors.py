"""Reads for one person's referrals page and API, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Q

from accounts.models import User
from teams.models import Role, Team

from .models import Referral, ReferralClick, ReferralReward, RewardStatus


def referral_stats(*, user: User) -> dict[str, int]:
    """Clicks on the share link, sign-ups through it, those who paid, and rewards by state."""
    referrals = Referral.objects.filter(referrer=user).aggregate(
        sign_ups=Count("pk"), paying=Count("pk", filter=Q(paid_at__isnull=False))
    )
    rewards = ReferralReward.objects.filter(referrer=user).aggregate(
        **{
            status: Count("pk", filter=Q(status=status))
            for status in (
                RewardStatus.EARNED,
                RewardStatus.CLAIMED,
                RewardStatus.PENDING_REVIEW,
                RewardStatus.OVER_CAP,
                RewardStatus.REVERSED,
            )
        }
    )
    return {
        "clicks": ReferralClick.objects.filter(code__user=user).count(),
        "sign_ups": referrals["sign_ups"],
        "paying": referrals["paying"],
        "rewards_earned": rewards[RewardStatus.EARNED] + rewards[RewardStatus.CLAIMED],
        "rewards_claimable": rewards[RewardStatus.EARNED],
        "rewards_claimed": rewards[RewardStatus.CLAIMED],
        "rewards_pending": rewards[RewardStatus.PENDING_REVIEW],
        "rewards_over_cap": rewards[RewardStatus.OVER_CAP],
        "rewards_reversed": rewards[RewardStatus.REVERSED],
    }


def referrals_made(*, user: User, limit: int = 200) -> list[Referral]:
    """The person's referrals, newest first, with each one's reward (if any)."""
    return list(
        Referral.objects.filter(referrer=user)
        .select_related("referee", "reward", "reward__workspace")
        .order_by("-created_at", "-pk")[:limit]
    )


def claim_workspaces(*, user: User) -> list[Team]:
    """Where a reward can go: the workspaces the person owns."""
    return list(
        Team.objects.filter(memberships__user=user, memberships__role=Role.OWNER)
        .select_related("subscription__plan")
        .order_by("-is_personal", "name")
    )


def referral_of(*, user: User) -> Referral | None:
    """The referral that brought this person, if any."""
    return Referral.objects.select_related("referrer", "code").filter(referee=user).first()
