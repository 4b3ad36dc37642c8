"""Subscription lifecycle: checkout, renewal (ours or Stripe's), dunning, cancel, resume, switch,
credits.

Every write is atomic, records its events with amounts and currency, and is
safe to run twice: rows are locked and their state checked before anything
changes, and each period, payment and notice is unique in the database.
"""

from .checkout import (
    checkout_complete,
    checkout_fail,
    checkout_preview,
    checkout_start,
    coupon_validate,
)
from .common import FREE_PLAN_KEY, RETRY_DAYS, free_plan, plan_name, subscription_for
from .credits import credit_grant, payment_record_dispute, payment_record_refund, sandbox_card_set
from .gifts import coupon_reserve, credit_claw_back, subscription_free_month_start
from .lifecycle import (
    dunning_retry,
    invoice_payment_failed,
    subscription_cancel,
    subscription_end,
    subscription_renew,
    subscription_resume,
    subscription_set_cancel_at_period_end,
)
from .stripe_renewals import renewal_record_failure, renewal_record_payment
from .switching import subscription_switch

__all__ = [
    "FREE_PLAN_KEY",
    "RETRY_DAYS",
    "checkout_complete",
    "checkout_fail",
    "checkout_preview",
    "checkout_start",
    "coupon_reserve",
    "coupon_validate",
    "credit_claw_back",
    "credit_grant",
    "dunning_retry",
    "free_plan",
    "invoice_payment_failed",
    "payment_record_dispute",
    "payment_record_refund",
    "plan_name",
    "renewal_record_failure",
    "renewal_record_payment",
    "sandbox_card_set",
    "subscription_cancel",
    "subscription_end",
    "subscription_for",
    "subscription_free_month_start",
    "subscription_renew",
    "subscription_resume",
    "subscription_set_cancel_at_period_end",
    "subscription_switch",
]
