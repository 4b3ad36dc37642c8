"""The billing webhook types: a workspace subscribes or cancels, a payment succeeds or fails.

Built from billing's events only (this app may not import billing). Amounts are integer minor
units with their currency, as everywhere in the product.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from analytics.events import Event, EventName

from .base import (
    ACTOR,
    AMOUNT,
    UUID_PATTERN,
    Definition,
    EventType,
    actor_id,
    boolean,
    currency,
    format_time,
    integer,
    obj,
    properties,
    read_currency,
    read_int,
    read_text,
    read_time,
    string,
    subject_id,
    subject_of,
    subject_uuid_id,
    time,
)

SUBSCRIPTION = "billing.subscription"
PAYMENT = "billing.payment"

PLAN = string("The plan's key, e.g. pro-monthly.", nullable=True)
PLAN_NAME = string("The plan's name in English, e.g. Pro (monthly).", nullable=True)
INVOICE = string("The invoice's number.", nullable=True)
SUBSCRIPTION_ID = integer("The workspace's subscription.", minimum=1)


# -- user.subscribed -----------------------------------------------------------------------------


def _subscribed(event: Event) -> dict:
    found = properties(event)
    return {
        "subscription_id": subject_id(event),
        "plan": read_text(found.get("plan")),
        "plan_name": read_text(found.get("plan_name")),
        "interval": read_text(found.get("interval")),
        "amount": read_int(found.get("amount")),
        "currency": read_currency(found.get("currency")),
        "invoice": read_text(found.get("invoice")),
        "period_end": read_time(found.get("period_end")),
        "actor_id": actor_id(event),
    }


SUBSCRIBED = EventType(
    key="user.subscribed",
    log_names=(EventName.SUBSCRIPTION_STARTED,),
    description=_("The workspace subscribed to a paid plan."),
    data_schema=obj(
        {
            "subscription_id": SUBSCRIPTION_ID,
            "plan": PLAN,
            "plan_name": PLAN_NAME,
            "interval": string("How often it is billed: month or year.", nullable=True),
            "amount": AMOUNT | {"description": "What the first invoice charged, in minor units."},
            "currency": currency(),
            "invoice": INVOICE,
            "period_end": time("When the paid period ends and renews (UTC).", nullable=True),
            "actor_id": ACTOR,
        }
    ),
    sample_data={
        "subscription_id": 5,
        "plan": "pro-monthly",
        "plan_name": "Pro (monthly)",
        "interval": "month",
        "amount": 1200,
        "currency": "USD",
        "invoice": "VC-2026-000123",
        "period_end": "2027-01-06T10:00:00Z",
        "actor_id": 3,
    },
)


# -- user.cancelled ------------------------------------------------------------------------------

# subscription.ended reasons that are a cancellation nobody announced: at Stripe (its dashboard
# or portal, at once) or with the account that owned the workspace. "canceled" is the end of a
# period whose cancellation `subscription.cancel_scheduled` already told of, and
# "payment_failed" is the end of dunning, which is no one's decision (payment.failed tells).
IMMEDIATE_REASONS = ("canceled_remotely", "account_deleted")


def _cancel_is_news(event: Event) -> bool:
    if event.name == EventName.SUBSCRIPTION_CANCEL_SCHEDULED:
        return True
    found = properties(event)
    # Rows recorded before `cancel_scheduled` existed count as unannounced.
    return found.get("reason") in IMMEDIATE_REASONS and found.get("cancel_scheduled") is not True


def _cancelled(event: Event) -> dict:
    found = properties(event)
    common = {"subscription_id": subject_id(event), "actor_id": actor_id(event)}
    if event.name == EventName.SUBSCRIPTION_ENDED:
        return common | {
            "plan": read_text(found.get("from_plan")),
            "plan_name": read_text(found.get("from_plan_name")),
            "immediate": True,
            "ends_at": format_time(event.occurred_at),
        }
    return common | {
        "plan": read_text(found.get("plan")),
        "plan_name": read_text(found.get("plan_name")),
        "immediate": False,
        "ends_at": read_time(found.get("ends_at")),
    }


CANCELLED = EventType(
    key="user.cancelled",
    log_names=(EventName.SUBSCRIPTION_CANCEL_SCHEDULED, EventName.SUBSCRIPTION_ENDED),
    description=_(
        "The workspace's paid plan was cancelled: it stays active until ends_at, unless it was "
        "cancelled at once (at Stripe, or with the account that owned it), when immediate is "
        "true and it has already ended."
    ),
    data_schema=obj(
        {
            "subscription_id": SUBSCRIPTION_ID,
            "plan": PLAN,
            "plan_name": PLAN_NAME,
            "immediate": boolean("True when it ended at once instead of at the period's end."),
            "ends_at": time("When the paid plan ends or ended (UTC).", nullable=True),
            "actor_id": ACTOR,
        }
    ),
    sample_data={
        "subscription_id": 5,
        "plan": "pro-monthly",
        "plan_name": "Pro (monthly)",
        "immediate": False,
        "ends_at": "2027-01-06T10:00:00Z",
        "actor_id": 3,
    },
)


# -- payment.succeeded, payment.failed -----------------------------------------------------------


def _payment(event: Event) -> dict:
    found = properties(event)
    return {
        "payment_id": subject_uuid_id(event),
        "amount": read_int(found.get("amount")),
        "currency": read_currency(found.get("currency")),
        "invoice": read_text(found.get("invoice")),
        "provider": read_text(found.get("provider")),
    }


def _failed(event: Event) -> dict:
    return _payment(event) | {"reason": read_text(properties(event).get("reason"))}


PAYMENT_FIELDS = {
    "payment_id": string("The payment's id.", pattern=UUID_PATTERN),
    "amount": AMOUNT,
    "currency": currency(),
    "invoice": INVOICE,
    "provider": string("Who took it: stripe, or sandbox (test payments).", nullable=True),
}
PAYMENT_SAMPLE = {
    "payment_id": "9d5f0a7c-2b1e-4c3d-8e6f-7a8b9c0d1e2f",
    "amount": 1200,
    "currency": "USD",
    "invoice": "VC-2026-000123",
    "provider": "stripe",
}
PAYMENT_SUCCEEDED = EventType(
    key="payment.succeeded",
    log_names=(EventName.PAYMENT_SUCCEEDED,),
    description=_("A payment was collected."),
    data_schema=obj(PAYMENT_FIELDS),
    sample_data=PAYMENT_SAMPLE,
)
PAYMENT_FAILED = EventType(
    key="payment.failed",
    log_names=(EventName.PAYMENT_FAILED,),
    description=_("A payment could not be collected."),
    data_schema=obj(
        PAYMENT_FIELDS | {"reason": string("Why, as the provider said.", nullable=True)}
    ),
    sample_data=PAYMENT_SAMPLE | {"reason": "Your card was declined."},
)


DEFINITIONS = (
    Definition(SUBSCRIBED, subject_of(SUBSCRIPTION), _subscribed),
    Definition(CANCELLED, subject_of(SUBSCRIPTION), _cancelled, _cancel_is_news),
    Definition(PAYMENT_SUCCEEDED, subject_of(PAYMENT, uuid_key=True), _payment),
    Definition(PAYMENT_FAILED, subject_of(PAYMENT, uuid_key=True), _failed),
)
