import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from analytics.models import Event
from billing import services
from billing.models import Payment, Plan
from tests.conftest import client_for


@pytest.fixture
def sandbox_payment(owner, workspace) -> Payment:
    session = services.checkout_start(
        workspace=workspace, plan=Plan.objects.get(key="pro-monthly"), currency="EUR", actor=owner
    )
    services.checkout_complete(session=session, provider_payment_id="sbx_refund_me")
    return Payment.objects.get(provider_payment_id="sbx_refund_me")


@pytest.mark.django_db
def test_staff_refund_a_sandbox_payment_from_the_admin(sandbox_payment):
    from accounts.models import User

    staff = User.objects.create_superuser(email="staff@example.com", password="pw-123456789")
    response = client_for(staff).post(
        reverse("admin:billing_payment_changelist"),
        {"action": "refund_sandbox_payments", "_selected_action": [sandbox_payment.pk]},
    )
    assert response.status_code == 302
    sandbox_payment.refresh_from_db()
    assert (sandbox_payment.status, sandbox_payment.refunded_amount) == ("refunded", 1100)
    event = Event.objects.get(name="payment.refunded")
    assert (event.properties["amount"], event.properties["currency"]) == (1100, "EUR")


@pytest.mark.django_db
@pytest.mark.parametrize("total", [0, -5, 1101])
def test_refund_amount_must_be_within_the_payment(sandbox_payment, total):
    with pytest.raises(ValidationError):
        services.payment_record_refund(payment=sandbox_payment, refunded_total=total)
    sandbox_payment.refresh_from_db()
    assert sandbox_payment.refunded_amount == 0
