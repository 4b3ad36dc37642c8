"""Stripe, through the official `stripe` SDK: Checkout, invoices, subscriptions, the portal.

Our ledger is the source of truth for amounts: checkout and switches send Stripe the
prices, coupons and unused-time credits our invoice was computed with, so the amount
Stripe collects is the invoice's total. The API base URL comes from settings, so tests
run this module against a local HTTP server.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.http import absolute_url

from . import ChargeResult, PaymentProvider

if TYPE_CHECKING:
    from billing.models import CheckoutSession, Coupon, Invoice, Plan, Subscription

logger = logging.getLogger(__name__)

# A web request waiting on Stripe gives up after this long (the SDK's default is 80 s).
TIMEOUT_SECONDS = 20
ALREADY_EXISTS = "resource_already_exists"
MISSING = "resource_missing"


# Stripe's decline codes, in the customer's language; anything else shows Stripe's message.
DECLINES = {
    "card_declined": gettext_lazy("Your card was declined."),
    "generic_decline": gettext_lazy("Your card was declined."),
    "do_not_honor": gettext_lazy("Your card was declined."),
    "insufficient_funds": gettext_lazy("Your card has insufficient funds."),
    "expired_card": gettext_lazy("Your card has expired."),
    "incorrect_cvc": gettext_lazy("Your card's security code is incorrect."),
    "processing_error": gettext_lazy(
        "An error occurred while processing your card. Please try again."
    ),
    "authentication_required": gettext_lazy(
        "Your bank asks you to confirm this payment. Update your payment method and try again."
    ),
}


def _unreachable() -> ValidationError:
    return ValidationError(
        _("The payment service could not be reached. Please try again in a moment.")
    )


def _refused(error: stripe.StripeError) -> ValidationError:
    """Stripe turned a request down: our configuration or data, not the customer's doing."""
    logger.warning("Stripe refused a request: %r %s", error, error.user_message)
    return ValidationError(
        _(
            "The payment service could not handle this request. Please try again later, "
            "or contact support if it keeps happening."
        )
    )


def _reason(error: stripe.StripeError) -> str:
    """Why a payment failed, for the customer: translated when Stripe's code is known."""
    details = error.error
    for code in (getattr(details, "decline_code", None), error.code):
        if code in DECLINES:
            return str(DECLINES[code])
    return (error.user_message or _("The payment was declined."))[:300]


def _stripe_customer(workspace_id) -> str:
    from billing.models import Provider, Subscription

    subscription = Subscription.objects.filter(workspace_id=workspace_id).first()
    if subscription is not None and subscription.provider == Provider.STRIPE:
        return subscription.provider_customer_id
    return ""


