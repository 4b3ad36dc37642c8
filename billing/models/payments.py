"""Payments, and the notices e-mailed to the owners about payments and cancellations."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .invoices import Invoice
from .plans import CURRENCY_CHOICES, Provider
from .subscriptions import Subscription, SubscriptionChange


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
    # The card network's fingerprint of the card (Stripe's `card.fingerprint`): the same card
    # used by two accounts is a sign of a self-referral. Empty for the sandbox's shared cards.
    card_fingerprint = models.CharField(max_length=64, blank=True, default="")
    provider_charge_id = models.CharField(max_length=100, blank=True, default="")
    disputed_at = models.DateTimeField(null=True, blank=True)
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


class BillingNotice(models.Model):
    """One row per e-mail to the owners about a paid invoice (a receipt) or a cancellation,
    unique per what it is about: a webhook delivered twice or a retried task sends nothing
    twice (`accounts.emails.send_once` stamps `emailed_at`)."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        CANCEL_SCHEDULED = "cancel_scheduled", _("Cancellation confirmed")
        ENDED = "ended", _("Plan ended")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # A receipt is about its invoice; a cancellation about the history row that recorded it.
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    change = models.ForeignKey(
        SubscriptionChange, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("billing notice")
        verbose_name_plural = _("billing notices")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "kind"],
                condition=models.Q(invoice__isnull=False),
                name="one_billing_notice_per_invoice",
            ),
            models.UniqueConstraint(
                fields=["change", "kind"],
                condition=models.Q(change__isnull=False),
                name="one_billing_notice_per_change",
            ),
            models.CheckConstraint(
                condition=models.Q(invoice__isnull=False) | models.Q(change__isnull=False),
                name="billing_notice_is_about_something",
            ),
        ]
        indexes = [models.Index(fields=["emailed_at", "created_at"], name="billingnotice_unsent")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.invoice or self.change}"
