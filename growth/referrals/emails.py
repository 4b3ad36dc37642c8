"""One function per e-mail."""

from __future__ import annotations

from django.conf import settings

from accounts.emails import (
    language_for,
    language_of_address,
    send_templated_email,
    time_zone_for,
)
from accounts.http import absolute_url

from .codes import code_for
from .models import ReferralInvitation, ReferralReward


def send_reward_earned(*, reward: ReferralReward) -> None:
    """To the referrer, in their language: a friend paid, a free month of Pro is theirs to claim."""
    referrer = reward.referrer
    send_templated_email(
        template="referral_reward_earned",
        to=[referrer.email],
        language=language_for(referrer),
        time_zone=time_zone_for(referrer),
        context={
            "reward": reward,
            "referrals_url": absolute_url("referrals:page"),
        },
        headers={"X-Entity-Ref-ID": f"referral-reward-{reward.pk}"},
    )


def invitation_language(invitation: ReferralInvitation) -> str:
    """The recipient's own language when they have an account that chose one, else the one the
    invitation was written in (the sender's browser's, else the sender's saved language)."""
    return (
        language_of_address(invitation.email)
        or invitation.language
        or language_for(invitation.sender)
    )


def send_invitation(*, invitation: ReferralInvitation) -> None:
    sender = invitation.sender
    code = code_for(user=sender)
    send_templated_email(
        template="referral_invitation",
        to=[invitation.email],
        language=invitation_language(invitation),
        context={
            "sender_name": sender.display_name,
            "message": invitation.message,
            "code": code.code,
            "share_url": absolute_url("referrals:share", code.code),
            "percent": settings.REFERRAL_DISCOUNT_PERCENT,
        },
        headers={"Reply-To": sender.email, "X-Entity-Ref-ID": f"referral-invite-{invitation.pk}"},
    )
