"""Stripe webhooks: verify, store the raw event, then process each event id once.

The endpoint only checks the signature and stores the event; a task applies it through
the billing services. Every event is kept with its status, attempts and last error, so
staff can replay a failed one from the admin once its cause is fixed.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

import stripe
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from videocreator.nul import without_nul

from . import services, tasks
from .models import (
    CheckoutSession,
    Payment,
    Provider,
    StripeEvent,
    Subscription,
    WebhookEventStatus,
)

logger = logging.getLogger(__name__)

MAX_ID_LENGTH = 100


class EventIgnored(Exception):
    """Raised by a handler for an event that is valid but none of our business."""


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


def _parse(payload: bytes) -> dict[str, Any] | None:
    """The event as a plain dict, or None when it is not a well-formed Stripe event."""
    try:
        # PostgreSQL refuses \\u0000 in jsonb: a signed event carrying one is stored without it.
        event = without_nul(json.loads(payload))
    except (ValueError, RecursionError):
        return None
    if not isinstance(event, dict):
        return None
    event_id, event_type, data = event.get("id"), event.get("type"), event.get("data")
    if not (isinstance(event_id, str) and 0 < len(event_id) <= MAX_ID_LENGTH):
        return None
    if not (isinstance(event_type, str) and 0 < len(event_type) <= MAX_ID_LENGTH):
        return None
    if not (isinstance(data, dict) and isinstance(data.get("object"), dict)):
        return None
    return event


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        return _bad_request(_("Stripe webhooks are not configured on this server."))
    payload = request.body
    try:
        stripe.Webhook.construct_event(payload, request.headers.get("Stripe-Signature"), secret)
    except stripe.SignatureVerificationError:
        return _bad_request(_("The Stripe signature is missing or does not match."))
    except (ValueError, TypeError, AttributeError, KeyError):
        return _bad_request(_("The request body is not a Stripe event."))
    event = _parse(payload)
    if event is None:
        return _bad_request(_("The request body is not a Stripe event."))
    with transaction.atomic():
        stored, created = StripeEvent.objects.get_or_create(
            event_id=event["id"], defaults={"type": event["type"], "payload": event}
        )
        # A redelivery of an event that was stored but never picked up is queued again;
        # processing checks the status under a lock, so this never applies it twice.
        if created or stored.status == WebhookEventStatus.RECEIVED:
            pk = stored.pk
            transaction.on_commit(lambda: tasks.process_stripe_event.delay(pk))
    return JsonResponse({"received": True})


# -- processing ----------------------------------------------------------------------------


def stripe_event_process(*, stripe_event_id: int, force: bool = False) -> StripeEvent | None:
    """Apply a stored event once; with `force` (the admin's replay) apply it again.

    A handler's failure rolls back its own changes and leaves the event FAILED with
    the error, for a replay; it is not raised, so the task never loops on it.
    """
    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().filter(pk=stripe_event_id).first()
        if event is None:
            return None
        done = (WebhookEventStatus.PROCESSED, WebhookEventStatus.IGNORED)
        if event.status in done and not force:
            return event
        event.attempts += 1
        handler = HANDLERS.get(event.type)
        status, error = WebhookEventStatus.PROCESSED, ""
        if handler is None:
            status = WebhookEventStatus.IGNORED
        else:
            try:
                with transaction.atomic():
                    handler(event.payload["data"]["object"])
            except EventIgnored as reason:
                status, error = WebhookEventStatus.IGNORED, str(reason)
            except Exception as exc:
                logger.exception("Stripe event %s (%s) failed", event.event_id, event.type)
                status, error = WebhookEventStatus.FAILED, f"{type(exc).__name__}: {exc}"
        event.status = status
        event.error = error
        if status != WebhookEventStatus.FAILED:
            event.processed_at = timezone.now()
        event.save(update_fields=["status", "error", "attempts", "processed_at"])
    return event


def _subscription_id(obj: dict[str, Any]) -> str:
    """The Stripe subscription an invoice belongs to, in old and new API versions."""
    value = obj.get("subscription")
    if not value:
        parent = obj.get("parent") or {}
        value = (parent.get("subscription_details") or {}).get("subscription")
    if isinstance(value, dict):  # expanded
        value = value.get("id")
    return value or ""


def _locked_subscription(remote_id: str, *, required: bool = True) -> Subscription:
    """Our subscription for a Stripe subscription id, locked.

    Unknown ids fail the event when money moved (`required`), so staff see it; otherwise
    the event is ignored: Stripe announces subscriptions before checkout tells us of them.
    """
    if not remote_id:
        raise EventIgnored("No Stripe subscription on this object.")
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("plan", "workspace")
        .filter(provider=Provider.STRIPE, provider_subscription_id=remote_id)
        .first()
    )
    if subscription is None:
        if not required:
            raise EventIgnored(f"No subscription with Stripe id {remote_id}.")
        raise LookupError(f"No subscription with Stripe id {remote_id}")
    return subscription


def _handle_checkout_completed(obj: dict[str, Any]) -> None:
    if obj.get("mode") != "subscription":
        raise EventIgnored("Not a subscription checkout.")
    reference = obj.get("client_reference_id")
    if not reference:
        raise EventIgnored("No client_reference_id: not one of our checkout sessions.")
    if obj.get("payment_status") == "unpaid":
        raise EventIgnored("Not paid yet; waiting for checkout.session.async_payment_succeeded.")
    try:
        session = CheckoutSession.objects.get(pk=uuid.UUID(str(reference)))
    except (ValueError, CheckoutSession.DoesNotExist) as exc:
        raise LookupError(f"No checkout session {reference!r}") from exc
    invoice_id = obj.get("invoice") or ""
    services.checkout_complete(
        session=session,
        provider_payment_id=f"{invoice_id or obj['id']}:paid",
        provider_customer_id=obj.get("customer") or "",
        provider_subscription_id=obj.get("subscription") or "",
        provider_invoice_id=invoice_id,
    )
    _charge_apply_stored(invoice_id)


def _handle_invoice_paid(obj: dict[str, Any]) -> None:
    if obj.get("billing_reason") != "subscription_cycle":
        return  # the first invoice and switches were recorded when they happened
    subscription = _locked_subscription(_subscription_id(obj))
    amount_paid = obj.get("amount_paid")
    services.renewal_record_payment(
        subscription=subscription,
        provider_invoice_id=obj["id"],
        amount_paid=amount_paid if isinstance(amount_paid, int) else None,
        currency=str(obj.get("currency", "")),
    )
    _charge_apply_stored(obj["id"])


def _handle_invoice_payment_failed(obj: dict[str, Any]) -> None:
    if obj.get("billing_reason") != "subscription_cycle":
        return  # checkout and switches report their own failures to the customer
    subscription = _locked_subscription(_subscription_id(obj))
    amount_due = obj.get("amount_due")
    services.renewal_record_failure(
        subscription=subscription,
        provider_invoice_id=obj["id"],
        amount_due=amount_due if isinstance(amount_due, int) else None,
        attempt=obj.get("attempt_count") or 1,
    )


def _handle_subscription_updated(obj: dict[str, Any]) -> None:
    subscription = _locked_subscription(obj.get("id") or "", required=False)
    services.subscription_set_cancel_at_period_end(
        subscription=subscription,
        cancel=bool(obj.get("cancel_at_period_end") or obj.get("cancel_at")),
        source="stripe",
    )


def _handle_subscription_deleted(obj: dict[str, Any]) -> None:
    remote_id = obj.get("id") or ""
    subscription = Subscription.objects.filter(
        provider=Provider.STRIPE, provider_subscription_id=remote_id
    ).first()
    if subscription is None:
        return  # we ended it ourselves (which clears the id) or it was never ours
    services.subscription_end(subscription=subscription, reason="canceled_remotely")


def _handle_charge_refunded(obj: dict[str, Any]) -> None:
    """A refund made in the Stripe dashboard: record it against our payment for that invoice."""
    invoice_id = obj.get("invoice") or ""
    payment = Payment.objects.filter(
        provider=Provider.STRIPE, provider_payment_id=f"{invoice_id}:paid"
    ).first()
    if not invoice_id or payment is None:
        raise EventIgnored("no payment of ours for this charge")
    services.payment_record_refund(payment=payment, refunded_total=int(obj["amount_refunded"]))


def _handle_charge_succeeded(obj: dict[str, Any]) -> None:
    """Remember which card paid (its fingerprint) and the charge's id, which a dispute names.
    Stripe may send this before the event that records the payment: that one applies the
    stored charge then (`_charge_apply_stored`)."""
    invoice_id = obj.get("invoice") or ""
    payment = Payment.objects.filter(
        provider=Provider.STRIPE, provider_payment_id=f"{invoice_id}:paid"
    ).first()
    if not invoice_id or payment is None:
        raise EventIgnored("no payment of ours for this charge (yet)")
    card = (obj.get("payment_method_details") or {}).get("card") or {}
    Payment.objects.filter(pk=payment.pk).update(
        card_fingerprint=str(card.get("fingerprint") or "")[:64],
        provider_charge_id=str(obj.get("id") or "")[:100],
    )


def _charge_apply_stored(invoice_id: str) -> None:
    """The card and charge of a payment just recorded, from a charge.succeeded that came first."""
    if not invoice_id:
        return
    stored = (
        StripeEvent.objects.filter(
            type="charge.succeeded", payload__data__object__invoice=invoice_id
        )
        .order_by("-id")
        .first()
    )
    if stored is not None:
        _handle_charge_succeeded(stored.payload["data"]["object"])


def _handle_dispute_created(obj: dict[str, Any]) -> None:
    """A chargeback opened at the card's issuer."""
    charge_id = obj.get("charge") or ""
    payment = Payment.objects.filter(provider=Provider.STRIPE, provider_charge_id=charge_id).first()
    if not charge_id or payment is None:
        raise EventIgnored("no payment of ours for this charge")
    services.payment_record_dispute(payment=payment, reason=str(obj.get("reason") or ""))


HANDLERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "charge.refunded": _handle_charge_refunded,
    "charge.succeeded": _handle_charge_succeeded,
    "charge.dispute.created": _handle_dispute_created,
    "checkout.session.completed": _handle_checkout_completed,
    "checkout.session.async_payment_succeeded": _handle_checkout_completed,
    "invoice.paid": _handle_invoice_paid,
    "invoice.payment_failed": _handle_invoice_payment_failed,
    "customer.subscription.updated": _handle_subscription_updated,
    "customer.subscription.deleted": _handle_subscription_deleted,
}
