"""The whole sandbox flow through pages and tasks: upgrade, renew, fail, dunning, Free, resume."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from analytics.models import Event
from billing import tasks
from billing.models import (
    CheckoutSession,
    Coupon,
    CouponDuration,
    Invoice,
    Payment,
    Subscription,
    SubscriptionStatus,
)
from tests.conftest import client_in


def _upgrade(client, plan="pro-monthly", currency="USD", coupon=""):
    response = client.post(
        reverse("billing:checkout"), {"plan": plan, "currency": currency, "coupon": coupon}
    )
    assert response.status_code == 302, response
    session = CheckoutSession.objects.latest("created_at")
    assert response["Location"] == reverse("billing:sandbox_checkout", args=[session.id])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="outcome" value="fail"' in page.content.decode()
    return session


def _expire_period(workspace) -> None:
    Subscription.objects.filter(workspace=workspace).update(
        current_period_end=timezone.now() - datetime.timedelta(minutes=1)
    )


def _due_retry(workspace) -> None:
    Subscription.objects.filter(workspace=workspace).update(
        next_retry_at=timezone.now() - datetime.timedelta(minutes=1)
    )


def _events(name: str) -> list[Event]:
    return list(Event.objects.filter(name=name).order_by("occurred_at"))


@pytest.mark.django_db
def test_upgrade_renew_fail_dunning_to_free(owner, workspace, django_capture_on_commit_callbacks):
    owner.profile.language = "fr"
    owner.profile.save()
    client = client_in(owner, workspace)
    session = _upgrade(client)
    response = client.post(
        reverse("billing:sandbox_checkout", args=[session.id]), {"outcome": "succeed"}
    )
    assert response["Location"] == reverse("billing:page")

    subscription = Subscription.objects.get(workspace=workspace)
    assert (subscription.plan.key, subscription.status) == ("pro-monthly", "active")
    first = Invoice.objects.get(subscription=subscription)
    assert (first.total, first.currency, first.status) == (1200, "USD", "paid")
    assert _events("subscription.started")[0].properties["amount"] == 1200
    paid = _events("payment.succeeded")[0].properties
    assert (paid["amount"], paid["currency"], paid["invoice"]) == (1200, "USD", first.number)

    # The period ends: the renewal task invoices and charges the next one.
    _expire_period(workspace)
    subscription.refresh_from_db()
    ended_at = subscription.current_period_end
    tasks.renew_due_subscriptions()
    tasks.renew_due_subscriptions()  # running twice changes nothing more
    subscription.refresh_from_db()
    renewal = Invoice.objects.get(subscription=subscription, reason="renewal")
    assert renewal.period_start == ended_at == subscription.current_period_start
    assert (renewal.total, renewal.status) == (1200, "paid")
    assert len(_events("payment.succeeded")) == 2

    # The card starts declining: the next renewal fails.
    client.post(reverse("billing:sandbox_payment_method"), {"card": "decline"})
    _expire_period(workspace)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.renew_due_subscriptions()
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PAST_DUE
    failed_at = subscription.payment_failed_at
    assert subscription.next_retry_at == failed_at + datetime.timedelta(days=1)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert "Payment failed" not in mail.outbox[0].subject  # in French
    assert "/billing/" in mail.outbox[0].body
    assert _events("payment.failed")[0].properties["currency"] == "USD"

    # Retries on days 1 and 3 fail; the notice is not sent again.
    for expected_days in (3, 5):
        _due_retry(workspace)
        with django_capture_on_commit_callbacks(execute=True):
            tasks.retry_past_due_payments()
        subscription.refresh_from_db()
        assert subscription.next_retry_at == failed_at + datetime.timedelta(days=expected_days)
    assert len(mail.outbox) == 1

    # Day 5 fails too: the workspace moves to Free, nothing is deleted.
    _due_retry(workspace)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.retry_past_due_payments()
    subscription.refresh_from_db()
    assert (subscription.plan.key, subscription.status) == ("free", "canceled")
    assert Invoice.objects.filter(subscription=subscription).count() == 3
    assert Invoice.objects.get(status="uncollectible").reason == "renewal"
    assert Payment.objects.filter(status="failed").count() == 4
    assert len(mail.outbox) == 2
    assert _events("subscription.ended")[-1].properties["reason"] == "payment_failed"
    page = client.get(reverse("billing:page")).content.decode()
    assert "free" in page.lower() or "gratuit" in page.lower()


@pytest.mark.django_db
def test_a_retry_that_succeeds_recovers(owner, workspace):
    client = client_in(owner, workspace)
    session = _upgrade(client)
    client.post(reverse("billing:sandbox_checkout", args=[session.id]), {"outcome": "succeed"})
    client.post(reverse("billing:sandbox_payment_method"), {"card": "decline"})
    _expire_period(workspace)
    tasks.renew_due_subscriptions()
    client.post(reverse("billing:sandbox_payment_method"), {"card": "ok"})
    _due_retry(workspace)
    tasks.retry_past_due_payments()
    subscription = Subscription.objects.get(workspace=workspace)
    assert subscription.status == "active" and subscription.next_retry_at is None
    renewal = Invoice.objects.get(reason="renewal")
    assert renewal.status == "paid"
    assert subscription.current_period_start == renewal.period_start


@pytest.mark.django_db
def test_cancel_then_resume_then_cancel_ends_at_period_end(owner, workspace):
    client = client_in(owner, workspace)
    session = _upgrade(client, plan="pro-annual", currency="EUR")
    client.post(reverse("billing:sandbox_checkout", args=[session.id]), {"outcome": "succeed"})
    client.post(reverse("billing:cancel"))
    subscription = Subscription.objects.get(workspace=workspace)
    assert subscription.cancel_at_period_end and subscription.plan.key == "pro-annual"
    assert _events("subscription.cancel_scheduled")[0].properties["amount"] == 11000

    client.post(reverse("billing:resume"))
    subscription.refresh_from_db()
    assert not subscription.cancel_at_period_end

    client.post(reverse("billing:cancel"))
    _expire_period(workspace)
    tasks.renew_due_subscriptions()
    subscription.refresh_from_db()
    assert subscription.plan.key == "free"
    assert Invoice.objects.filter(reason="renewal").count() == 0  # nothing charged after cancel


@pytest.mark.django_db
def test_declined_checkout_changes_nothing_but_records_the_attempt(owner, workspace):
    client = client_in(owner, workspace)
    session = _upgrade(client)
    response = client.post(
        reverse("billing:sandbox_checkout", args=[session.id]), {"outcome": "fail"}
    )
    assert response.status_code == 302
    assert Subscription.objects.get(workspace=workspace).plan.key == "free"
    assert not Invoice.objects.exists()
    assert Payment.objects.get().status == "failed"
    # The finished checkout cannot be paid afterwards.
    client.post(reverse("billing:sandbox_checkout", args=[session.id]), {"outcome": "succeed"})
    assert Subscription.objects.get(workspace=workspace).plan.key == "free"


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", [None, "", "maybe", "succeed\x00"])
def test_a_checkout_without_a_known_outcome_changes_nothing(owner, workspace, outcome):
    client = client_in(owner, workspace)
    session = _upgrade(client)
    data = {} if outcome is None else {"outcome": outcome}
    response = client.post(reverse("billing:sandbox_checkout", args=[session.id]), data)
    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Choose whether the test payment succeeds or fails."
    ]
    assert Subscription.objects.get(workspace=workspace).plan.key == "free"
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_paying_the_same_checkout_twice_charges_once(owner, workspace):
    from billing import services

    client = client_in(owner, workspace)
    session = _upgrade(client)
    services.checkout_complete(session=session, provider_payment_id="sbx_a")
    services.checkout_complete(session=session, provider_payment_id="sbx_b")
    assert Invoice.objects.count() == 1 and Payment.objects.count() == 1
    assert len(_events("subscription.started")) == 1


@pytest.mark.django_db
def test_switch_monthly_to_annual_credits_unused_time(owner, workspace):
    from billing import services

    client = client_in(owner, workspace)
    session = _upgrade(client)
    start = timezone.now()
    services.checkout_complete(session=session, provider_payment_id="sbx_1", now=start)
    subscription = Subscription.objects.get(workspace=workspace)
    from billing.models import Plan

    period = subscription.current_period_end - subscription.current_period_start
    halfway = start + period / 2
    invoice = services.subscription_switch(
        subscription=subscription, plan=Plan.objects.get(key="pro-annual"), actor=owner, now=halfway
    )
    lines = list(invoice.lines.order_by("id"))
    assert [line.amount for line in lines] == [12000, -600]
    assert invoice.total == 11400
    subscription.refresh_from_db()
    assert subscription.plan.key == "pro-annual"
    assert subscription.current_period_start == halfway


@pytest.mark.django_db
def test_switch_annual_to_monthly_leaves_a_credit_for_later(owner, workspace):
    from billing import services
    from billing.models import Credit, Plan

    client = client_in(owner, workspace)
    session = _upgrade(client, plan="pro-annual")
    start = timezone.now()
    services.checkout_complete(session=session, provider_payment_id="sbx_1", now=start)
    subscription = Subscription.objects.get(workspace=workspace)
    a_quarter = start + (subscription.current_period_end - start) / 4
    invoice = services.subscription_switch(
        subscription=subscription,
        plan=Plan.objects.get(key="pro-monthly"),
        actor=owner,
        now=a_quarter,
    )
    assert invoice.total == 0
    credit = Credit.objects.get(workspace=workspace)
    assert credit.remaining == 9000 - 1200  # three quarters of 12000, minus the first month
    # The next renewal is paid from the credit first.
    subscription.refresh_from_db()
    services.subscription_renew(subscription=subscription, now=subscription.current_period_end)
    renewal = Invoice.objects.get(reason="renewal")
    assert (renewal.credit_applied, renewal.total, renewal.status) == (1200, 0, "paid")


@pytest.mark.django_db
def test_coupon_twenty_percent_off_first_month_only(owner, workspace):
    Coupon.objects.create(
        code="FRIEND20", name="Referral", percent_off=20, duration=CouponDuration.ONCE
    )
    client = client_in(owner, workspace)
    session = _upgrade(client, coupon="friend20")
    client.post(reverse("billing:sandbox_checkout", args=[session.id]), {"outcome": "succeed"})
    first = Invoice.objects.get(reason="subscribe")
    assert (first.subtotal, first.discount, first.total) == (1200, 240, 960)
    _expire_period(workspace)
    tasks.renew_due_subscriptions()
    renewal = Invoice.objects.get(reason="renewal")
    assert (renewal.discount, renewal.total) == (0, 1200)


@pytest.mark.django_db
def test_repeating_coupon_applies_for_its_months(owner, workspace):
    Coupon.objects.create(
        code="THREE",
        name="Three months",
        amount_off=500,
        currency="USD",
        duration=CouponDuration.REPEATING,
        duration_months=2,
    )
    client = client_in(owner, workspace)
    session = _upgrade(client, coupon="THREE")
    client.post(reverse("billing:sandbox_checkout", args=[session.id]), {"outcome": "succeed"})
    for _month in range(2):
        _expire_period(workspace)
        tasks.renew_due_subscriptions()
    totals = list(Invoice.objects.order_by("id").values_list("total", flat=True))
    assert totals == [700, 700, 1200]


@pytest.mark.django_db
def test_bad_coupon_is_a_clear_error_and_nothing_starts(owner, workspace):
    client = client_in(owner, workspace)
    response = client.post(
        reverse("billing:checkout"), {"plan": "pro-monthly", "currency": "USD", "coupon": "NOPE"}
    )
    assert response.status_code == 302
    assert not CheckoutSession.objects.exists()
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("NOPE" in m for m in messages)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"plan": "free", "currency": "USD"},
        {"plan": "gold", "currency": "USD"},
        {"plan": "pro-monthly", "currency": "XXX"},
        {},
    ],
)
def test_bad_checkout_input_changes_nothing(owner, workspace, data):
    response = client_in(owner, workspace).post(reverse("billing:checkout"), data)
    assert response.status_code == 302
    assert not CheckoutSession.objects.exists()
