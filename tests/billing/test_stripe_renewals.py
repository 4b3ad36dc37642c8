"""Renewals Stripe collects or fails to collect, and our dunning retries at Stripe."""

from __future__ import annotations

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import translation
from django.utils.translation import gettext

from analytics.events import EventName, read
from billing import services
from billing.models import (
    ChangeKind,
    Invoice,
    InvoiceReason,
    InvoiceStatus,
    Payment,
    PaymentStatus,
    StripeEvent,
    Subscription,
    SubscriptionStatus,
    WebhookEventStatus,
)
from tests.billing.conftest import (
    deliver,
    event_count,
    renewal_invoice,
    subscribe,
)

pytestmark = pytest.mark.usefixtures("stripe_api")


# -- renewals and dunning --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("new_api", [True, False], ids=["parent", "subscription_field"])
def test_invoice_paid_for_a_cycle_renews_the_period(
    stripe_api, run_on_commit, workspace, owner, new_api
):
    subscription = subscribe(stripe_api, run_on_commit, workspace, owner)
    old_end = subscription.current_period_end

    response = deliver(run_on_commit, renewal_invoice("invoice.paid", "in_2", new_api=new_api))

    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.current_period_start == old_end
    assert subscription.current_period_end == old_end + relativedelta(months=1)
    renewal = Invoice.objects.get(workspace=workspace, reason=InvoiceReason.RENEWAL)
    assert renewal.provider_invoice_id == "in_2"
    assert renewal.status == InvoiceStatus.PAID
    assert (renewal.period_start, renewal.total) == (old_end, 1200)
    payment = Payment.objects.get(invoice=renewal)
    assert (payment.provider_payment_id, payment.status) == ("in_2:paid", PaymentStatus.SUCCEEDED)
    assert subscription.changes.filter(kind=ChangeKind.RENEWED).count() == 1
    assert event_count("payment.succeeded", workspace) == 2
    assert StripeEvent.objects.get(type="invoice.paid").status == WebhookEventStatus.PROCESSED


@pytest.mark.django_db
def test_invoice_paid_for_the_first_invoice_changes_nothing(
    stripe_api, run_on_commit, workspace, owner
):
    subscribe(stripe_api, run_on_commit, workspace, owner)

    deliver(
        run_on_commit,
        renewal_invoice("invoice.paid", "in_1", billing_reason="subscription_create"),
    )

    assert Invoice.objects.filter(workspace=workspace).count() == 1
    assert StripeEvent.objects.get(type="invoice.paid").status == WebhookEventStatus.PROCESSED


@pytest.mark.django_db
def test_a_failed_renewal_makes_the_plan_past_due_and_tells_the_owner(
    stripe_api, run_on_commit, workspace, owner, mailoutbox
):
    owner.profile.language = "fr"
    owner.profile.save()
    subscription = subscribe(stripe_api, run_on_commit, workspace, owner)
    old_end = subscription.current_period_end

    response = deliver(run_on_commit, renewal_invoice("invoice.payment_failed", "in_3"))

    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PAST_DUE
    assert subscription.payment_failed_at is not None
    assert subscription.next_retry_at is not None
    renewal = Invoice.objects.get(workspace=workspace, reason=InvoiceReason.RENEWAL)
    assert (renewal.provider_invoice_id, renewal.status) == ("in_3", InvoiceStatus.OPEN)
    assert renewal.period_start == old_end
    failed = Payment.objects.get(invoice=renewal)
    assert (failed.status, failed.provider_payment_id) == (PaymentStatus.FAILED, "in_3:attempt:1")
    assert event_count("payment.failed", workspace) == 1
    _receipt, notice = mailoutbox  # the checkout's receipt, then the failed renewal's notice
    assert notice.to == [owner.email]
    assert renewal.number in notice.body
    with translation.override("fr"):
        subject = gettext("Payment failed for %(name)s") % {"name": workspace.name}
    assert subject in notice.subject

    # Stripe's own retry collects it: the plan recovers and the period moves on.
    deliver(run_on_commit, renewal_invoice("invoice.paid", "in_3", attempt_count=2))

    subscription.refresh_from_db()
    renewal.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.next_retry_at is None
    assert subscription.current_period_start == old_end
    assert renewal.status == InvoiceStatus.PAID
    assert subscription.changes.filter(kind=ChangeKind.RECOVERED).count() == 1
    assert Invoice.objects.filter(workspace=workspace, reason=InvoiceReason.RENEWAL).count() == 1
    # No second notice: the third e-mail is the renewal's receipt.
    assert len(mailoutbox) == 3
    assert renewal.number in mailoutbox[2].subject


