"""Plans, subscriptions and the ledger. Money is integer minor units plus a currency code."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CURRENCIES = ["USD", "EUR", "GBP", "JPY", "INR", "BRL", "KRW", "CNY"]
CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]


class Tier(models.TextChoices):
    FREE = "free", _("Free")
    PRO = "pro", _("Pro")


class Interval(models.TextChoices):
    NONE = "none", _("No billing period")
    MONTH = "month", _("Monthly")
    YEAR = "year", _("Annual")


class Plan(models.Model):
    key = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    interval = models.CharField(_("billing period"), max_length=10, choices=Interval.choices)
    is_public = models.BooleanField(_("shown on the pricing page"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["sort_order", "key"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_free(self) -> bool:
        return self.tier == Tier.FREE

    def price_in(self, currency: str) -> int:
        """The price in minor units; free plans cost 0 in every currency."""
        if self.is_free:
            return 0
        price = next((p for p in self.prices.all() if p.currency == currency), None)
        if price is None:
            raise PlanPrice.DoesNotExist(f"{self.key} has no {currency} price")
        return price.amount


class PlanPrice(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="prices")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    amount = models.PositiveIntegerField(
        help_text=_("In minor units (cents); yen and won have none.")
    )

    class Meta:
        verbose_name = _("plan price")
        verbose_name_plural = _("plan prices")
        ordering = ["plan", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "currency"], name="one_price_per_currency")
        ]

    def __str__(self) -> str:
        return f"{self.plan.key} {self.amount} {self.currency}"


class Provider(models.TextChoices):
    NONE = "", _("None")
    SANDBOX = "sandbox", _("Sandbox")
    STRIPE = "stripe", _("Stripe")


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAST_DUE = "past_due", _("Past due")
    CANCELED = "canceled", _("Canceled")


class Subscription(models.Model):
    """A workspace's plan. Every workspace has one; it starts (and may end up) on Free."""

    workspace = models.OneToOneField(
        "teams.Team", on_delete=models.CASCADE, related_name="subscription"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.ACTIVE,
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD")
    current_period_start = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    canceled_at = models.DateTimeField(null=True, blank=True)
    provider = models.CharField(max_length=10, choices=Provider.choices, blank=True, default="")
    provider_customer_id = models.CharField(max_length=100, blank=True, default="")
    provider_subscription_id = models.CharField(max_length=100, blank=True, default="")
    # The sandbox's stand-in for a card on file: "ok" pays, "decline" fails.
    sandbox_card = models.CharField(max_length=10, blank=True, default="")
    # Dunning: when the renewal first failed, how many retries ran, when the next one is due.
    payment_failed_at = models.DateTimeField(null=True, blank=True)
    retry_count = models.PositiveSmallIntegerField(default=0)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    WORKSPACE_PATH = "workspace"

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["status", "current_period_end"], name="sub_status_period_end"),
            models.Index(fields=["status", "next_retry_at"], name="sub_status_next_retry"),
        ]

    def __str__(self) -> str:
        return f"{self.workspace} — {self.plan} ({self.get_status_display()})"

    @property
    def is_paid(self) -> bool:
        return not self.plan.is_free and self.status != SubscriptionStatus.CANCELED


class ChangeKind(models.TextChoices):
    SUBSCRIBED = "subscribed", _("Subscribed")
    RENEWED = "renewed", _("Renewed")
    SWITCHED = "switched", _("Billing period switched")
    CANCEL_SCHEDULED = "cancel_scheduled", _("Cancellation scheduled")
    RESUMED = "resumed", _("Resumed")
    PAST_DUE = "past_due", _("Payment failed")
    RECOVERED = "recovered", _("Payment recovered")
    ENDED = "ended", _("Moved to Free")


class SubscriptionChange(models.Model):
    """The history of a subscription: one row per change, never edited."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    from_plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscription change")
        verbose_name_plural = _("subscription changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.created_at:%Y-%m-%d}"


class CouponDuration(models.TextChoices):
    ONCE = "once", _("Once")
    REPEATING = "repeating", _("Repeating")
    FOREVER = "forever", _("Forever")


class Coupon(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    percent_off = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    amount_off = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, blank=True, default="")
    duration = models.CharField(max_length=10, choices=CouponDuration.choices)
    duration_months = models.PositiveSmallIntegerField(null=True, blank=True)
    max_redemptions = models.PositiveIntegerField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(percent_off__isnull=False) & Q(amount_off__isnull=True))
                | (Q(percent_off__isnull=True) & Q(amount_off__isnull=False) & ~Q(currency="")),
                name="coupon_percent_xor_amount",
            ),
            models.CheckConstraint(
                condition=~Q(duration="repeating") | Q(duration_months__gte=1),
                name="coupon_repeating_has_months",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class CouponRedemption(models.Model):
    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="redemptions")
    workspace = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    invoices_applied = models.PositiveSmallIntegerField(default=0)
    redeemed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("coupon redemption")
        verbose_name_plural = _("coupon redemptions")
        constraints = [
            models.UniqueConstraint(fields=["coupon", "workspace"], name="one_redemption_per_ws")
        ]

    def __str__(self) -> str:
        return f"{self.coupon} → {self.workspace}"

    @property
    def is_exhausted(self) -> bool:
        coupon = self.coupon
        if coupon.duration == CouponDuration.FOREVER:
            return False
        if coupon.duration == CouponDuration.ONCE:
            return self.invoices_applied >= 1
        return self.invoices_applied >= (coupon.duration_months or 0)


class Credit(models.Model):
    """Money owed to a workspace (a referral reward, a downgrade's unused time)."""

    workspace = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    amount = models.PositiveIntegerField()
    remaining = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    reason = models.CharField(_("reason"), max_length=200)
    # Lets a caller that may run twice (a retried task) grant a credit only once.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    WORKSPACE_PATH = "workspace"

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__lte=models.F("amount")), name="credit_remaining_lte_amount"
            )
        ]

    def __str__(self) -> str:
        return f"{self.remaining}/{self.amount} {self.currency} — {self.reason}"


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")
    UNCOLLECTIBLE = "uncollectible", _("Uncollectible")


