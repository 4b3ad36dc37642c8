"""Invoices and their lines. Money is integer minor units plus a currency code."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .coupons import Coupon
from .plans import CURRENCY_CHOICES, Plan, Provider
from .subscriptions import Subscription


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