@pytest.mark.django_db
def test_a_dunning_retry_collects_the_stripe_invoice(stripe_api, run_on_commit, workspace, owner):
    subscribe(stripe_api, run_on_commit, workspace, owner)
    deliver(run_on_commit, renewal_invoice("invoice.payment_failed", "in_3"))
    subscription = Subscription.objects.get(workspace=workspace)
    Subscription.objects.filter(pk=subscription.pk).update(
        next_retry_at=subscription.next_retry_at - datetime.timedelta(days=2)
    )
    # First retry: declined. Stripe counts it as its attempt 2.
    stripe_api.expect_oneshot_request("/v1/invoices/in_3/pay", method="POST").respond_with_json(
        {
            "error": {
                "type": "card_error",
                "code": "card_declined",
                "decline_code": "insufficient_funds",
                "message": "Your card has insufficient funds.",
            }
        },
        status=402,
    )
    stripe_api.expect_oneshot_request("/v1/invoices/in_3", method="GET").respond_with_json(
        {"id": "in_3", "object": "invoice", "status": "open", "attempt_count": 2}
    )

    services.dunning_retry(subscription=subscription)

    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PAST_DUE
    assert subscription.retry_count == 1
    declined = Payment.objects.get(provider_payment_id="in_3:attempt:2")
    assert declined.failure_reason == "Your card has insufficient funds."

    # Second retry: paid.
    Subscription.objects.filter(pk=subscription.pk).update(
        next_retry_at=subscription.next_retry_at - datetime.timedelta(days=5)
    )
    stripe_api.expect_oneshot_request("/v1/invoices/in_3/pay", method="POST").respond_with_json(
        {"id": "in_3", "object": "invoice", "status": "paid"}
    )

    services.dunning_retry(subscription=subscription)

    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert Invoice.objects.get(provider_invoice_id="in_3").status == InvoiceStatus.PAID
    assert Payment.objects.get(provider_payment_id="in_3:paid").status == PaymentStatus.SUCCEEDED
    stripe_api.check_assertions()


@pytest.mark.django_db
def test_a_renewal_stripe_reports_in_two_events_is_recorded_once(
    stripe_api, run_on_commit, workspace, owner
):
    subscription = subscribe(stripe_api, run_on_commit, workspace, owner)
    old_end = subscription.current_period_end

    # Two events (two ids) about the same invoice, as when Stripe sends a second invoice.paid.
    deliver(run_on_commit, renewal_invoice("invoice.paid", "in_2"))
    deliver(run_on_commit, renewal_invoice("invoice.paid", "in_2"))

    subscription.refresh_from_db()
    assert subscription.current_period_start == old_end
    assert Invoice.objects.filter(workspace=workspace, reason=InvoiceReason.RENEWAL).count() == 1
    assert Payment.objects.filter(provider_payment_id="in_2:paid").count() == 1
    assert subscription.changes.filter(kind=ChangeKind.RENEWED).count() == 1
    renewal = Invoice.objects.get(provider_invoice_id="in_2")
    renewed = subscription.changes.get(kind=ChangeKind.RENEWED)
    assert renewed.details == {"invoice": renewal.number, "source": "stripe"}


@pytest.mark.django_db
def test_past_due_then_recovered_at_stripe_record_their_events_with_the_invoice(
    stripe_api, run_on_commit, workspace, owner
):
    subscribe(stripe_api, run_on_commit, workspace, owner)

    deliver(run_on_commit, renewal_invoice("invoice.payment_failed", "in_3"))
    deliver(run_on_commit, renewal_invoice("invoice.paid", "in_3", attempt_count=2))

    renewal = Invoice.objects.get(provider_invoice_id="in_3")
    past_due, recovered = read(
        names=[EventName.SUBSCRIPTION_PAST_DUE, EventName.SUBSCRIPTION_RECOVERED],
        workspace_id=workspace.id,
    )
    expected = {"plan": "pro-monthly", "amount": 1200, "currency": "USD", "invoice": renewal.number}
    assert (past_due.name, past_due.properties) == (EventName.SUBSCRIPTION_PAST_DUE, expected)
    assert (recovered.name, recovered.properties) == (EventName.SUBSCRIPTION_RECOVERED, expected)
    change = Subscription.objects.get(workspace=workspace).changes.get(kind=ChangeKind.RECOVERED)
    assert change.details == {"invoice": renewal.number, "source": "stripe"}
