"""Upgrading through Stripe Checkout, and the webhook that completes it."""

from __future__ import annotations

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from analytics.models import Event
from billing import services
from billing.models import (
    ChangeKind,
    CheckoutSession,
    CheckoutStatus,
    Coupon,
    Invoice,
    InvoiceReason,
    InvoiceStatus,
    Payment,
    PaymentStatus,
    StripeEvent,
    Subscription,
    SubscriptionChange,
    SubscriptionStatus,
    WebhookEventStatus,
)
from tests.billing.conftest import (
    CHECKOUT_URL,
    checkout_completed,
    deliver,
    event_count,
    form_of,
    start_checkout,
    stripe_requests,
)

pytestmark = pytest.mark.usefixtures("stripe_api")


# -- checkout --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_checkout_start_creates_a_stripe_checkout_session(
    stripe_api, workspace_client, workspace, owner
):
    stripe_api.expect_request("/v1/checkout/sessions", method="POST").respond_with_json(
        {"id": "cs_test_1", "object": "checkout.session", "url": CHECKOUT_URL}
    )

    response = workspace_client.post(
        reverse("billing:checkout"), {"plan": "pro-monthly", "currency": "USD"}
    )

    assert response.status_code == 302
    assert response.url == CHECKOUT_URL
    session = CheckoutSession.objects.get(workspace=workspace)
    assert session.provider == "stripe"
    assert session.provider_session_id == "cs_test_1"
    assert session.url == CHECKOUT_URL
    (request,) = stripe_requests(stripe_api, "/v1/checkout/sessions")
    assert request.headers["Authorization"] == "Bearer sk_test_123"
    params = form_of(request)
    assert params["mode"] == "subscription"
    assert params["client_reference_id"] == str(session.id)
    assert params["customer_email"] == owner.email
    assert params["metadata[checkout_session]"] == str(session.id)
    assert params["metadata[workspace]"] == str(workspace.id)
    assert params["subscription_data[metadata][checkout_session]"] == str(session.id)
    assert params["line_items[0][price_data][unit_amount]"] == "1200"
    assert params["line_items[0][price_data][currency]"] == "usd"
    assert params["line_items[0][price_data][recurring][interval]"] == "month"
    assert params["line_items[0][price_data][product_data][name]"] == "Pro (monthly)"
    assert params["success_url"] == f"http://testserver/billing/checkout/{session.id}/return/"
    assert params["cancel_url"] == "http://testserver/billing/"
    assert "discounts[0][coupon]" not in params
    stripe_api.check_assertions()


@pytest.mark.django_db
def test_checkout_with_a_coupon_mirrors_it_at_stripe(stripe_api, workspace, owner):
    Coupon.objects.create(
        code="LAUNCH20", name="Launch", percent_off=20, duration="repeating", duration_months=3
    )
    # Created by an earlier checkout already: Stripe says so, and that is fine.
    stripe_api.expect_request("/v1/coupons", method="POST").respond_with_json(
        {
            "error": {
                "type": "invalid_request_error",
                "code": "resource_already_exists",
                "message": "Coupon already exists.",
            }
        },
        status=400,
    )

    session = start_checkout(stripe_api, workspace, owner, coupon_code="launch20")

    (coupon_request,) = stripe_requests(stripe_api, "/v1/coupons")
    coupon_params = form_of(coupon_request)
    assert coupon_params["id"] == "vc-LAUNCH20"
    assert coupon_params["percent_off"] == "20"
    assert coupon_params["duration"] == "repeating"
    assert coupon_params["duration_in_months"] == "3"
    (request,) = stripe_requests(stripe_api, "/v1/checkout/sessions")
    assert form_of(request)["discounts[0][coupon]"] == "vc-LAUNCH20"
    assert session.url == CHECKOUT_URL


