"""What the referral programme holds about a person, for accounts.privacy (listed in
`PRIVACY_PROVIDERS`). Their code, referrals, rewards and invitations go with the account (the
rows cascade); the ZIP has them, without the other people's identities."""

from __future__ import annotations

from accounts.privacy.providers import ExportEntry

from .models import Referral, ReferralCode, ReferralInvitation, ReferralReward


def privacy_export(*, user) -> list[ExportEntry]:
    code = ReferralCode.objects.filter(user=user).values_list("code", flat=True).first()
    referred_by = Referral.objects.filter(referee=user).select_related("code").first()
    data = {
        "code": code,
        "referred_with_code": referred_by.code.code if referred_by else None,
        "referrals": [
            {"signed_up_at": referral.created_at, "paid_at": referral.paid_at}
            for referral in Referral.objects.filter(referrer=user).order_by("created_at")
        ],
        "rewards": [
            {
                "status": reward.status,
                "earned_at": reward.earned_at,
                "kind": reward.kind,
                "amount": reward.amount,
                "currency": reward.currency,
                "workspace_id": reward.workspace_id,
                "claimed_at": reward.claimed_at,
            }
            for reward in ReferralReward.objects.filter(referrer=user).order_by("earned_at")
        ],
        "invitations": [
            {
                "email": invitation.email,
                "message": invitation.message,
                "sent_at": invitation.emailed_at,
            }
            for invitation in ReferralInvitation.objects.filter(sender=user).order_by("created_at")
        ],
    }
    return [ExportEntry("referrals.json", data=data)]
