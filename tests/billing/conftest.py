"""Shared by the test_stripe_* modules: Stripe end to end, webhooks signed for real.

The Stripe API is a pytest-httpserver on loopback (settings.STRIPE_API_BASE points at
it), so every request our provider makes is a real HTTP request we can inspect. Webhook
bodies are signed with the `stripe` library's own signature scheme and posted to
/billing/webhooks/stripe/; Celery runs eagerly, and on-commit callbacks are executed.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest
import stripe
from django.test import Client
from pytest_httpserver import HTTPServer

from analytics.models import Event
from billing import services
from billing.models import CheckoutSession, Plan, Subscription
from tests.conftest import client_in

SECRET = "whsec_test"
WEBHOOK_URL = "/billing/webhooks/stripe/"
CHECKOUT_URL = "https://checkout.stripe.test/c/pay/cs_test_1"
PORTAL_URL = "https://billing.stripe.test/p/session/bps_1"


@pytest.fixture
def stripe_api(settings, httpserver: HTTPServer) -> HTTPServer:
    """Stripe configured against the local server; every test_stripe_* test uses it."""
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_API_BASE = httpserver.url_for("").rstrip("/")
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    return httpserver


@pytest.fixture
def workspace_client(owner, workspace) -> Client:
    """The owner, with the team workspace chosen in the header."""
    return client_in(owner, workspace)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what the code queues with transaction.on_commit (Celery is eager in tests)."""

    def post(client: Client, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(*args, **kwargs)

    return post


def stripe_requests(httpserver: HTTPServer, path: str, method: str = "POST"):
    return [req for req, _resp in httpserver.log if req.path == path and req.method == method]


def form_of(request) -> dict[str, str]:
    return {key: request.form[key] for key in request.form}


def stripe_event(event_type: str, obj: dict, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {"object": obj},
    }


def deliver(run_on_commit, event: dict, *, secret: str = SECRET, signature: str | None = None):
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


def start_checkout(httpserver, workspace, owner, *, coupon_code: str = "") -> CheckoutSession:
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


def checkout_completed(session: CheckoutSession, event_id: str | None = None) -> dict:
    return stripe_event(
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


def subscribe(httpserver, run_on_commit, workspace, owner) -> Subscription:
    session = start_checkout(httpserver, workspace, owner)
    response = deliver(run_on_commit, checkout_completed(session))
    assert response.status_code == 200
    return Subscription.objects.get(workspace=workspace)


def renewal_invoice(event_type: str, invoice_id: str, *, new_api: bool = True, **extra) -> dict:
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
    return stripe_event(event_type, obj)


def event_count(name: str, workspace) -> int:
    return Event.objects.filter(name=name, workspace=workspace).count()
