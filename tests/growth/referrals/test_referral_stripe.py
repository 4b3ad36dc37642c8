"""The referral programme's news from Stripe: the card fingerprint a charge carries flags a
self-referral, and a chargeback reverses the reward. Webhooks signed for real, the Stripe API
a local server (tests/billing/conftest.py)."""

import pytest

from billing.models import Payment
from growth.referrals.codes import code_for
from growth.referrals.models import FlagReason, ReferralReward, RewardStatus
from growth.referrals.services import referral_apply
from tests.billing.conftest import checkout_completed, deliver, start_checkout, stripe_event

from .kit import personal_workspace, sync_rewards


def _paid_through_stripe(stripe_api, run_on_commit, user, n: int) -> Payment:
    stripe_api.expect_request("/v1/coupons", method="POST").respond_with_json({"id": "vc-x"})
    session = start_checkout(stripe_api, personal_workspace(user), user)
    event = checkout_completed(session)
    event["data"]["object"].update(invoice=f"in_{n}", subscription=f"sub_{n}", customer=f"cus_{n}")
    assert deliver(run_on_commit, event).status_code == 200
    return Payment.objects.get(provider_payment_id=f"in_{n}:paid")


def _referee_pays_after_referrer(stripe_api, run_on_commit, referrer, referee, *, referrer_card):
    """The referrer pays through Stripe with `referrer_card`, then the referee applies the
    referrer's code and pays through Stripe too (their card not yet known). The referee's
    payment."""
    _paid_through_stripe(stripe_api, run_on_commit, referrer, 1)
    deliver(run_on_commit, _charge(1, referrer_card))
    referral_apply(referee=referee, code=code_for(user=referrer).code)
    return _paid_through_stripe(stripe_api, run_on_commit, referee, 2)


def _charge(n: int, fingerprint: str) -> dict:
    return stripe_event(
        "charge.succeeded",
        {
            "id": f"ch_{n}",
            "object": "charge",
            "invoice": f"in_{n}",
            "payment_method_details": {"type": "card", "card": {"fingerprint": fingerprint}},
        },
    )


@pytest.mark.django_db
def test_the_same_card_at_stripe_holds_the_reward_and_a_chargeback_reverses_it(
    clock, stripe_api, run_on_commit, referrer, referee
):
    payment = _referee_pays_after_referrer(
        stripe_api, run_on_commit, referrer, referee, referrer_card="fp_shared"
    )
    assert payment.amount == 960
    deliver(run_on_commit, _charge(2, "fp_shared"))
    payment.refresh_from_db()
    assert (payment.card_fingerprint, payment.provider_charge_id) == ("fp_shared", "ch_2")

    sync_rewards()
    reward = ReferralReward.objects.get()
    assert reward.status == RewardStatus.PENDING_REVIEW
    assert reward.referral.flag_reasons == [FlagReason.CARD]

    clock.advance(days=5)
    dispute = stripe_event(
        "charge.dispute.created",
        {"id": "dp_1", "object": "dispute", "charge": "ch_2", "reason": "fraudulent"},
    )
    assert deliver(run_on_commit, dispute).status_code == 200
    deliver(run_on_commit, dispute)  # redelivered
    payment.refresh_from_db()
    assert payment.disputed_at == clock.now
    sync_rewards()
    reward.refresh_from_db()
    assert reward.status == RewardStatus.REVERSED


@pytest.mark.django_db
def test_different_cards_at_stripe_earn_the_reward(
    clock, stripe_api, run_on_commit, referrer, referee
):
    _referee_pays_after_referrer(
        stripe_api, run_on_commit, referrer, referee, referrer_card="fp_one"
    )
    deliver(run_on_commit, _charge(2, "fp_two"))
    sync_rewards()
    assert ReferralReward.objects.get().status == RewardStatus.EARNED


@pytest.mark.django_db
def test_a_charge_announced_before_the_checkout_still_flags_the_card(
    clock, stripe_api, run_on_commit, referrer, referee
):
    """Stripe does not promise an order: charge.succeeded may come before the checkout's event."""
    deliver(run_on_commit, _charge(1, "fp_shared"))
    _paid_through_stripe(stripe_api, run_on_commit, referrer, 1)
    referral_apply(referee=referee, code=code_for(user=referrer).code)
    deliver(run_on_commit, _charge(2, "fp_shared"))
    payment = _paid_through_stripe(stripe_api, run_on_commit, referee, 2)
    payment.refresh_from_db()
    assert (payment.card_fingerprint, payment.provider_charge_id) == ("fp_shared", "ch_2")
    sync_rewards()
    assert ReferralReward.objects.get().status == RewardStatus.PENDING_REVIEW


