"""The Stripe webhook endpoint: what it refuses, ignores, fails and replays."""

from __future__ import annotations

import json
import time

import pytest
import stripe
from django.test import Client
from django.urls import reverse

from accounts.models import User
from analytics.models import Event
from billing.models import (
    Invoice,
    InvoiceReason,
    InvoiceStatus,
    Payment,
    StripeEvent,
    Subscription,
    WebhookEventStatus,
)
from tests.billing.conftest import (
    SECRET,
    WEBHOOK_URL,
    checkout_completed,
    deliver,
    renewal_invoice,
    start_checkout,
    stripe_event,
    subscribe,
)
from tests.conftest import client_for

pytestmark = pytest.mark.usefixtures("stripe_api")


# -- what the endpoint refuses ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_bad_signature_gets_400_and_changes_nothing(stripe_api, run_on_commit, workspace, owner):
    assert reverse("billing:stripe_webhook") == WEBHOOK_URL
    session = start_checkout(stripe_api, workspace, owner)
    event = checkout_completed(session)

    wrong_secret = deliver(run_on_commit, event, secret="whsec_someone_else")
    payload = json.dumps(event)
    tampered_signature = stripe.WebhookSignature.generate_signature_header(payload, SECRET)
    tampered = run_on_commit(
        Client(),
        WEBHOOK_URL,
        data=payload.replace("cus_1", "cus_evil"),
        content_type="application/json",
        headers={"Stripe-Signature": tampered_signature},
    )
    garbage = deliver(run_on_commit, event, signature="t=not-a-time,v1=abc")
    stale = deliver(
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
        data=json.dumps(stripe_event("invoice.paid", {"id": "in_1"})),
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

    response = deliver(run_on_commit, stripe_event("invoice.paid", {"id": "in_1"}))

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


@pytest.mark.django_db
def test_the_endpoint_takes_only_post():
    assert Client().get(WEBHOOK_URL).status_code == 405


# -- ignored, failed, replayed ---------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_event_type_is_stored_and_ignored(run_on_commit):
    event = stripe_event("customer.created", {"id": "cus_9", "object": "customer"})

    response = deliver(run_on_commit, event)

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
    subscribe(stripe_api, run_on_commit, workspace, owner)
    # Stripe renews a subscription we do not know by that id (it was recreated by hand).
    event = renewal_invoice("invoice.paid", "in_2")
    event["data"]["object"]["parent"]["subscription_details"]["subscription"] = "sub_2"

    response = deliver(run_on_commit, event)

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
    deliver(run_on_commit, stripe_event("customer.created", {"id": "cus_9"}))
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

    subscribe(stripe_api, run_on_commit, workspace, owner)
    partial = stripe_event(
        "charge.refunded",
        {"id": "ch_1", "object": "charge", "invoice": "in_1", "amount_refunded": 500},
    )
    assert deliver(run_on_commit, partial).status_code == 200
    assert deliver(run_on_commit, partial).status_code == 200  # redelivered
    payment = Payment.objects.get(provider_payment_id="in_1:paid")
    assert (payment.status, payment.refunded_amount) == ("succeeded", 500)
    full = stripe_event(
        "charge.refunded",
        {"id": "ch_1", "object": "charge", "invoice": "in_1", "amount_refunded": 1200},
    )
    deliver(run_on_commit, full)
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("refunded", 1200)
    refunds = Event.objects.filter(name="payment.refunded", workspace=workspace)
    assert sorted(e.properties["amount"] for e in refunds) == [500, 700]


@pytest.mark.django_db
def test_a_signed_event_with_nul_characters_is_stored_without_them(run_on_commit):
    # PostgreSQL's jsonb (and text) cannot hold \u0000: the event is stored without it.
    event = stripe_event(
        "customer.created",
        {
            "id": "cus_9",
            "object": "customer",
            "name": "Ann\x00 Lee",
            "metadata": {"k\x00": ["\x00"]},
        },
        event_id="evt_nul\x00",
    )

    response = deliver(run_on_commit, event)

    assert response.status_code == 200
    stored = StripeEvent.objects.get(event_id="evt_nul")
    assert stored.payload["data"]["object"]["name"] == "Ann Lee"
    assert stored.payload["data"]["object"]["metadata"] == {"k": [""]}
    assert stored.status == WebhookEventStatus.IGNORED
