"""What the referral programme learns from the event log (DESIGN.md: billing records, growth
reads; billing never calls growth).

- `payment.succeeded` of a workspace a referee owns, for more than nothing: the referrer's
  reward (one per referral: the reward's unique key is what this consumer remembers). A Stripe
  payment waits up to CARD_WAIT for its card's fingerprint, which Stripe sends apart.
- `payment.refunded` (in full) or `payment.disputed` of the payment that earned a reward, within
  REFERRAL_REVERSAL_DAYS of it: the reward is reversed or clawed back.

Each run reads everything still relevant rather than "since the last run": a worker that died,
or an event committed late, is caught up by the next run, and nothing is done twice.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.utils import timezone

from analytics.events import EventName, read
from billing.models import Payment, Provider
from teams.models import Membership, Role

from .models import Referral, ReferralReward, RewardStatus
from .rewards import reward_earn, reward_reverse

PAYMENT_SUBJECT = "billing.payment"
# How long a Stripe payment's reward waits for its card's fingerprint.
CARD_WAIT = datetime.timedelta(hours=1)
# How late a run may come and still see a refund that was made within the reversal window.
LATE_SYNC_ALLOWANCE = datetime.timedelta(days=60)


def rewards_grant_due() -> int:
    """Rewards for referees who paid since their referral was applied. Returns how many."""
    waiting = dict(Referral.objects.filter(reward__isnull=True).values_list("referee_id", "pk"))
    if not waiting:
        return 0
    owners = dict(
        Membership.objects.filter(user_id__in=waiting, role=Role.OWNER).values_list(
            "team_id", "user_id"
        )
    )
    granted = 0
    done: set[int] = set()
    now = timezone.now()
    events = list(
        read(names=EventName.PAYMENT_SUCCEEDED)
        .filter(workspace_id__in=owners, properties__amount__gt=0)
        .only("pk", "workspace_id", "subject_id", "occurred_at")
    )
    cards = dict(
        Payment.objects.filter(
            pk__in=[event.subject_id for event in events], provider=Provider.STRIPE
        ).values_list("pk", "card_fingerprint")
    )
    for event in events:
        referral_id = waiting[owners[event.workspace_id]]
        if referral_id in done:
            continue  # its first payment came earlier in this read
        done.add(referral_id)
        if _card_still_coming(cards, event, now):
            continue  # the next run decides, with the card to compare

        reward_earn(
            referral=Referral(pk=referral_id),
            payment_id=event.subject_id,
            paid_at=event.occurred_at,
        )
        granted += 1
    return granted


def _card_still_coming(cards: dict, event, now: datetime.datetime) -> bool:
    """Stripe reports the card (`charge.succeeded`) apart from the payment, usually seconds
    later: wait a little for it, so the same-card check has something to compare."""
    fingerprint = cards.get(uuid.UUID(event.subject_id))
    return fingerprint == "" and now - event.occurred_at < CARD_WAIT


def _reversal_reason(event, payment: Payment | None) -> str | None:
    if event.name == EventName.PAYMENT_DISPUTED:
        return "disputed"
    refunded = int(event.properties.get("refunded_total") or 0)
    if payment is not None and refunded >= payment.amount:
        return "refunded"
    return None  # a partial refund (a goodwill gesture) leaves the reward alone


def rewards_reverse_due(*, now: datetime.datetime | None = None) -> int:
    """Reverse rewards whose payment was refunded in full or disputed in time. Returns how many."""
    now = now or timezone.now()
    window = datetime.timedelta(days=settings.REFERRAL_REVERSAL_DAYS)
    # From the refunds and disputes written to the log lately, not from recent rewards: a run
    # that comes days late (workers down) still finds a refund that was made in time.
    events = read(
        names=[EventName.PAYMENT_REFUNDED, EventName.PAYMENT_DISPUTED],
        recorded_since=now - window - LATE_SYNC_ALLOWANCE,
    ).filter(subject_type=PAYMENT_SUBJECT)
    payment_ids = {event.subject_id for event in events.only("subject_id")}
    if not payment_ids:
        return 0
    live = ReferralReward.objects.exclude(
        status__in=[RewardStatus.REVERSED, RewardStatus.REJECTED]
    ).filter(payment_id__in=payment_ids)
    rewards = {str(reward.payment_id): reward for reward in live}
    if not rewards:
        return 0
    payments = Payment.objects.in_bulk(list(rewards))
    events = events.filter(subject_id__in=list(rewards))
    reversed_count = 0
    for event in events.iterator():
        reward = rewards.get(event.subject_id)
        if reward is None or reward.status == RewardStatus.REVERSED:
            continue
        if event.occurred_at > reward.earned_at + window:
            continue
        payment = payments.get(reward.payment_id)
        reason = _reversal_reason(event, payment)
        if reason is None:
            continue
        rewards[event.subject_id] = reward_reverse(reward=reward, reason=reason)
        reversed_count += 1
    return reversed_count
