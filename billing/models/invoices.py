"""Invoices and their lines. Money is integer minor units plus a currency code."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext
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
    DEBT = "debt", _("Credit taken back")


def local_date(moment: datetime.datetime | None) -> str:
    """A date in the active time zone and language's format ("5 December 2026", "2026年12月5日")."""
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def line_description(
    *,
    kind: str,
    plan: Plan,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
) -> str:
    """What an invoice line is for, in the active language and time zone: written when it is
    shown (the line keeps its kind, plan and period), so every reader gets their own."""
    if kind == LineKind.PRORATION:
        return gettext("Unused time on %(plan)s after %(date)s") % {
            "plan": plan.name,
            "date": local_date(start),
        }
    return gettext("%(plan)s, %(start)s – %(end)s") % {
        "plan": plan.name,
        "start": local_date(start),
        "end": local_date(end),
    }


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=10, choices=LineKind.choices)
    # The plan the line is for (a switch's unused-time line is for the plan left behind).
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # As written when the invoice was made, for lines without a plan (older ones) and Stripe.
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

    def describe(self) -> str:
        """The line's description in the reader's language and time zone."""
        if self.kind == LineKind.DEBT:
            return gettext("Credit taken back: %(reason)s") % {"reason": self.description}
        if self.plan_id is None:
            return self.description
        return line_description(
            kind=self.kind, plan=self.plan, start=self.period_start, end=self.period_end
        )
