"""The referrer's reward: earned by the referee's first payment, held for review when the
referral looks like a self-referral, claimed into a workspace, reversed by a refund.

Every step is idempotent: one reward per referral (a unique key), one ledger entry per kind,
and each transition checks the state it starts from under a row lock.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from analytics.events import EventName, record
from billing import services as billing
from billing.models import Credit, Plan
from teams.models import Role, Team

from .models import (
    LedgerKind,
    Referral,
    ReferralReward,
    RewardKind,
    RewardLedgerEntry,
    RewardStatus,
)
from .services import referral_flag_again

REWARD_PLAN_KEY = "pro-monthly"
# The reward statuses that count towards the referrer's yearly cap.
COUNTED = (RewardStatus.EARNED, RewardStatus.CLAIMED)


def ledger_write(
    *, reward: ReferralReward, kind: str, amount: int = 0, note: str = "", actor=None
) -> bool:
    """One entry per kind per reward; False when it was already there."""
    try:
        with transaction.atomic():
            RewardLedgerEntry.objects.create(
                reward=reward,
                kind=kind,
                amount=amount,
                currency=reward.currency,
                note=note[:500],
                actor=actor,
            )
    except IntegrityError:
        return False
    return True


def rewards_counted_this_year(*, referrer: User, moment: datetime.datetime) -> int:
    start = moment.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    year = Q(earned_at__gte=start, earned_at__lt=start.replace(year=start.year + 1))
    return ReferralReward.objects.filter(year, referrer=referrer, status__in=COUNTED).count()


def _status_when_cleared(reward: ReferralReward) -> str:
    cap = settings.REFERRAL_YEARLY_CAP
    counted = rewards_counted_this_year(referrer=reward.referrer, moment=reward.earned_at)
    return RewardStatus.EARNED if counted < cap else RewardStatus.OVER_CAP


def _announce_if_claimable(reward: ReferralReward) -> None:
    if reward.status == RewardStatus.EARNED:
        from . import tasks

        transaction.on_commit(lambda: tasks.send_reward_earned.delay(reward.pk))


@transaction.atomic
def reward_earn(
    *, referral: Referral, payment_id: uuid.UUID | str, paid_at: datetime.datetime
) -> ReferralReward:
    """The referee's first payment succeeded: the referrer's reward, once per referral."""
    referral = Referral.objects.select_for_update().select_related("referrer").get(pk=referral.pk)
    existing = ReferralReward.objects.filter(referral=referral).first()
    if existing is not None:
        return existing
    referral.first_payment_id = payment_id
    referral.paid_at = paid_at
    referral.save(update_fields=["first_payment_id", "paid_at"])
    _lock_referrers_rewards(referral.referrer_id)
    reward = ReferralReward(
        referral=referral, referrer=referral.referrer, payment_id=payment_id, earned_at=paid_at
    )
    if referral_flag_again(referral=referral):
        reward.status = RewardStatus.PENDING_REVIEW
    else:
        reward.status = _status_when_cleared(reward)
    reward.save()
    ledger_write(reward=reward, kind=LedgerKind.EARNED)
    if reward.status == RewardStatus.PENDING_REVIEW:
        ledger_write(reward=reward, kind=LedgerKind.FLAGGED, note=", ".join(referral.flag_reasons))
    elif reward.status == RewardStatus.OVER_CAP:
        ledger_write(reward=reward, kind=LedgerKind.OVER_CAP)
    record(
        EventName.REFERRAL_REWARD_EARNED,
        subject=reward,
        properties={
            "referral_id": referral.pk,
            "payment_id": str(payment_id),
            "status": reward.status,
        },
        idempotency_key=f"referral.reward_earned:{referral.pk}",
    )
    _announce_if_claimable(reward)
    return reward


def _lock_referrers_rewards(referrer_id: int) -> None:
    # Every step that may make a reward count towards the yearly cap locks the referrer's
    # rewards first, so two at once (an earning and an approval) cannot both take the last slot.
    list(
        ReferralReward.objects.select_for_update()
        .filter(referrer_id=referrer_id)
        .values_list("pk", flat=True)
    )


def _locked(reward: ReferralReward) -> ReferralReward:
    return ReferralReward.objects.select_for_update().select_related("referrer").get(pk=reward.pk)


def _ensure_staff(actor: User) -> None:
    if not (actor and actor.is_staff):
        raise PermissionDenied(_("Only staff can review referral rewards."))


@transaction.atomic
def reward_approve(*, reward: ReferralReward, actor: User, note: str = "") -> ReferralReward:
    """Staff found a flagged referral genuine: the reward becomes claimable (within the cap)."""
    _ensure_staff(actor)
    _lock_referrers_rewards(reward.referrer_id)
    reward = _locked(reward)
    if reward.status != RewardStatus.PENDING_REVIEW:
        raise ValidationError(_("Only a reward waiting for review can be approved."))
    reward.status = _status_when_cleared(reward)
    reward.reviewed_by, reward.reviewed_at, reward.review_note = actor, timezone.now(), note[:500]
    reward.save()
    ledger_write(reward=reward, kind=LedgerKind.APPROVED, note=note, actor=actor)
    record(
        EventName.REFERRAL_REWARD_APPROVED, actor=actor, subject=reward, properties={"note": note}
    )
    _announce_if_claimable(reward)
    return reward


@transaction.atomic
def reward_reject(*, reward: ReferralReward, actor: User, note: str = "") -> ReferralReward:
    """Staff found a flagged referral to be a self-referral: no reward."""
    _ensure_staff(actor)
    reward = _locked(reward)
    if reward.status != RewardStatus.PENDING_REVIEW:
        raise ValidationError(_("Only a reward waiting for review can be rejected."))
    reward.status = RewardStatus.REJECTED
    reward.reviewed_by, reward.reviewed_at, reward.review_note = actor, timezone.now(), note[:500]
    reward.save()
    ledger_write(reward=reward, kind=LedgerKind.REJECTED, note=note, actor=actor)
    record(
        EventName.REFERRAL_REWARD_REJECTED, actor=actor, subject=reward, properties={"note": note}
    )
    return reward


def reward_plan() -> Plan:
    return Plan.objects.prefetch_related("prices").get(key=REWARD_PLAN_KEY)


@transaction.atomic
def reward_claim(*, reward: ReferralReward, actor: User, workspace: Team) -> ReferralReward:
    """Turn an earned reward into a month of Pro for a workspace the referrer owns: a credit
    worth a month on a paid plan, or the month itself on Free."""
    reward = _locked(reward)
    if reward.referrer_id != actor.pk:
        raise PermissionDenied(_("Only the person who earned a reward can claim it."))
    if not workspace.memberships.filter(user=actor, role=Role.OWNER).exists():
        raise ValidationError(_("Choose a workspace you own."))
    if reward.status == RewardStatus.CLAIMED:
        raise ValidationError(_("This reward has already been claimed."))
    if reward.status != RewardStatus.EARNED:
        raise ValidationError(
            _("This reward cannot be claimed: %(status)s.")
            % {"status": reward.get_status_display()}
        )
    subscription = billing.subscription_for(workspace)
    plan = reward_plan()
    currency = subscription.currency
    amount = plan.price_in(currency)
    credit = billing.credit_grant(
        workspace=workspace,
        amount=amount,
        currency=currency,
        reason=f"Referral reward #{reward.pk}: one month of Pro",
        idempotency_key=f"referral-reward:{reward.pk}",
    )
    if subscription.is_paid:
        reward.kind = RewardKind.CREDIT
    else:
        billing.subscription_free_month_start(
            workspace=workspace, plan=plan, credit=credit, actor=actor
        )
        reward.kind = RewardKind.FREE_MONTH
    reward.status = RewardStatus.CLAIMED
    reward.workspace, reward.credit_id = workspace, credit.pk
    reward.amount, reward.currency, reward.claimed_at = amount, currency, timezone.now()
    reward.save()
    ledger_write(reward=reward, kind=LedgerKind.CLAIMED, amount=amount, actor=actor)
    record(
        EventName.REFERRAL_REWARD_CLAIMED,
        actor=actor,
        workspace=workspace,
        subject=reward,
        properties={
            "workspace_id": workspace.pk,
            "amount": amount,
            "currency": currency,
            "kind": reward.kind,
        },
    )
    return reward


@transaction.atomic
def reward_reverse(*, reward: ReferralReward, reason: str) -> ReferralReward:
    """The payment that earned it was refunded or disputed: an unclaimed reward is cancelled,
    a claimed one clawed back (what is left of its credit goes, what was spent is owed)."""
    reward = _locked(reward)
    if reward.status in (RewardStatus.REVERSED, RewardStatus.REJECTED):
        return reward
    clawed_back = reward.status == RewardStatus.CLAIMED
    if clawed_back:
        credit = Credit.objects.get(pk=reward.credit_id)
        billing.credit_claw_back(
            credit=credit,
            reason=f"Referral reward #{reward.pk} taken back: the referee's payment was {reason}",
            idempotency_key=f"referral-reward-clawback:{reward.pk}",
        )
        ledger_write(reward=reward, kind=LedgerKind.CLAWED_BACK, amount=-reward.amount, note=reason)
    ledger_write(reward=reward, kind=LedgerKind.REVERSED, note=reason)
    reward.status = RewardStatus.REVERSED
    reward.reversed_at = timezone.now()
    reward.save(update_fields=["status", "reversed_at"])
    record(
        EventName.REFERRAL_REWARD_REVERSED,
        subject=reward,
        properties={
            "payment_id": str(reward.payment_id),
            "clawed_back": clawed_back,
            "reason": reason,
        },
    )
    return reward
