"""Payment providers behind one interface: Stripe, or the offline sandbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from billing.models import CheckoutSession, Invoice, Subscription


@dataclass(frozen=True)
class ChargeResult:
    succeeded: bool
    provider_payment_id: str
    failure_reason: str = ""
    provider_invoice_id: str = ""


class PaymentProvider:
    name: str

    def start_checkout(self, session: CheckoutSession, *, amount_due: int) -> None:
        """Set session.url (where to send the customer) and provider_session_id."""
        raise NotImplementedError

    def charge(self, subscription: Subscription, invoice: Invoice) -> ChargeResult:
        """Collect an open invoice from the payment method on file (renewals, retries)."""
        raise NotImplementedError

    def switch_plan(self, subscription: Subscription, invoice: Invoice) -> ChargeResult:
        """Move the remote subscription to invoice.plan and collect the prorated invoice."""
        raise NotImplementedError

    def set_cancel_at_period_end(self, subscription: Subscription, cancel: bool) -> None:
        raise NotImplementedError

    def cancel_now(self, subscription: Subscription) -> None:
        raise NotImplementedError

    def manage_payment_url(self, subscription: Subscription, *, return_url: str) -> str:
        raise NotImplementedError


def stripe_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def get_provider(name: str | None = None) -> PaymentProvider:
    """The named provider, or the configured one: Stripe with keys, the sandbox without."""
    from .sandbox import SandboxProvider
    from .stripe import StripeProvider

    if name is None:
        name = "stripe" if stripe_configured() else "sandbox"
    if name == "stripe":
        return StripeProvider()
    if name == "sandbox":
        return SandboxProvider()
    raise ValueError(f"Unknown payment provider {name!r}")