@pytest.mark.django_db
def test_checkout_with_credits_has_stripe_collect_our_total(stripe_api, workspace, owner):
    services.credit_grant(
        workspace=workspace, amount=500, currency="USD", reason="Referral", idempotency_key="r1"
    )
    stripe_api.expect_request("/v1/coupons", method="POST").respond_with_json(
        {"id": "vc-checkout", "object": "coupon"}
    )

    session = start_checkout(stripe_api, workspace, owner)

    (coupon_request,) = stripe_requests(stripe_api, "/v1/coupons")
    coupon = form_of(coupon_request)
    assert coupon["id"] == f"vc-checkout-{session.id}"
    assert (coupon["amount_off"], coupon["currency"]) == ("500", "usd")
    assert (coupon["duration"], coupon["max_redemptions"]) == ("once", "1")
    (request,) = stripe_requests(stripe_api, "/v1/checkout/sessions")
    assert form_of(request)["discounts[0][coupon]"] == f"vc-checkout-{session.id}"


@pytest.mark.django_db
def test_checkout_when_stripe_fails_shows_an_error_and_changes_nothing(
    stripe_api, workspace_client, workspace
):
    stripe_api.expect_request("/v1/checkout/sessions", method="POST").respond_with_json(
        {"error": {"type": "api_error", "message": "Something went wrong."}},
        status=500,
        headers={"Stripe-Should-Retry": "false"},
    )

    response = workspace_client.post(
        reverse("billing:checkout"), {"plan": "pro-monthly", "currency": "USD"}, follow=True
    )

    assert response.status_code == 200
    assert "The payment service could not be reached" in response.content.decode()
    assert not CheckoutSession.objects.filter(workspace=workspace).exists()
    assert not Event.objects.filter(name="checkout.started").exists()


# -- checkout.session.completed --------------------------------------------------------------


@pytest.mark.django_db
def test_checkout_completed_webhook_activates_pro(stripe_api, run_on_commit, workspace, owner):
    session = start_checkout(stripe_api, workspace, owner)
    event = checkout_completed(session)

    response = deliver(run_on_commit, event)

    assert response.status_code == 200
    assert response.json() == {"received": True}
    subscription = Subscription.objects.select_related("plan").get(workspace=workspace)
    assert subscription.plan.key == "pro-monthly"
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.provider == "stripe"
    assert subscription.provider_customer_id == "cus_1"
    assert subscription.provider_subscription_id == "sub_1"
    assert subscription.current_period_end == subscription.current_period_start + relativedelta(
        months=1
    )
    invoice = Invoice.objects.get(workspace=workspace)
    assert (invoice.reason, invoice.status, invoice.total, invoice.currency) == (
        InvoiceReason.SUBSCRIBE,
        InvoiceStatus.PAID,
        1200,
        "USD",
    )
    assert invoice.provider_invoice_id == "in_1"
    payment = Payment.objects.get(workspace=workspace)
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.provider_payment_id == "in_1:paid"
    assert payment.amount == 1200
    for name in ("subscription.started", "invoice.created", "payment.succeeded"):
        assert event_count(name, workspace) == 1, name
    session.refresh_from_db()
    assert session.status == CheckoutStatus.COMPLETED
    stored = StripeEvent.objects.get(event_id=event["id"])
    assert stored.type == "checkout.session.completed"
    assert stored.payload == event
    assert stored.status == WebhookEventStatus.PROCESSED
    assert stored.attempts == 1
    assert stored.processed_at is not None


@pytest.mark.django_db
def test_the_same_event_delivered_twice_is_processed_once(
    stripe_api, run_on_commit, workspace, owner
):
    session = start_checkout(stripe_api, workspace, owner)
    event = checkout_completed(session)

    first = deliver(run_on_commit, event)
    second = deliver(run_on_commit, event)

    assert first.status_code == second.status_code == 200
    assert StripeEvent.objects.count() == 1
    assert StripeEvent.objects.get().attempts == 1
    assert Invoice.objects.filter(workspace=workspace).count() == 1
    assert Payment.objects.filter(workspace=workspace).count() == 1
    for name in ("subscription.started", "invoice.created", "payment.succeeded"):
        assert event_count(name, workspace) == 1, name
    assert SubscriptionChange.objects.filter(kind=ChangeKind.SUBSCRIBED).count() == 1
