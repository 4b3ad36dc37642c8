"""A refund in full or a dispute within 30 days of the payment that earned a reward reverses
it: cancelled when unclaimed, clawed back when claimed (a debt when the credit was spent)."""

import datetime as dt

import pytest

from analytics.models import Event
from billing import services as billing
from billing.models import Credit, Invoice, Subscription
from growth.referrals.models import LedgerKind, ReferralReward, RewardLedgerEntry, RewardStatus
from growth.referrals.rewards import reward_claim

from .kit import personal_workspace, referred_and_paid, sandbox_subscribe, sync_rewards


def _earned(referrer, referee) -> tuple[ReferralReward, object]:
    payment = referred_and_paid(referrer=referrer, referee=referee)
    assert payment.amount == 960  # 1200 less 20 %
    sync_rewards()
    return ReferralReward.objects.get(), payment


def _ledger(reward) -> list[tuple[str, int]]:
    return list(
        RewardLedgerEntry.objects.filter(reward=reward).values_list("kind", "amount").order_by("id")
    )


@pytest.mark.django_db
def test_a_full_refund_reverses_an_unclaimed_reward(clock, referrer, referee):
    reward, payment = _earned(referrer, referee)
    clock.advance(days=29)
    billing.payment_record_refund(payment=payment, refunded_total=960)
    sync_rewards()
    reward.refresh_from_db()
    assert reward.status == RewardStatus.REVERSED
    assert reward.reversed_at == clock.now
    assert _ledger(reward) == [(LedgerKind.EARNED, 0), (LedgerKind.REVERSED, 0)]
    event = Event.objects.get(name="referral.reward_reversed")
    assert (event.properties["reason"], event.properties["clawed_back"]) == ("refunded", False)
    assert event.properties["payment_id"] == str(payment.pk)


@pytest.mark.django_db
def test_a_refund_takes_back_what_is_left_of_an_unspent_credit(clock, referrer, referee):
    workspace = personal_workspace(referrer)
    sandbox_subscribe(user=referrer)
    clock.advance(days=1)
    reward, payment = _earned(referrer, referee)
    reward_claim(reward=reward, actor=referrer, workspace=workspace)
    billing.payment_record_refund(payment=payment, refunded_total=960)
    sync_rewards()
    reward.refresh_from_db()
    assert reward.status == RewardStatus.REVERSED
    credit = Credit.objects.get(pk=reward.credit_id)
    assert (credit.amount, credit.remaining) == (1200, 0)
    assert credit.clawed_back_at == clock.now
    assert not Credit.objects.filter(workspace=workspace, amount__lt=0).exists()
    assert (LedgerKind.CLAWED_BACK, -1200) in _ledger(reward)
    event = Event.objects.get(name="referral.reward_reversed")
    assert event.properties["clawed_back"] is True


@pytest.mark.django_db
def test_a_refund_after_the_credit_was_spent_leaves_a_debt_the_next_invoice_collects(
    clock, referrer, referee
):
    workspace = personal_workspace(referrer)
    sandbox_subscribe(user=referrer)  # Pro monthly, USD 1200, renews on 10 April
    clock.advance(days=20)
    reward, payment = _earned(referrer, referee)
    reward_claim(reward=reward, actor=referrer, workspace=workspace)

    # The referrer's renewal spends the credit: nothing to pay.
    subscription = Subscription.objects.get(workspace=workspace)
    clock.now = subscription.current_period_end + dt.timedelta(minutes=1)
    billing.subscription_renew(subscription=subscription)
    april = Invoice.objects.get(workspace=workspace, reason="renewal")
    assert (april.credit_applied, april.total) == (1200, 0)

    # Twelve days after the referee paid, they get all their money back.
    billing.payment_record_refund(payment=payment, refunded_total=960)
    sync_rewards()
    debt = Credit.objects.get(workspace=workspace, amount__lt=0)
    assert (debt.amount, debt.remaining, debt.currency) == (-1200, -1200, "USD")
    assert debt.is_debt
    clawed = Event.objects.get(name="credit.clawed_back").properties
    assert (clawed["amount"], clawed["unused"], clawed["debit"], clawed["currency"]) == (
        1200,
        0,
        1200,
        "USD",
    )

    # The next renewal collects it as its own line: 1200 for May, 1200 owed.
    subscription.refresh_from_db()
    clock.now = subscription.current_period_end + dt.timedelta(minutes=1)
    billing.subscription_renew(subscription=subscription)
    may = Invoice.objects.filter(workspace=workspace, reason="renewal").latest("issued_at")
    lines = sorted(may.lines.values_list("kind", "amount"))
    assert lines == [("debt", 1200), ("plan", 1200)]
    assert (may.subtotal, may.discount, may.credit_applied, may.total) == (2400, 0, 0, 2400)
    assert may.status == "paid"
    debt.refresh_from_db()
    assert debt.remaining == 0

    # And only once: the renewal after that is the plan alone.
    subscription.refresh_from_db()
    clock.now = subscription.current_period_end + dt.timedelta(minutes=1)
    billing.subscription_renew(subscription=subscription)
    june = Invoice.objects.filter(workspace=workspace, reason="renewal").latest("issued_at")
    assert june.total == 1200


