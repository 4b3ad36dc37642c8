"""Stripe end to end: the provider against a local HTTP server, webhooks signed for real.

The Stripe API is a pytest-httpserver on loopback (settings.STRIPE_API_BASE points at
it), so every request our provider makes is a real HTTP request we can inspect. Webhook
bodies are signed with the `stripe` library's own signature scheme and posted to
/billing/webhooks/stripe/; Celery runs eagerly, and on-commit callbacks are executed.
"""

from __future__ import annotations

import datetime
import json
import time
import uuid

import pytest
import stripe
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pytest_httpserver import HTTPServer

from accounts.models import User
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
    Plan,
    StripeEvent,
    Subscription,
    SubscriptionChange,
    SubscriptionStatus,
    WebhookEventStatus,
)
from teams.selectors import CURRENT_WORKSPACE_SESSION_KEY
from tests.conftest import client_for

SECRET = "whsec_test"
WEBHOOK_URL = "/billing/webhooks/stripe/"
CHECKOUT_URL = "https://checkout.stripe.test/c/pay/cs_test_1"
PORTAL_URL = "https://billing.stripe.test/p/session/bps_1"


@pytest.fixture(autouse=True)
def stripe_api(settings, httpserver: HTTPServer) -> HTTPServer:
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_API_BASE = httpserver.url_for("").rstrip("/")
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    return httpserver