def _debt(workspace, amount: int = 1200):
    """A referral credit of `amount` spent, then taken back: owed by the workspace."""
    from billing import services as billing
    from billing.models import Credit

    credit = billing.credit_grant(
        workspace=workspace, amount=amount, currency="USD", reason="Referral", idempotency_key="r"
    )
    Credit.objects.filter(pk=credit.pk).update(remaining=0)  # spent on an earlier invoice
    return billing.credit_claw_back(credit=credit, reason="Refunded", idempotency_key="r-back")


@pytest.mark.django_db
def test_a_stripe_checkout_collects_a_debt_with_the_first_invoice(
    clock, stripe_api, run_on_commit, referrer
):
    from billing.models import Invoice
    from tests.billing.conftest import form_of, stripe_requests

    workspace = personal_workspace(referrer)
    debt = _debt(workspace)
    session = start_checkout(stripe_api, workspace, referrer)
    (request,) = stripe_requests(stripe_api, "/v1/checkout/sessions")
    params = form_of(request)
    assert params["line_items[0][price_data][unit_amount]"] == "1200"
    assert params["line_items[1][price_data][unit_amount]"] == "1200"
    assert "line_items[1][price_data][recurring][interval]" not in params
    assert "discounts[0][coupon]" not in params

    event = checkout_completed(session)
    event["data"]["object"]["amount_total"] = 2400
    deliver(run_on_commit, event)
    invoice = Invoice.objects.get(workspace=workspace)
    assert invoice.total == 2400  # what Stripe collected
    debt.refresh_from_db()
    assert debt.remaining == 0


@pytest.mark.django_db
def test_a_stripe_plan_switch_charges_a_debt_as_an_invoice_item(
    clock, stripe_api, run_on_commit, referrer
):
    from billing import services as billing
    from billing.models import Invoice, Plan, Subscription
    from tests.billing.conftest import form_of, stripe_requests

    workspace = personal_workspace(referrer)
    session = start_checkout(stripe_api, workspace, referrer)
    deliver(run_on_commit, checkout_completed(session))
    _debt(workspace)
    stripe_api.expect_request("/v1/invoiceitems", method="POST").respond_with_json(
        {"id": "ii_1", "object": "invoiceitem"}
    )
    stripe_api.expect_request("/v1/subscriptions/sub_1", method="GET").respond_with_json(
        {"id": "sub_1", "object": "subscription", "items": {"data": [{"id": "si_1"}]}}
    )
    stripe_api.expect_request("/v1/products", method="POST").respond_with_json(
        {"id": "vc-pro-annual", "object": "product"}
    )
    stripe_api.expect_request("/v1/subscriptions/sub_1", method="POST").respond_with_json(
        {"id": "sub_1", "object": "subscription", "latest_invoice": {"id": "in_sw"}}
    )
    clock.advance(days=10)
    invoice = billing.subscription_switch(
        subscription=Subscription.objects.get(workspace=workspace),
        plan=Plan.objects.get(key="pro-annual"),
        actor=referrer,
    )
    debt_line = invoice.lines.get(kind="debt")
    assert debt_line.amount == 1200
    amounts = sorted(
        int(form_of(r)["amount"]) for r in stripe_requests(stripe_api, "/v1/invoiceitems")
    )
    proration = invoice.lines.get(kind="proration").amount
    assert amounts == sorted([proration, 1200])
    assert invoice.total == 12000 + proration + 1200
    assert Invoice.objects.get(pk=invoice.pk).status == "paid"


@pytest.mark.django_db
def test_a_reward_waits_up_to_an_hour_for_the_card_of_a_stripe_payment(
    clock, stripe_api, run_on_commit, referrer, referee
):
    _referee_pays_after_referrer(
        stripe_api, run_on_commit, referrer, referee, referrer_card="fp_shared"
    )

    sync_rewards()  # the payment is known, its card not yet: no verdict
    assert not ReferralReward.objects.exists()
    clock.advance(minutes=2)
    deliver(run_on_commit, _charge(2, "fp_shared"))
    sync_rewards()
    assert ReferralReward.objects.get().status == RewardStatus.PENDING_REVIEW


@pytest.mark.django_db
def test_a_card_that_never_comes_does_not_hold_the_reward_past_the_hour(
    clock, stripe_api, run_on_commit, referrer, referee
):
    referral_apply(referee=referee, code=code_for(user=referrer).code)
    _paid_through_stripe(stripe_api, run_on_commit, referee, 2)
    clock.advance(minutes=59)
    sync_rewards()
    assert not ReferralReward.objects.exists()
    clock.advance(minutes=2)
    sync_rewards()
    assert ReferralReward.objects.get().status == RewardStatus.EARNED