@pytest.mark.django_db
def test_a_dispute_reverses_the_reward(clock, referrer, referee):
    reward, payment = _earned(referrer, referee)
    clock.advance(days=3)
    billing.payment_record_dispute(payment=payment, reason="fraudulent")
    sync_rewards()
    reward.refresh_from_db()
    assert reward.status == RewardStatus.REVERSED
    event = Event.objects.get(name="referral.reward_reversed")
    assert event.properties["reason"] == "disputed"


@pytest.mark.django_db
def test_a_partial_refund_changes_nothing(clock, referrer, referee):
    reward, payment = _earned(referrer, referee)
    billing.payment_record_refund(payment=payment, refunded_total=500)
    sync_rewards()
    reward.refresh_from_db()
    assert reward.status == RewardStatus.EARNED
    assert _ledger(reward) == [(LedgerKind.EARNED, 0)]


@pytest.mark.django_db
def test_partial_refunds_that_add_up_to_the_whole_reverse_it(clock, referrer, referee):
    reward, payment = _earned(referrer, referee)
    billing.payment_record_refund(payment=payment, refunded_total=500)
    sync_rewards()
    billing.payment_record_refund(payment=payment, refunded_total=960)
    sync_rewards()
    reward.refresh_from_db()
    assert reward.status == RewardStatus.REVERSED


@pytest.mark.django_db
@pytest.mark.parametrize("late", ["refund", "dispute"])
def test_a_refund_or_dispute_after_30_days_changes_nothing(clock, referrer, referee, late):
    reward, payment = _earned(referrer, referee)
    clock.advance(days=30, minutes=1)
    if late == "refund":
        billing.payment_record_refund(payment=payment, refunded_total=960)
    else:
        billing.payment_record_dispute(payment=payment)
    sync_rewards()
    reward.refresh_from_db()
    assert reward.status == RewardStatus.EARNED


@pytest.mark.django_db
def test_running_the_sync_again_changes_nothing_more(clock, referrer, referee):
    workspace = personal_workspace(referrer)
    sandbox_subscribe(user=referrer)
    clock.advance(days=20)
    reward, payment = _earned(referrer, referee)
    reward_claim(reward=reward, actor=referrer, workspace=workspace)
    subscription = Subscription.objects.get(workspace=workspace)
    clock.now = subscription.current_period_end + dt.timedelta(minutes=1)
    billing.subscription_renew(subscription=subscription)
    billing.payment_record_refund(payment=payment, refunded_total=960)
    billing.payment_record_dispute(payment=payment)  # both: still one reversal
    sync_rewards()
    sync_rewards()
    clock.advance(hours=1)
    sync_rewards()
    reward.refresh_from_db()
    assert reward.status == RewardStatus.REVERSED
    kinds = [kind for kind, _amount in _ledger(reward)]
    assert sorted(kinds) == sorted(
        [LedgerKind.EARNED, LedgerKind.CLAIMED, LedgerKind.CLAWED_BACK, LedgerKind.REVERSED]
    )
    assert Credit.objects.filter(workspace=workspace, amount__lt=0).count() == 1
    assert Event.objects.filter(name="referral.reward_reversed").count() == 1
    assert Event.objects.filter(name="credit.clawed_back").count() == 1


@pytest.mark.django_db
def test_a_refund_after_a_free_month_was_claimed_leaves_a_debt_for_the_next_checkout(
    clock, referrer, referee
):
    from billing.models import Plan

    workspace = personal_workspace(referrer)
    reward, payment = _earned(referrer, referee)
    reward_claim(reward=reward, actor=referrer, workspace=workspace)  # Free: a month of Pro
    billing.payment_record_refund(payment=payment, refunded_total=960)
    sync_rewards()
    debt = Credit.objects.get(workspace=workspace, amount__lt=0)
    assert debt.remaining == -1200

    # The free month runs out; subscribing later pays the month and what is owed.
    subscription = Subscription.objects.get(workspace=workspace)
    clock.now = subscription.current_period_end + dt.timedelta(minutes=1)
    billing.subscription_renew(subscription=subscription)
    subscription.refresh_from_db()
    assert subscription.plan.key == "free"
    session = billing.checkout_start(
        workspace=workspace,
        plan=Plan.objects.get(key="pro-monthly"),
        currency="USD",
        actor=referrer,
    )
    billing.checkout_complete(session=session, provider_payment_id="sbx_after_debt")
    invoice = Invoice.objects.filter(workspace=workspace).latest("issued_at", "id")
    assert sorted(invoice.lines.values_list("kind", "amount")) == [("debt", 1200), ("plan", 1200)]
    assert invoice.total == 2400
    debt.refresh_from_db()
    assert debt.remaining == 0


@pytest.mark.django_db
def test_a_refund_made_in_time_is_found_by_a_sync_that_comes_weeks_late(clock, referrer, referee):
    reward, payment = _earned(referrer, referee)
    clock.advance(days=10)
    billing.payment_record_refund(payment=payment, refunded_total=960)
    clock.advance(days=50)  # the workers were down: the next run is 60 days after the payment
    sync_rewards()
    reward.refresh_from_db()
    assert reward.status == RewardStatus.REVERSED
