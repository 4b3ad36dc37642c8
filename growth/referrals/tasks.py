"""Thin tasks; each is safe to run twice or at once on several workers."""

from __future__ import annotations

import datetime

from celery import shared_task

from accounts.emails import queue_unsent, send_once

from . import emails, sync
from .models import ReferralInvitation, ReferralReward, RewardStatus


@shared_task(name="referrals.sync_rewards", ignore_result=True, acks_late=True)
def sync_rewards() -> dict[str, int]:
    """Rewards for new first payments, and reversals for refunds and disputes (the event log)."""
    return {"granted": sync.rewards_grant_due(), "reversed": sync.rewards_reverse_due()}


@shared_task(name="referrals.send_reward_earned", ignore_result=True, acks_late=True)
def send_reward_earned(reward_id: int) -> None:
    rows = ReferralReward.objects.select_related("referrer__profile").filter(
        status__in=[RewardStatus.EARNED, RewardStatus.CLAIMED]
    )
    send_once(rows, reward_id, lambda reward: emails.send_reward_earned(reward=reward))


@shared_task(name="referrals.send_invitation", ignore_result=True, acks_late=True)
def send_invitation(invitation_id: int) -> None:
    rows = ReferralInvitation.objects.select_related("sender__profile")
    send_once(rows, invitation_id, lambda invitation: emails.send_invitation(invitation=invitation))


@shared_task(name="referrals.send_unsent_emails", ignore_result=True)
def send_unsent_emails() -> int:
    """The e-mails whose first task was lost (a broker or worker outage)."""
    late = datetime.timedelta(minutes=10)
    earned = ReferralReward.objects.filter(status=RewardStatus.EARNED)
    return queue_unsent(
        earned, send_reward_earned, older_than=late, since="earned_at"
    ) + queue_unsent(ReferralInvitation.objects.all(), send_invitation, older_than=late)
