"""Plans, subscriptions and the ledger. Money is integer minor units plus a currency code.

Django finds the models here; each lives in the module of its subdomain.
"""

from .checkout import CheckoutSession, CheckoutStatus
from .coupons import Coupon, CouponDuration, CouponRedemption, Credit
from .invoices import Invoice, InvoiceLine, InvoiceReason, InvoiceStatus, LineKind
from .payments import BillingNotice, DunningNotice, Payment, PaymentStatus
from .plans import CURRENCIES, CURRENCY_CHOICES, Interval, Plan, PlanPrice, Provider, Tier
from .stripe_events import StripeEvent, WebhookEventStatus
from .subscriptions import ChangeKind, Subscription, SubscriptionChange, SubscriptionStatus

__all__ = [
    "CURRENCIES",
    "CURRENCY_CHOICES",
    "BillingNotice",
    "ChangeKind",
    "CheckoutSession",
    "CheckoutStatus",
    "Coupon",
    "CouponDuration",
    "CouponRedemption",
    "Credit",
    "DunningNotice",
    "Interval",
    "Invoice",
    "InvoiceLine",
    "InvoiceReason",
    "InvoiceStatus",
    "LineKind",
    "Payment",
    "PaymentStatus",
    "Plan",
    "PlanPrice",
    "Provider",
    "StripeEvent",
    "Subscription",
    "SubscriptionChange",
    "SubscriptionStatus",
    "Tier",
    "WebhookEventStatus",
]
