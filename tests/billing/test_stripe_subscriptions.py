"""Cancel, resume, end, switch and the customer portal, between us and Stripe."""

from __future__ import annotations

import pytest
from django.urls import reverse

from analytics.events import EventName, read
from billing import services
from billing.models import (
    ChangeKind,
    Invoice,
    InvoiceReason,
    InvoiceStatus,
    Payment,
    StripeEvent,
    Subscription,
    SubscriptionStatus,
    WebhookEventStatus,
)
from tests.billing.conftest import (
    PORTAL_URL,
    deliver,
    event_count,
    form_of,
    stripe_event,
    stripe_requests,
    subscribe,
)

pytestmark = pytest.mark.usefixtures("stripe_api")


# -- subscription changes at Stripe ----------------------------------------------------------


@pytest.mark.django_db
def test_subscription_deleted_at_stripe_moves_the_workspace_to_free(
    stripe_api, run_on_commit, workspace, owner
):
    subscribe(stripe_api, run_on_commit, workspace, owner)

    deliver(
        run_on_commit,
        stripe_event(
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
    assert not stripe_requests(stripe_api, "/v1/subscriptions/sub_1/cancel", "DELETE")
    assert not stripe_requests(stripe_api, "/v1/subscriptions/sub_1", "DELETE")
    assert StripeEvent.objects.get(type="customer.subscription.deleted").status == (
        WebhookEventStatus.PROCESSED
    )


@pytest.mark.django_db
def test_cancel_and_resume_tell_stripe(
    stripe_api, run_on_commit, workspace, owner, workspace_client
):
    subscribe(stripe_api, run_on_commit, workspace, owner)
    stripe_api.expect_request("/v1/subscriptions/sub_1", method="POST").respond_with_json(
        {"id": "sub_1", "object": "subscription"}
    )

    workspace_client.post(reverse("billing:cancel"))

    subscription = Subscription.objects.get(workspace=workspace)
    assert subscription.cancel_at_period_end is True
    (cancel,) = stripe_requests(stripe_api, "/v1/subscriptions/sub_1")
    assert form_of(cancel) == {"cancel_at_period_end": "true"}

    # Stripe echoes the change back: it is already ours, so nothing more happens.
    echo = {"id": "sub_1", "object": "subscription", "cancel_at_period_end": True}
    deliver(run_on_commit, stripe_event("customer.subscription.updated", echo))
    assert subscription.changes.filter(kind=ChangeKind.CANCEL_SCHEDULED).count() == 1

    workspace_client.post(reverse("billing:resume"))

    subscription.refresh_from_db()
    assert subscription.cancel_at_period_end is False
    cancel, resume = stripe_requests(stripe_api, "/v1/subscriptions/sub_1")
    assert form_of(resume) == {"cancel_at_period_end": "false"}
    assert subscription.changes.filter(kind=ChangeKind.RESUMED).count() == 1


@pytest.mark.django_db
def test_a_cancellation_in_the_customer_portal_is_synced(
    stripe_api, run_on_commit, workspace, owner
):
    subscribe(stripe_api, run_on_commit, workspace, owner)
    updated = {"id": "sub_1", "object": "subscription", "cancel_at_period_end": True}

    deliver(run_on_commit, stripe_event("customer.subscription.updated", updated))

    subscription = Subscription.objects.get(workspace=workspace)
    assert subscription.cancel_at_period_end is True
    assert subscription.changes.filter(kind=ChangeKind.CANCEL_SCHEDULED).count() == 1
    assert event_count("subscription.cancel_scheduled", workspace) == 1
    assert not stripe_requests(stripe_api, "/v1/subscriptions/sub_1")


@pytest.mark.django_db
def test_a_subscription_update_before_checkout_completes_is_ignored(run_on_commit):
    event = stripe_event(
        "customer.subscription.updated",
        {"id": "sub_new", "object": "subscription", "cancel_at_period_end": False},
    )

    deliver(run_on_commit, event)

    stored = StripeEvent.objects.get(event_id=event["id"])
    assert stored.status == WebhookEventStatus.IGNORED
    assert "sub_new" in stored.error


@pytest.mark.django_db
def test_the_customer_portal_url_comes_from_stripe(
    stripe_api, run_on_commit, workspace, owner, workspace_client
):
    subscribe(stripe_api, run_on_commit, workspace, owner)
    stripe_api.expect_request("/v1/billing_portal/sessions", method="POST").respond_with_json(
        {"id": "bps_1", "object": "billing_portal.session", "url": PORTAL_URL}
    )

    response = workspace_client.get(reverse("billing:payment_method"))

    assert response.status_code == 302
    assert response.url == PORTAL_URL
    (request,) = stripe_requests(stripe_api, "/v1/billing_portal/sessions")
    assert form_of(request) == {"customer": "cus_1", "return_url": "http://testserver/billing/"}


@pytest.mark.django_db
def test_switching_to_annual_applies_our_proration_at_stripe(
    stripe_api, run_on_commit, workspace, owner, workspace_client
):
    subscribe(stripe_api, run_on_commit, workspace, owner)
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
    (item_request,) = stripe_requests(stripe_api, "/v1/invoiceitems")
    item = form_of(item_request)
    assert item["amount"] == str(proration.amount)
    assert int(item["amount"]) < 0
    assert (item["customer"], item["subscription"], item["currency"]) == ("cus_1", "sub_1", "usd")
    (update_request,) = stripe_requests(stripe_api, "/v1/subscriptions/sub_1")
    update = form_of(update_request)
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
    subscribe(stripe_api, run_on_commit, workspace, owner)
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
    assert len(stripe_requests(stripe_api, "/v1/invoiceitems/ii_1", "DELETE")) == 1


# -- changes Stripe tells us of, through the same services -----------------------------------


@pytest.mark.django_db
def test_a_cancel_then_resume_at_stripe_records_both_with_source_stripe_and_calls_nothing(
    stripe_api, run_on_commit, workspace, owner
):
    subscription = subscribe(stripe_api, run_on_commit, workspace, owner)
    ends_at = subscription.current_period_end.isoformat()

    for cancel in (True, False):
        updated = {"id": "sub_1", "object": "subscription", "cancel_at_period_end": cancel}
        deliver(run_on_commit, stripe_event("customer.subscription.updated", updated))

    subscription.refresh_from_db()
    assert subscription.cancel_at_period_end is False
    scheduled, resumed = read(
        names=[EventName.SUBSCRIPTION_CANCEL_SCHEDULED, EventName.SUBSCRIPTION_RESUMED],
        workspace_id=workspace.id,
    )
    assert scheduled.name == EventName.SUBSCRIPTION_CANCEL_SCHEDULED
    assert scheduled.properties == {
        "plan": "pro-monthly",
        "plan_name": "Pro (monthly)",
        "amount": 1200,
        "currency": "USD",
        "ends_at": ends_at,
        "source": "stripe",
    }
    assert resumed.name == EventName.SUBSCRIPTION_RESUMED
    assert resumed.properties == {
        "plan": "pro-monthly",
        "amount": 1200,
        "currency": "USD",
        "source": "stripe",
    }
    assert scheduled.actor is None and resumed.actor is None
    kinds = subscription.changes.exclude(kind=ChangeKind.SUBSCRIBED).order_by("id")
    assert [(c.kind, c.details) for c in kinds] == [
        (ChangeKind.CANCEL_SCHEDULED, {"source": "stripe"}),
        (ChangeKind.RESUMED, {"source": "stripe"}),
    ]
    assert not stripe_requests(stripe_api, "/v1/subscriptions/sub_1")
    assert not stripe_requests(stripe_api, "/v1/subscriptions/sub_1", "GET")


@pytest.mark.django_db
def test_a_cancel_at_date_set_at_stripe_schedules_the_cancellation(
    stripe_api, run_on_commit, workspace, owner
):
    subscribe(stripe_api, run_on_commit, workspace, owner)
    updated = {"id": "sub_1", "object": "subscription", "cancel_at": 1893456000}

    deliver(run_on_commit, stripe_event("customer.subscription.updated", updated))

    assert Subscription.objects.get(workspace=workspace).cancel_at_period_end is True
    assert event_count(EventName.SUBSCRIPTION_CANCEL_SCHEDULED, workspace) == 1
    assert not stripe_requests(stripe_api, "/v1/subscriptions/sub_1")


@pytest.mark.django_db
def test_setting_cancel_at_period_end_twice_from_the_app_tells_stripe_and_records_once(
    stripe_api, run_on_commit, workspace, owner
):
    subscription = subscribe(stripe_api, run_on_commit, workspace, owner)
    stripe_api.expect_request("/v1/subscriptions/sub_1", method="POST").respond_with_json(
        {"id": "sub_1", "object": "subscription"}
    )

    for _attempt in range(2):
        services.subscription_set_cancel_at_period_end(
            subscription=subscription, cancel=True, actor=owner
        )

    (call,) = stripe_requests(stripe_api, "/v1/subscriptions/sub_1")
    assert form_of(call) == {"cancel_at_period_end": "true"}
    (scheduled,) = read(names=[EventName.SUBSCRIPTION_CANCEL_SCHEDULED])
    assert "source" not in scheduled.properties
    assert scheduled.actor == owner
    change = subscription.changes.get(kind=ChangeKind.CANCEL_SCHEDULED)
    assert (change.actor, change.details) == (owner, {})


@pytest.mark.django_db
def test_a_stripe_update_for_a_workspace_on_free_changes_nothing(
    stripe_api, run_on_commit, workspace, owner
):
    subscription = subscribe(stripe_api, run_on_commit, workspace, owner)
    Subscription.objects.filter(pk=subscription.pk).update(status=SubscriptionStatus.CANCELED)

    services.subscription_set_cancel_at_period_end(
        subscription=subscription, cancel=True, source="stripe"
    )

    assert Subscription.objects.get(pk=subscription.pk).cancel_at_period_end is False
    assert event_count(EventName.SUBSCRIPTION_CANCEL_SCHEDULED, workspace) == 0
    assert not subscription.changes.filter(kind=ChangeKind.CANCEL_SCHEDULED).exists()