class StripeProvider(PaymentProvider):
    name = "stripe"

    def __init__(self, client: stripe.StripeClient | None = None) -> None:
        self._client = client

    @property
    def client(self) -> stripe.StripeClient:
        if self._client is None:
            self._client = stripe.StripeClient(
                settings.STRIPE_SECRET_KEY,
                base_addresses={"api": settings.STRIPE_API_BASE},
                max_network_retries=1,
                http_client=stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
            )
        return self._client

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _price_data(plan: Plan, currency: str) -> dict[str, Any]:
        return {
            "currency": currency.lower(),
            "unit_amount": plan.price_in(currency),
            "recurring": {"interval": plan.interval},
        }

    def _ensure_coupon(self, coupon: Coupon) -> str:
        """The Stripe coupon mirroring ours (created once, with a stable id)."""
        coupon_id = f"vc-{coupon.code}"
        params: dict[str, Any] = {"id": coupon_id, "name": coupon.name[:40] or coupon.code}
        if coupon.percent_off is not None:
            params["percent_off"] = coupon.percent_off
        else:
            params["amount_off"] = coupon.amount_off
            params["currency"] = coupon.currency.lower()
        params["duration"] = coupon.duration
        if coupon.duration == "repeating":
            params["duration_in_months"] = coupon.duration_months
        self._create_once(self.client.v1.coupons.create, params)
        return coupon_id

    def _ensure_product(self, plan: Plan) -> str:
        product_id = f"vc-{plan.key}"
        self._create_once(
            self.client.v1.products.create,
            {"id": product_id, "name": plan.name_en or plan.name},
        )
        return product_id

    @staticmethod
    def _create_once(create, params: dict[str, Any]) -> None:
        try:
            create(params=params)
        except stripe.InvalidRequestError as error:
            if error.code != ALREADY_EXISTS:
                raise

    def _paid_or_attempt(self, invoice_id: str, error: stripe.StripeError) -> ChargeResult:
        """After a refused payment: already paid after all, or a failed attempt with its number.

        The attempt number is Stripe's own, so this payment row and the one the
        `invoice.payment_failed` webhook records for the same attempt are the same row.
        """
        try:
            remote = self.client.v1.invoices.retrieve(invoice_id).to_dict()
        except stripe.StripeError:
            remote = {}
        if remote.get("status") == "paid":
            return ChargeResult(True, f"{invoice_id}:paid", provider_invoice_id=invoice_id)
        attempt = remote.get("attempt_count") or f"t{int(time.time() * 1000)}"
        return ChargeResult(
            False,
            f"{invoice_id}:attempt:{attempt}",
            failure_reason=_reason(error),
            provider_invoice_id=invoice_id,
        )

    # -- the interface -----------------------------------------------------------------------

    def start_checkout(self, session: CheckoutSession, *, amount_due: int) -> None:
        from billing import ledger

        plan, currency = session.plan, session.currency
        metadata = {"checkout_session": str(session.id), "workspace": str(session.workspace_id)}
        params: dict[str, Any] = {
            "mode": "subscription",
            "client_reference_id": str(session.id),
            "metadata": metadata,
            "subscription_data": {"metadata": metadata},
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        **self._price_data(plan, currency),
                        "product_data": {"name": plan.name_en or plan.name},
                    },
                }
            ],
            "success_url": absolute_url("billing:checkout_return", session.id),
            "cancel_url": absolute_url("billing:page"),
        }
        customer = _stripe_customer(session.workspace_id)
        if customer:
            params["customer"] = customer
        else:
            params["customer_email"] = session.created_by.email
        try:
            price = plan.price_in(currency)
            discount = ledger.coupon_discount(session.coupon, price, currency)
            credit = max(0, price - discount - amount_due)
            # A debt (a credit taken back after it was spent) makes our total more than the
            # plan: Stripe collects the difference with the first invoice, as a one-off item.
            owed = max(0, amount_due - (price - discount))
            if owed:
                params["line_items"].append(
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": currency.lower(),
                            "unit_amount": owed,
                            "product_data": {"name": _("Credit taken back")},
                        },
                    }
                )
            if credit:
                # Our credits pay part of the first invoice: one coupon, used once, for the
                # whole difference, so Stripe collects exactly our invoice's total.
                coupon_id = f"vc-checkout-{session.id}"
                self._create_once(
                    self.client.v1.coupons.create,
                    {
                        "id": coupon_id,
                        "name": (session.coupon.code if session.coupon else _("Credit"))[:40],
                        "amount_off": discount + credit,
                        "currency": currency.lower(),
                        "duration": "once",
                        "max_redemptions": 1,
                    },
                )
                params["discounts"] = [{"coupon": coupon_id}]
            elif session.coupon is not None:
                params["discounts"] = [{"coupon": self._ensure_coupon(session.coupon)}]
            result = self.client.v1.checkout.sessions.create(params=params)
        except (stripe.InvalidRequestError, stripe.AuthenticationError) as error:
            raise _refused(error) from error
        except stripe.StripeError as error:
            logger.warning("Stripe checkout session failed: %s", error)
            raise _unreachable() from error
        session.url = result.url
        session.provider_session_id = result.id

    def charge(self, subscription: Subscription, invoice: Invoice) -> ChargeResult:
        invoice_id = invoice.provider_invoice_id
        if not invoice_id:
            return ChargeResult(
                False,
                f"{invoice.number}:attempt:{subscription.retry_count + 1}",
                failure_reason=_("Stripe has no invoice for %(number)s to collect.")
                % {"number": invoice.number},
            )
        try:
            self.client.v1.invoices.pay(invoice_id)
        except (stripe.CardError, stripe.InvalidRequestError) as error:
            return self._paid_or_attempt(invoice_id, error)
        # Network and API errors propagate: nothing is recorded and the retry runs again.
        return ChargeResult(True, f"{invoice_id}:paid", provider_invoice_id=invoice_id)

    def switch_plan(self, subscription: Subscription, invoice: Invoice) -> ChargeResult:
        """Credit our unused-time and credit lines (and charge a debt) as invoice items, then
        move the price now."""
        from billing.models import LineKind

        customer = subscription.provider_customer_id
        remote_id = subscription.provider_subscription_id
        if not customer or not remote_id:
            return ChargeResult(
                False,
                f"switch:{invoice.number}",
                failure_reason=_("This subscription is not known to Stripe."),
            )
        currency = invoice.currency.lower()
        credit_lines = [
            (line.amount, line.describe() if line.kind == LineKind.DEBT else line.description)
            for line in invoice.lines.all()
            # Unused time is credited; a debt (a credit taken back) is charged with the switch.
            if (line.kind == LineKind.PRORATION and line.amount < 0) or line.kind == LineKind.DEBT
        ]
        if invoice.credit_applied:
            credit_lines.append((-invoice.credit_applied, _("Account credit")))
        created_items: list[str] = []
        try:
            for amount, description in credit_lines:
                item = self.client.v1.invoice_items.create(
                    params={
                        "customer": customer,
                        "subscription": remote_id,
                        "amount": amount,
                        "currency": currency,
                        "description": description[:500],
                        "metadata": {"invoice": invoice.number},
                    }
                )
                created_items.append(item.id)
            remote = self.client.v1.subscriptions.retrieve(remote_id).to_dict()
            items = (remote.get("items") or {}).get("data") or []
            if not items:
                self._delete_items(created_items)
                return ChargeResult(
                    False,
                    f"switch:{invoice.number}",
                    failure_reason=_("Stripe has no plan on this subscription to change."),
                )
            item_id = items[0]["id"]
            updated = self.client.v1.subscriptions.update(
                remote_id,
                params={
                    "items": [
                        {
                            "id": item_id,
                            "price_data": {
                                **self._price_data(invoice.plan, invoice.currency),
                                "product": self._ensure_product(invoice.plan),
                            },
                        }
                    ],
                    "proration_behavior": "none",
                    "billing_cycle_anchor": "now",
                    "payment_behavior": "error_if_incomplete",
                    "metadata": {"invoice": invoice.number},
                    "expand": ["latest_invoice"],
                },
            )
        except (stripe.CardError, stripe.InvalidRequestError) as error:
            self._delete_items(created_items)
            return ChargeResult(False, f"switch:{invoice.number}", failure_reason=_reason(error))
        except stripe.StripeError as error:
            self._delete_items(created_items)
            logger.warning("Stripe plan switch failed: %s", error)
            raise _unreachable() from error
        latest = updated.to_dict().get("latest_invoice")
        latest_id = latest if isinstance(latest, str) else (latest or {}).get("id", "")
        if not latest_id:
            return ChargeResult(True, f"switch:{invoice.number}:paid")
        return ChargeResult(True, f"{latest_id}:paid", provider_invoice_id=latest_id)

    def _delete_items(self, item_ids: list[str]) -> None:
        """Take back pending credit items, or they would reduce the next renewal instead."""
        for item_id in item_ids:
            try:
                self.client.v1.invoice_items.delete(item_id)
            except stripe.StripeError:
                logger.exception("Could not delete Stripe invoice item %s", item_id)

    def set_cancel_at_period_end(self, subscription: Subscription, cancel: bool) -> None:
        if not subscription.provider_subscription_id:
            return
        try:
            self.client.v1.subscriptions.update(
                subscription.provider_subscription_id, params={"cancel_at_period_end": cancel}
            )
        except stripe.InvalidRequestError as error:
            raise _refused(error) from error
        except stripe.StripeError as error:
            logger.warning("Stripe subscription update failed: %s", error)
            raise _unreachable() from error

    def cancel_now(self, subscription: Subscription) -> None:
        if not subscription.provider_subscription_id:
            return
        try:
            self.client.v1.subscriptions.cancel(subscription.provider_subscription_id)
        except stripe.InvalidRequestError as error:
            if error.code != MISSING:  # already gone at Stripe: nothing left to stop
                raise _refused(error) from error
        except stripe.StripeError as error:
            logger.warning("Stripe subscription cancel failed: %s", error)
            raise _unreachable() from error

    def manage_payment_url(self, subscription: Subscription, *, return_url: str) -> str:
        if not subscription.provider_customer_id:
            raise ValidationError(_("There is no payment method on file for this workspace yet."))
        try:
            portal = self.client.v1.billing_portal.sessions.create(
                params={"customer": subscription.provider_customer_id, "return_url": return_url}
            )
        except (stripe.InvalidRequestError, stripe.AuthenticationError) as error:
            raise _refused(error) from error
        except stripe.StripeError as error:
            logger.warning("Stripe portal session failed: %s", error)
            raise _unreachable() from error
        return portal.url