class InvoiceReason(models.TextChoices):
    SUBSCRIBE = "subscribe", _("New subscription")
    RENEWAL = "renewal", _("Renewal")
    SWITCH = "switch", _("Change of billing period")


class Invoice(models.Model):
    number = models.CharField(_("number"), max_length=30, unique=True)
    workspace = models.ForeignKey("teams.Team", on_delete=models.PROTECT, related_name="invoices")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="invoices"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=10, choices=InvoiceReason.choices)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    subtotal = models.IntegerField()
    discount = models.PositiveIntegerField(default=0)
    credit_applied = models.PositiveIntegerField(default=0)
    tax = models.PositiveIntegerField(default=0, help_text=_("Not charged yet; kept for later."))
    total = models.PositiveIntegerField()
    status = models.CharField(max_length=15, choices=InvoiceStatus.choices)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    coupon = models.ForeignKey(
        Coupon, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider = models.CharField(max_length=10, choices=Provider.choices, blank=True, default="")
    provider_invoice_id = models.CharField(max_length=100, blank=True, default="")
    issued_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)

    WORKSPACE_PATH = "workspace"

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_at", "-id"]
        constraints = [
            # A period is invoiced once, however often a renewal task runs.
            models.UniqueConstraint(
                fields=["subscription", "reason", "period_start"], name="one_invoice_per_period"
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_invoice_id"],
                condition=~Q(provider_invoice_id=""),
                name="one_invoice_per_provider_id",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class LineKind(models.TextChoices):
    PLAN = "plan", _("Plan")
    PRORATION = "proration", _("Unused time")


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=10, choices=LineKind.choices)
    description = models.CharField(max_length=200)
    amount = models.IntegerField(help_text=_("Negative for a credit line."))
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class PaymentStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    REFUNDED = "refunded", _("Refunded")


class Payment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey("teams.Team", on_delete=models.PROTECT, related_name="payments")
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    status = models.CharField(max_length=10, choices=PaymentStatus.choices)
    provider = models.CharField(max_length=10, choices=Provider.choices)
    provider_payment_id = models.CharField(max_length=100)
    failure_reason = models.CharField(max_length=300, blank=True, default="")
    refunded_amount = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_payment_id"], name="one_payment_per_provider_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} {self.status}"


class CheckoutStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")


class CheckoutSession(models.Model):
    """An upgrade in progress, at the sandbox or at Stripe Checkout."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    coupon = models.ForeignKey(
        Coupon, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    provider = models.CharField(max_length=10, choices=Provider.choices)
    provider_session_id = models.CharField(max_length=200, blank=True, default="")
    url = models.URLField(max_length=2000, blank=True, default="")
    status = models.CharField(
        max_length=10, choices=CheckoutStatus.choices, default=CheckoutStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    WORKSPACE_PATH = "workspace"

    class Meta:
        verbose_name = _("checkout session")
        verbose_name_plural = _("checkout sessions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.plan} for {self.workspace} ({self.status})"


class DunningNotice(models.Model):
    """One row per e-mail sent about a failed payment, so a retried task never sends twice."""

    class Kind(models.TextChoices):
        PAYMENT_FAILED = "payment_failed", _("Payment failed")
        MOVED_TO_FREE = "moved_to_free", _("Moved to Free")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dunning notice")
        verbose_name_plural = _("dunning notices")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "kind"], name="one_notice_per_invoice_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.invoice}"


class WebhookEventStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSED = "processed", _("Processed")
    FAILED = "failed", _("Failed")
    IGNORED = "ignored", _("Ignored")


class StripeEvent(models.Model):
    """A Stripe webhook event, stored raw before it is processed."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=WebhookEventStatus.choices, default=WebhookEventStatus.RECEIVED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "received_at"], name="stripe_event_status")]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
