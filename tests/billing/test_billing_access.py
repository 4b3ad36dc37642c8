"""Who sees what: outsiders get 404 everywhere, only owners change or read invoices."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from billing import services
from billing.models import CheckoutSession, Plan
from tests.conftest import client_for, client_in


@pytest.fixture
def paid(owner, workspace):
    session = services.checkout_start(
        workspace=workspace, plan=Plan.objects.get(key="pro-monthly"), currency="USD", actor=owner
    )
    services.checkout_complete(session=session, provider_payment_id="sbx_paid")
    return session


@pytest.mark.django_db
def test_outsider_gets_404_on_every_billing_object_and_api_route(outsider, workspace, paid):
    invoice = workspace.invoices.get()
    client = client_for(outsider)
    for url in [
        reverse("billing:invoice", args=[invoice.id]),
        reverse("billing:sandbox_checkout", args=[paid.id]),
        reverse("billing:checkout_return", args=[paid.id]),
    ]:
        assert client.get(url).status_code == 404, url
    api = APIClient()
    api.force_authenticate(outsider)
    for route in ["/api/v1/billing/subscription/", "/api/v1/billing/invoices/"]:
        assert api.get(route, {"workspace": workspace.pk}).status_code == 404, route


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "page", "invoice", "change"),
    [
        ("owner", 200, 200, True),
        ("admin", 200, 403, False),
        ("editor", 200, 403, False),
        ("viewer", 403, 403, False),
    ],
)
def test_roles(cast, workspace, paid, role, page, invoice, change):
    client = client_in(cast[role], workspace)
    assert client.get(reverse("billing:page")).status_code == page
    invoice_id = workspace.invoices.get().id
    assert client.get(reverse("billing:invoice", args=[invoice_id])).status_code == invoice
    response = client.post(reverse("billing:cancel"))
    assert response.status_code == (302 if change else 403)
    assert (
        workspace.subscription.__class__.objects.get(
            pk=workspace.subscription.pk
        ).cancel_at_period_end
        is change
    )


@pytest.mark.django_db
def test_owner_sees_invoice_list_and_printable_invoice(owner, workspace, paid):
    client = client_in(owner, workspace)
    page = client.get(reverse("billing:page")).content.decode()
    invoice = workspace.invoices.get()
    assert invoice.number in page
    printable = client.get(reverse("billing:invoice", args=[invoice.id])).content.decode()
    assert "$12.00" in printable and invoice.number in printable


@pytest.mark.django_db
def test_pricing_is_public_and_localized(client):
    page = client.get(reverse("billing:pricing"), HTTP_ACCEPT_LANGUAGE="ja")
    assert page.status_code == 200
    text = page.content.decode()
    assert "￥1,800" in text  # yen by default for Japanese, no minor unit
    annual = client.get(reverse("billing:pricing"), {"period": "year", "currency": "EUR"})
    assert "110,00" in annual.content.decode() or "€110.00" in annual.content.decode()


@pytest.mark.django_db
def test_pricing_ignores_unknown_currency(client):
    assert client.get(reverse("billing:pricing"), {"currency": "<script>"}).status_code == 200


@pytest.mark.django_db
def test_api_plans_subscription_and_invoices(owner, workspace, paid):
    api = APIClient()
    plans = api.get("/api/v1/billing/plans/").json()
    monthly = next(p for p in plans if p["key"] == "pro-monthly")
    assert {"currency": "JPY", "amount": 1800} in monthly["prices"]
    assert monthly["limits"]["team_seats"] == 20
    api.force_authenticate(owner)
    sub = api.get("/api/v1/billing/subscription/", {"workspace": workspace.pk}).json()
    assert (sub["plan"], sub["status"], sub["amount"], sub["currency"]) == (
        "pro-monthly",
        "active",
        1200,
        "USD",
    )
    invoices = api.get("/api/v1/billing/invoices/", {"workspace": workspace.pk}).json()
    assert invoices["count"] == 1 and invoices["results"][0]["total"] == 1200


@pytest.mark.django_db
def test_api_needs_a_workspace_and_role(editor, viewer, workspace, paid):
    api = APIClient()
    api.force_authenticate(editor)
    missing = api.get("/api/v1/billing/subscription/")
    assert missing.status_code == 400 and "workspace" in missing.json()["error"]["fields"]
    assert api.get("/api/v1/billing/subscription/", {"workspace": "abc"}).status_code == 404
    assert api.get("/api/v1/billing/subscription/", {"workspace": workspace.pk}).status_code == 200
    assert api.get("/api/v1/billing/invoices/", {"workspace": workspace.pk}).status_code == 403
    api.force_authenticate(viewer)
    assert api.get("/api/v1/billing/subscription/", {"workspace": workspace.pk}).status_code == 403


@pytest.mark.django_db
def test_checkout_cannot_be_started_twice_for_a_paid_workspace(owner, workspace, paid):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.checkout_start(
            workspace=workspace,
            plan=Plan.objects.get(key="pro-annual"),
            currency="USD",
            actor=owner,
        )
    assert CheckoutSession.objects.count() == 1


def _more_invoices(owner, workspace) -> None:
    """Switch to annual and back: three invoices, two with several lines, and credits."""
    for key in ["pro-annual", "pro-monthly"]:
        services.subscription_switch(
            subscription=services.subscription_for(workspace),
            plan=Plan.objects.get(key=key),
            actor=owner,
        )


@pytest.mark.django_db
def test_billing_page_query_count_is_bounded(owner, workspace, paid, django_assert_max_num_queries):
    _more_invoices(owner, workspace)
    client = client_in(owner, workspace)
    client.get(reverse("billing:page"))
    # session, user, memberships, subscription, switch plan and its prices, the current plan's
    # prices, seats, the usage videos and integrations measure (one each), credit balance,
    # invoices, history, the bell's unread count: however many rows.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("billing:page"))
    assert response.status_code == 200
    page = response.content.decode()
    assert all(invoice.number in page for invoice in workspace.invoices.all())


@pytest.mark.django_db
def test_api_invoice_list_query_count_is_bounded(
    owner, workspace, paid, django_assert_max_num_queries
):
    _more_invoices(owner, workspace)
    api = APIClient()
    api.force_authenticate(owner)
    with django_assert_max_num_queries(5):  # workspace, role, count, one page, its lines
        data = api.get("/api/v1/billing/invoices/", {"workspace": workspace.pk}).json()
    assert data["count"] == 3