@pytest.fixture
def workspace_client(owner, workspace) -> Client:
    """The owner, with the team workspace chosen in the header."""
    client = client_for(owner)
    session = client.session
    session[CURRENT_WORKSPACE_SESSION_KEY] = workspace.id
    session.save()
    return client


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what the code queues with transaction.on_commit (Celery is eager in tests)."""

    def post(client: Client, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(*args, **kwargs)

    return post


# -- helpers ---------------------------------------------------------------------------------


def _requests(httpserver: HTTPServer, path: str, method: str = "POST"):
    return [req for req, _resp in httpserver.log if req.path == path and req.method == method]


def _form(request) -> dict[str, str]:
    return {key: request.form[key] for key in request.form}


def _event(event_type: str, obj: dict, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {"object": obj},
    }


def _deliver(run_on_commit, event: dict, *, secret: str = SECRET, signature: str | None = None):
    payload = json.dumps(event)
    if signature is None:
        signature = stripe.WebhookSignature.generate_signature_header(payload, secret)
    return run_on_commit(
        Client(),
        WEBHOOK_URL,
        data=payload,
        content_type="application/json",
        headers={"Stripe-Signature": signature},
    )


def _start_checkout(httpserver, workspace, owner, *, coupon_code: str = "") -> CheckoutSession:
    httpserver.expect_oneshot_request("/v1/checkout/sessions", method="POST").respond_with_json(
        {"id": "cs_test_1", "object": "checkout.session", "url": CHECKOUT_URL}
    )
    return services.checkout_start(
        workspace=workspace,
        plan=Plan.objects.get(key="pro-monthly"),
        currency="USD",
        actor=owner,
        coupon_code=coupon_code,
    )


def _checkout_completed(session: CheckoutSession, event_id: str | None = None) -> dict:
    return _event(
        "checkout.session.completed",
        {
            "id": "cs_test_1",
            "object": "checkout.session",
            "mode": "subscription",
            "status": "complete",
            "payment_status": "paid",
            "client_reference_id": str(session.id),
            "customer": "cus_1",
            "subscription": "sub_1",
            "invoice": "in_1",
            "amount_total": 1200,
            "currency": "usd",
            "metadata": {"checkout_session": str(session.id)},
        },
        event_id,
    )


def _subscribe(httpserver, run_on_commit, workspace, owner) -> Subscription:
    session = _start_checkout(httpserver, workspace, owner)
    response = _deliver(run_on_commit, _checkout_completed(session))
    assert response.status_code == 200
    return Subscription.objects.get(workspace=workspace)


def _renewal_invoice(event_type: str, invoice_id: str, *, new_api: bool = True, **extra) -> dict:
    obj = {
        "id": invoice_id,
        "object": "invoice",
        "billing_reason": "subscription_cycle",
        "customer": "cus_1",
        "currency": "usd",
        "amount_due": 1200,
        "amount_paid": 1200 if event_type == "invoice.paid" else 0,
        "attempt_count": 1,
        **extra,
    }
    if new_api:
        obj["parent"] = {
            "type": "subscription_details",
            "subscription_details": {"subscription": "sub_1"},
        }
    else:
        obj["subscription"] = "sub_1"
    return _event(event_type, obj)


def _event_count(name: str, workspace) -> int:
    return Event.objects.filter(name=name, workspace=workspace).count()


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
    (request,) = _requests(stripe_api, "/v1/checkout/sessions")
    assert request.headers["Authorization"] == "Bearer sk_test_123"
    params = _form(request)
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

    session = _start_checkout(stripe_api, workspace, owner, coupon_code="launch20")

    (coupon_request,) = _requests(stripe_api, "/v1/coupons")
    coupon_params = _form(coupon_request)
    assert coupon_params["id"] == "vc-LAUNCH20"
    assert coupon_params["percent_off"] == "20"
    assert coupon_params["duration"] == "repeating"
    assert coupon_params["duration_in_months"] == "3"
    (request,) = _requests(stripe_api, "/v1/checkout/sessions")
    assert _form(request)["discounts[0][coupon]"] == "vc-LAUNCH20"
    assert session.url == CHECKOUT_URL


@pytest.mark.django_db
def test_checkout_with_credits_has_stripe_collect_our_total(stripe_api, workspace, owner):
    services.credit_grant(
        workspace=workspace, amount=500, currency="USD", reason="Referral", idempotency_key="r1"
    )
    stripe_api.expect_request("/v1/coupons", method="POST").respond_with_json(
        {"id": "vc-checkout", "object": "coupon"}
    )

    session = _start_checkout(stripe_api, workspace, owner)

    (coupon_request,) = _requests(stripe_api, "/v1/coupons")
    coupon = _form(coupon_request)
    assert coupon["id"] == f"vc-checkout-{session.id}"
    assert (coupon["amount_off"], coupon["currency"]) == ("500", "usd")
    assert (coupon["duration"], coupon["max_redemptions"]) == ("once", "1")
    (request,) = _requests(stripe_api, "/v1/checkout/sessions")
    assert _form(request)["discounts[0][coupon]"] == f"vc-checkout-{session.id}"


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
    session = _start_checkout(stripe_api, workspace, owner)
    event = _checkout_completed(session)

    response = _deliver(run_on_commit, event)

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
        assert _event_count(name, workspace) == 1, name
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
    session = _start_checkout(stripe_api, workspace, owner)
    event = _checkout_completed(session)

    first = _deliver(run_on_commit, event)
    second = _deliver(run_on_commit, event)

    assert first.status_code == second.status_code == 200
    assert StripeEvent.objects.count() == 1
    assert StripeEvent.objects.get().attempts == 1
    assert Invoice.objects.filter(workspace=workspace).count() == 1
    assert Payment.objects.filter(workspace=workspace).count() == 1
    for name in ("subscription.started", "invoice.created", "payment.succeeded"):
        assert _event_count(name, workspace) == 1, name
    assert SubscriptionChange.objects.filter(kind=ChangeKind.SUBSCRIBED).count() == 1


# -- what the endpoint refuses ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_bad_signature_gets_400_and_changes_nothing(stripe_api, run_on_commit, workspace, owner):
    assert reverse("billing:stripe_webhook") == WEBHOOK_URL
    session = _start_checkout(stripe_api, workspace, owner)
    event = _checkout_completed(session)

    wrong_secret = _deliver(run_on_commit, event, secret="whsec_someone_else")
    payload = json.dumps(event)
    tampered_signature = stripe.WebhookSignature.generate_signature_header(payload, SECRET)
    tampered = run_on_commit(
        Client(),
        WEBHOOK_URL,
        data=payload.replace("cus_1", "cus_evil"),
        content_type="application/json",
        headers={"Stripe-Signature": tampered_signature},
    )
    garbage = _deliver(run_on_commit, event, signature="t=not-a-time,v1=abc")
    stale = _deliver(
        run_on_commit,
        event,
        signature=stripe.WebhookSignature.generate_signature_header(
            payload, SECRET, timestamp=int(time.time()) - 3600
        ),
    )

    for response in (wrong_secret, tampered, garbage, stale):
        assert response.status_code == 400
        assert "error" in response.json()
    assert not StripeEvent.objects.exists()
    assert Subscription.objects.get(workspace=workspace).plan.key == "free"
    assert not Invoice.objects.exists()


@pytest.mark.django_db
def test_a_missing_signature_gets_400(run_on_commit):
    response = run_on_commit(
        Client(),
        WEBHOOK_URL,
        data=json.dumps(_event("invoice.paid", {"id": "in_1"})),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "signature" in response.json()["error"]
    assert not StripeEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        "not json at all",
        "[1, 2, 3]",
        json.dumps({"id": "evt_1", "object": "event"}),
        json.dumps({"id": "evt_1", "object": "event", "type": "x", "data": {"object": "no"}}),
        json.dumps({"id": "e" * 200, "object": "event", "type": "x", "data": {"object": {}}}),
    ],
)
def test_a_signed_body_that_is_not_an_event_gets_400(run_on_commit, body):
    signature = stripe.WebhookSignature.generate_signature_header(body, SECRET)

    response = run_on_commit(
        Client(),
        WEBHOOK_URL,
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": signature},
    )

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


@pytest.mark.django_db
def test_a_body_that_is_not_utf8_gets_400(run_on_commit):
    response = run_on_commit(
        Client(),
        WEBHOOK_URL,
        data=b"\xff\xfe not text",
        content_type="application/json",
        headers={"Stripe-Signature": "t=1,v1=abc"},
    )

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


@pytest.mark.django_db
def test_without_a_webhook_secret_every_event_gets_400(settings, run_on_commit):
    settings.STRIPE_WEBHOOK_SECRET = ""

    response = _deliver(run_on_commit, _event("invoice.paid", {"id": "in_1"}))

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


@pytest.mark.django_db
def test_the_endpoint_takes_only_post():
    assert Client().get(WEBHOOK_URL).status_code == 405


# -- renewals and dunning --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("new_api", [True, False], ids=["parent", "subscription_field"])
def test_invoice_paid_for_a_cycle_renews_the_period(
    stripe_api, run_on_commit, workspace, owner, new_api
):
    subscription = _subscribe(stripe_api, run_on_commit, workspace, owner)
    old_end = subscription.current_period_end

    response = _deliver(run_on_commit, _renewal_invoice("invoice.paid", "in_2", new_api=new_api))

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
    assert _event_count("payment.succeeded", workspace) == 2
    assert StripeEvent.objects.get(type="invoice.paid").status == WebhookEventStatus.PROCESSED


@pytest.mark.django_db
def test_invoice_paid_for_the_first_invoice_changes_nothing(
    stripe_api, run_on_commit, workspace, owner
):
    _subscribe(stripe_api, run_on_commit, workspace, owner)

    _deliver(
        run_on_commit,
        _renewal_invoice("invoice.paid", "in_1", billing_reason="subscription_create"),
    )

    assert Invoice.objects.filter(workspace=workspace).count() == 1
    assert StripeEvent.objects.get(type="invoice.paid").status == WebhookEventStatus.PROCESSED


@pytest.mark.django_db
def test_a_failed_renewal_makes_the_plan_past_due_and_tells_the_owner(
    stripe_api, run_on_commit, workspace, owner, mailoutbox
):
    owner.profile.language = "fr"
    owner.profile.save()
    subscription = _subscribe(stripe_api, run_on_commit, workspace, owner)
    old_end = subscription.current_period_end

    response = _deliver(run_on_commit, _renewal_invoice("invoice.payment_failed", "in_3"))

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
    assert _event_count("payment.failed", workspace) == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [owner.email]
    assert renewal.number in mailoutbox[0].body
    with translation.override("fr"):
        subject = gettext("Payment failed for %(name)s") % {"name": workspace.name}
    assert subject in mailoutbox[0].subject

    # Stripe's own retry collects it: the plan recovers and the period moves on.
    _deliver(run_on_commit, _renewal_invoice("invoice.paid", "in_3", attempt_count=2))

    subscription.refresh_from_db()
    renewal.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.next_retry_at is None
    assert subscription.current_period_start == old_end
    assert renewal.status == InvoiceStatus.PAID
    assert subscription.changes.filter(kind=ChangeKind.RECOVERED).count() == 1
    assert Invoice.objects.filter(workspace=workspace, reason=InvoiceReason.RENEWAL).count() == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_dunning_retry_collects_the_stripe_invoice(stripe_api, run_on_commit, workspace, owner):
    _subscribe(stripe_api, run_on_commit, workspace, owner)
    _deliver(run_on_commit, _renewal_invoice("invoice.payment_failed", "in_3"))
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


# -- subscription changes at Stripe ----------------------------------------------------------


@pytest.mark.django_db
def test_subscription_deleted_at_stripe_moves_the_workspace_to_free(
    stripe_api, run_on_commit, workspace, owner
):
    _subscribe(stripe_api, run_on_commit, workspace, owner)

    _deliver(
        run_on_commit,
        _event(
            "customer.subscription.deleted",
            {"id": "sub_1", "object": "subscription", "status": "canceled", "customer": "cus_1"},
        ),
    )

    subscription = Subscription.objects.select_related("plan").get(workspace=workspace)
    assert subscription.plan.key == "free"
    assert subscription.status == SubscriptionStatus.CANCELED
    assert subscription.provider_subscription_id == ""
    ended = subscription.changes.get(kind=ChangeKind.ENDED)
    assert ended.details["reason"] == "canceled_remotely"
    # Nothing was asked of Stripe: the subscription is already gone there.
    assert not _requests(stripe_api, "/v1/subscriptions/sub_1/cancel", "DELETE")
    assert not _requests(stripe_api, "/v1/subscriptions/sub_1", "DELETE")
    assert StripeEvent.objects.get(type="customer.subscription.deleted").status == (
        WebhookEventStatus.PROCESSED
    )


@pytest.mark.django_db
def test_cancel_and_resume_tell_stripe(
    stripe_api, run_on_commit, workspace, owner, workspace_client
):
    _subscribe(stripe_api, run_on_commit, workspace, owner)
    stripe_api.expect_request("/v1/subscriptions/sub_1", method="POST").respond_with_json(
        {"id": "sub_1", "object": "subscription"}
    )

    workspace_client.post(reverse("billing:cancel"))

    subscription = Subscription.objects.get(workspace=workspace)
    assert subscription.cancel_at_period_end is True
    (cancel,) = _requests(stripe_api, "/v1/subscriptions/sub_1")
    assert _form(cancel) == {"cancel_at_period_end": "true"}

    # Stripe echoes the change back: it is already ours, so nothing more happens.
    echo = {"id": "sub_1", "object": "subscription", "cancel_at_period_end": True}
    _deliver(run_on_commit, _event("customer.subscription.updated", echo))
    assert subscription.changes.filter(kind=ChangeKind.CANCEL_SCHEDULED).count() == 1

    workspace_client.post(reverse("billing:resume"))

    subscription.refresh_from_db()
    assert subscription.cancel_at_period_end is False
    cancel, resume = _requests(stripe_api, "/v1/subscriptions/sub_1")
    assert _form(resume) == {"cancel_at_period_end": "false"}
    assert subscription.changes.filter(kind=ChangeKind.RESUMED).count() == 1


@pytest.mark.django_db
def test_a_cancellation_in_the_customer_portal_is_synced(
    stripe_api, run_on_commit, workspace, owner
):
    _subscribe(stripe_api, run_on_commit, workspace, owner)
    updated = {"id": "sub_1", "object": "subscription", "cancel_at_period_end": True}

    _deliver(run_on_commit, _event("customer.subscription.updated", updated))

    subscription = Subscription.objects.get(workspace=workspace)
    assert subscription.cancel_at_period_end is True
    assert subscription.changes.filter(kind=ChangeKind.CANCEL_SCHEDULED).count() == 1
    assert _event_count("subscription.cancel_scheduled", workspace) == 1
    assert not _requests(stripe_api, "/v1/subscriptions/sub_1")


@pytest.mark.django_db
def test_a_subscription_update_before_checkout_completes_is_ignored(run_on_commit):
    event = _event(
        "customer.subscription.updated",
        {"id": "sub_new", "object": "subscription", "cancel_at_period_end": False},
    )

    _deliver(run_on_commit, event)

    stored = StripeEvent.objects.get(event_id=event["id"])
    assert stored.status == WebhookEventStatus.IGNORED
    assert "sub_new" in stored.error


@pytest.mark.django_db
def test_the_customer_portal_url_comes_from_stripe(
    stripe_api, run_on_commit, workspace, owner, workspace_client
):
    _subscribe(stripe_api, run_on_commit, workspace, owner)
    stripe_api.expect_request("/v1/billing_portal/sessions", method="POST").respond_with_json(
        {"id": "bps_1", "object": "billing_portal.session", "url": PORTAL_URL}
    )

    response = workspace_client.get(reverse("billing:payment_method"))

    assert response.status_code == 302
    assert response.url == PORTAL_URL
    (request,) = _requests(stripe_api, "/v1/billing_portal/sessions")
    assert _form(request) == {"customer": "cus_1", "return_url": "http://testserver/billing/"}


@pytest.mark.django_db
def test_switching_to_annual_applies_our_proration_at_stripe(
    stripe_api, run_on_commit, workspace, owner, workspace_client
):
    _subscribe(stripe_api, run_on_commit, workspace, owner)
    stripe_api.expect_request("/v1/invoiceitems", method="POST").respond_with_json(
        {"id": "ii_1", "object": "invoiceitem"}
    )
    stripe_api.expect_request("/v1/subscriptions/sub_1", method="GET").respond_with_json(
        {
            "id": "sub_1",
            "object": "subscription",
            "items": {"object": "list", "data": [{"id": "si_1", "object": "subscription_item"}]},
        }
    )
    stripe_api.expect_request("/v1/products", method="POST").respond_with_json(
        {"id": "vc-pro-annual", "object": "product"}
    )
    stripe_api.expect_request("/v1/subscriptions/sub_1", method="POST").respond_with_json(
        {
            "id": "sub_1",
            "object": "subscription",
            "latest_invoice": {"id": "in_sw", "object": "invoice", "status": "paid"},
        }
    )

    workspace_client.post(reverse("billing:switch"), {"plan": "pro-annual"})

    subscription = Subscription.objects.select_related("plan").get(workspace=workspace)
    assert subscription.plan.key == "pro-annual"
    invoice = Invoice.objects.get(workspace=workspace, reason=InvoiceReason.SWITCH)
    assert invoice.provider_invoice_id == "in_sw"
    assert invoice.status == InvoiceStatus.PAID
    proration = invoice.lines.get(kind="proration")
    (item_request,) = _requests(stripe_api, "/v1/invoiceitems")
    item = _form(item_request)
    assert item["amount"] == str(proration.amount)
    assert int(item["amount"]) < 0
    assert (item["customer"], item["subscription"], item["currency"]) == ("cus_1", "sub_1", "usd")
    (update_request,) = _requests(stripe_api, "/v1/subscriptions/sub_1")
    update = _form(update_request)
    assert update["items[0][id]"] == "si_1"
    assert update["items[0][price_data][unit_amount]"] == "12000"
    assert update["items[0][price_data][recurring][interval]"] == "year"
    assert update["items[0][price_data][product]"] == "vc-pro-annual"
    assert update["proration_behavior"] == "none"
    assert update["billing_cycle_anchor"] == "now"
    assert update["payment_behavior"] == "error_if_incomplete"
    assert Payment.objects.get(invoice=invoice).provider_payment_id == "in_sw:paid"


@pytest.mark.django_db
def test_a_declined_switch_changes_nothing_and_takes_the_credit_back(
    stripe_api, run_on_commit, workspace, owner, workspace_client
):
    _subscribe(stripe_api, run_on_commit, workspace, owner)
    stripe_api.expect_request("/v1/invoiceitems", method="POST").respond_with_json(
        {"id": "ii_1", "object": "invoiceitem"}
    )
    stripe_api.expect_request("/v1/invoiceitems/ii_1", method="DELETE").respond_with_json(
        {"id": "ii_1", "object": "invoiceitem", "deleted": True}
    )
    stripe_api.expect_request("/v1/subscriptions/sub_1", method="GET").respond_with_json(
        {"id": "sub_1", "object": "subscription", "items": {"data": [{"id": "si_1"}]}}
    )
    stripe_api.expect_request("/v1/products", method="POST").respond_with_json(
        {"id": "vc-pro-annual", "object": "product"}
    )
    stripe_api.expect_request("/v1/subscriptions/sub_1", method="POST").respond_with_json(
        {"error": {"type": "card_error", "code": "expired_card", "message": "Expired!"}},
        status=402,
    )

    response = workspace_client.post(reverse("billing:switch"), {"plan": "pro-annual"}, follow=True)

    assert response.status_code == 200
    assert "Your card has expired." in response.content.decode()
    subscription = Subscription.objects.select_related("plan").get(workspace=workspace)
    assert subscription.plan.key == "pro-monthly"
    assert not Invoice.objects.filter(reason=InvoiceReason.SWITCH).exists()
    assert len(_requests(stripe_api, "/v1/invoiceitems/ii_1", "DELETE")) == 1


# -- ignored, failed, replayed ---------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_event_type_is_stored_and_ignored(run_on_commit):
    event = _event("customer.created", {"id": "cus_9", "object": "customer"})

    response = _deliver(run_on_commit, event)

    assert response.status_code == 200
    stored = StripeEvent.objects.get(event_id=event["id"])
    assert stored.status == WebhookEventStatus.IGNORED
    assert stored.attempts == 1


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(email="root@example.com", password="root-pass-123")


@pytest.mark.django_db
def test_a_failed_event_is_replayed_from_the_admin_once_its_cause_is_fixed(
    stripe_api, run_on_commit, workspace, owner, superuser
):
    _subscribe(stripe_api, run_on_commit, workspace, owner)
    # Stripe renews a subscription we do not know by that id (it was recreated by hand).
    event = _renewal_invoice("invoice.paid", "in_2")
    event["data"]["object"]["parent"]["subscription_details"]["subscription"] = "sub_2"

    response = _deliver(run_on_commit, event)

    assert response.status_code == 200
    stored = StripeEvent.objects.get(event_id=event["id"])
    assert stored.status == WebhookEventStatus.FAILED
    assert "sub_2" in stored.error
    assert stored.attempts == 1
    assert not Invoice.objects.filter(reason=InvoiceReason.RENEWAL).exists()

    # Staff link the workspace to the new Stripe subscription, then replay the event.
    Subscription.objects.filter(workspace=workspace).update(provider_subscription_id="sub_2")
    admin = client_for(superuser)
    changelist = reverse("admin:billing_stripeevent_changelist")
    response = run_on_commit(
        admin,
        changelist,
        {"action": "replay_events", "_selected_action": [str(stored.pk)]},
        follow=True,
    )

    assert response.status_code == 200
    assert "1 event was processed." in response.content.decode()
    stored.refresh_from_db()
    assert stored.status == WebhookEventStatus.PROCESSED
    assert stored.error == ""
    assert stored.attempts == 2
    renewal = Invoice.objects.get(reason=InvoiceReason.RENEWAL)
    assert (renewal.provider_invoice_id, renewal.status) == ("in_2", InvoiceStatus.PAID)

    # Replaying a processed event again does not renew twice.
    run_on_commit(admin, changelist, {"action": "replay_events", "_selected_action": [stored.pk]})
    assert Invoice.objects.filter(reason=InvoiceReason.RENEWAL).count() == 1
    assert Payment.objects.filter(provider_payment_id="in_2:paid").count() == 1


@pytest.mark.django_db
def test_the_stripe_event_admin_pages_open(superuser, run_on_commit):
    _deliver(run_on_commit, _event("customer.created", {"id": "cus_9"}))
    admin = client_for(superuser)
    stored = StripeEvent.objects.get()

    assert admin.get(reverse("admin:billing_stripeevent_changelist")).status_code == 200
    change = admin.get(reverse("admin:billing_stripeevent_change", args=[stored.pk]))
    assert change.status_code == 200
    assert "cus_9" in change.content.decode()
    assert admin.get(reverse("admin:billing_stripeevent_add")).status_code == 403


def test_a_refund_in_the_stripe_dashboard_is_recorded_once(
    stripe_api, run_on_commit, workspace, owner
):
    from billing.models import Payment

    _subscribe(stripe_api, run_on_commit, workspace, owner)
    partial = _event(
        "charge.refunded",
        {"id": "ch_1", "object": "charge", "invoice": "in_1", "amount_refunded": 500},
    )
    assert _deliver(run_on_commit, partial).status_code == 200
    assert _deliver(run_on_commit, partial).status_code == 200  # redelivered
    payment = Payment.objects.get(provider_payment_id="in_1:paid")
    assert (payment.status, payment.refunded_amount) == ("succeeded", 500)
    full = _event(
        "charge.refunded",
        {"id": "ch_1", "object": "charge", "invoice": "in_1", "amount_refunded": 1200},
    )
    _deliver(run_on_commit, full)
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("refunded", 1200)
    refunds = Event.objects.filter(name="payment.refunded", workspace=workspace)
    assert sorted(e.properties["amount"] for e in refunds) == [500, 700]
