"""Making referrals and rewards for tests without walking the whole sign-up and payment path
(test_referral_path.py walks it). Not a test module."""

from __future__ import annotations

import uuid

from django.utils import timezone

from growth.referrals.codes import code_for
from growth.referrals.models import Referral, ReferralReward, RewardStatus, Source
from tests.factories import UserFactory


def referral_made(*, referrer, referee=None, **fields) -> Referral:
    referee = referee or UserFactory()
    return Referral.objects.create(
        referrer=referrer,
        referee=referee,
        code=code_for(user=referrer),
        source=fields.pop("source", Source.SIGNUP),
        **fields,
    )


def earned_reward(*, referrer, status: str = RewardStatus.EARNED, **fields) -> ReferralReward:
    """A reward as the event-log consumer leaves it after the referee's first payment."""
    paid_at = fields.pop("earned_at", None) or timezone.now()
    referral = referral_made(referrer=referrer, paid_at=paid_at, first_payment_id=uuid.uuid4())
    return ReferralReward.objects.create(
        referral=referral,
        referrer=referrer,
        payment_id=referral.first_payment_id,
        status=status,
        earned_at=paid_at,
        **fields,
    )


def personal_workspace(user):
    """The user's own personal workspace (they may belong to someone else's too)."""
    return user.teams.get(is_personal=True, memberships__user=user, memberships__role="owner")


def sandbox_subscribe(*, user, workspace=None, plan: str = "pro-monthly", currency: str = "USD"):
    """Check out `plan` for the workspace (the user's personal one) through the sandbox
    provider, as the sandbox checkout page does when the payment succeeds. Returns the invoice."""
    from billing import services
    from billing.models import Invoice, Plan

    workspace = workspace or personal_workspace(user)
    session = services.checkout_start(
        workspace=workspace, plan=Plan.objects.get(key=plan), currency=currency, actor=user
    )
    services.checkout_complete(session=session, provider_payment_id=f"sbx_{uuid.uuid4().hex}")
    return Invoice.objects.filter(workspace=workspace).latest("issued_at", "id")


def payment_of(invoice):
    from billing.models import Payment

    return Payment.objects.get(invoice=invoice)


def referred_and_paid(*, referrer, referee, plan: str = "pro-monthly", currency: str = "USD"):
    """The referee applies the referrer's code and checks out through the sandbox (20 % off a
    monthly plan). Returns the referee's payment."""
    from growth.referrals.services import referral_apply

    referral_apply(referee=referee, code=code_for(user=referrer).code, source=Source.PAGE)
    return payment_of(sandbox_subscribe(user=referee, plan=plan, currency=currency))


def sync_rewards() -> None:
    """The event-log consumer, as the periodic task runs it."""
    from growth.referrals import tasks

    tasks.sync_rewards.delay()
