"""Plans and their prices, the currencies they are sold in, the payment providers."""

from django.db import models
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
