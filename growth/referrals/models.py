"""Referral codes, the referrals made with them, the rewards they earn and the rewards' ledger."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Letters and digits a reader cannot confuse: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_PREFIX = "USER-"


class ReferralCode(models.Model):
    """A person's one code, `USER-XXXX`, stored in upper case (codes are case-insensitive)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_code"
    )
    code = models.CharField(_("code"), max_length=20)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("referral code")
        verbose_name_plural = _("referral codes")
        constraints = [models.UniqueConstraint(fields=["code"], name="idx_referrals_code")]

    def __str__(self) -> str:
        return self.code


class ReferralClick(models.Model):
    """A visit of a share link by a browser that had not followed it before."""

    code = models.ForeignKey(ReferralCode, on_delete=models.CASCADE, related_name="clicks")
    clicked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("referral link visit")
        verbose_name_plural = _("referral link visits")
        indexes = [models.Index(fields=["code", "clicked_at"], name="referralclick_code_time")]

    def __str__(self) -> str:
        return f"{self.code_id} at {self.clicked_at:%Y-%m-%d %H:%M}"


class Source(models.TextChoices):
    SIGNUP = "signup", _("At sign-up")
    PAGE = "page", _("On the referrals page")
    API = "api", _("Through the API")


class FlagReason(models.TextChoices):
    EMAIL = "email", _("Same e-mail address")
    NETWORK = "network", _("Same sign-up network")
    CARD = "card", _("Same payment card")


class Referral(models.Model):
    """Someone (the referee) came through someone else's code (the referrer's). Once per referee."""

    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_made"
    )
    referee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referred_by"
    )
    code = models.ForeignKey(ReferralCode, on_delete=models.CASCADE, related_name="referrals")
    source = models.CharField(max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # Why it looks like a self-referral (FlagReason values); empty when it does not.
    flag_reasons = models.JSONField(default=list, blank=True)
    # The referee's first successful payment (billing.Payment id) and when it was made.
    first_payment_id = models.UUIDField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["referee"], name="idx_referrals_referee")]
        indexes = [models.Index(fields=["referrer", "created_at"], name="idx_referrals_referrer")]

    def __str__(self) -> str:
        return f"{self.referrer_id} → {self.referee_id}"

    @property
    def is_flagged(self) -> bool:
        return bool(self.flag_reasons)

    @property
    def reward_or_none(self) -> ReferralReward | None:
        try:
            return self.reward
        except ObjectDoesNotExist:
            return None


class RewardStatus(models.TextChoices):
    PENDING_REVIEW = "pending_review", _("Waiting for review")
    EARNED = "earned", _("Ready to claim")
    OVER_CAP = "over_cap", _("Over the yearly limit")
    CLAIMED = "claimed", _("Claimed")
    REJECTED = "rejected", _("Rejected")
    REVERSED = "reversed", _("Reversed")


class RewardKind(models.TextChoices):
    CREDIT = "credit", _("Billing credit")
    FREE_MONTH = "free_month", _("A free month of Pro")


class ReferralReward(models.Model):
    """One free month of Pro for the referrer, earned by the referee's first payment. One per
    referral (the unique key that makes the event-log consumer safe to run twice)."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="reward")
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_rewards"
    )
    status = models.CharField(_("status"), max_length=20, choices=RewardStatus.choices)
    payment_id = models.UUIDField()
    earned_at = models.DateTimeField(default=timezone.now)
    # Set when claimed: where to, as what, and the billing credit that carries it.
    workspace = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=RewardKind.choices, blank=True, default="")
    credit_id = models.BigIntegerField(null=True, blank=True)
    amount = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Staff review of a flagged referral's reward.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True, default="")
    reversed_at = models.DateTimeField(null=True, blank=True)
    # The "you earned a free month" e-mail to the referrer, sent once when it became claimable.
    emailed_at = models.DateTimeField(null=True, blank=True)

    # A personal object (teams.permissions): only its referrer sees it; everyone else gets 404.
    OWNER_PATH = "referrer"

    class Meta:
        verbose_name = _("referral reward")
        verbose_name_plural = _("referral rewards")
        ordering = ["-earned_at"]
        indexes = [models.Index(fields=["referrer", "earned_at"], name="reward_referrer_earned")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.referrer_id})"

    @property
    def is_claimable(self) -> bool:
        return self.status == RewardStatus.EARNED


class LedgerKind(models.TextChoices):
    EARNED = "earned", _("Earned")
    FLAGGED = "flagged", _("Held for review")
    OVER_CAP = "over_cap", _("Over the yearly limit")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CLAIMED = "claimed", _("Claimed")
    REVERSED = "reversed", _("Reversed")
    CLAWED_BACK = "clawed_back", _("Clawed back")


class RewardLedgerEntry(models.Model):
    """What happened to a reward, once per kind: the referral programme's own ledger."""

    reward = models.ForeignKey(ReferralReward, on_delete=models.CASCADE, related_name="ledger")
    kind = models.CharField(max_length=12, choices=LedgerKind.choices)
    # Signed, in minor units: + when a credit is given, − when it is taken back.
    amount = models.IntegerField(default=0)
    currency = models.CharField(max_length=3, blank=True, default="")
    note = models.CharField(max_length=500, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reward ledger entry")
        verbose_name_plural = _("reward ledger entries")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reward", "kind"], name="one_ledger_entry_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}".strip()


class ReferralInvitation(models.Model):
    """An invitation e-mailed by a referrer to one address, sent once (`emailed_at`)."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_invitations"
    )
    email = models.EmailField()
    message = models.CharField(max_length=500, blank=True, default="")
    # The language the invitation goes out in: the sender's browser's, else their own.
    language = models.CharField(max_length=10, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("referral invitation")
        verbose_name_plural = _("referral invitations")
        indexes = [models.Index(fields=["sender", "created_at"], name="refinvite_sender_time")]
        constraints = [
            models.UniqueConstraint(fields=["sender", "email"], name="one_invitation_per_address")
        ]

    def __str__(self) -> str:
        return self.email
