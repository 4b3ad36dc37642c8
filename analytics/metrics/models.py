"""Tables the metrics need that no other app keeps: exchange rates and marketing spend.

Money is integer minor units plus a currency code, as everywhere.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

RATE_MAX_DIGITS = 18
RATE_DECIMAL_PLACES = 6


def validate_currency_code(value: str) -> None:
    from .revenue.money import is_currency_code

    if not is_currency_code(value):
        raise ValidationError(
            _("“%(value)s” is not a currency code (three capital letters, e.g. USD)."),
            params={"value": value},
            code="currency",
        )


def validate_first_of_month(value) -> None:
    if value.day != 1:
        raise ValidationError(_("Use the first day of the month."), code="month")


class FxRate(models.Model):
    """One ECB-style reference rate: how many units of `currency` one euro bought on `day`.

    Conversions between two currencies go through the euro; a day without a row uses the
    latest earlier one (weekends, holidays). `manage.py load_fx_rates` fills the table from
    the ECB's CSV files; staff can correct a row in the admin.
    """

    day = models.DateField(_("day"))
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])
    rate_per_eur = models.DecimalField(
        _("units per euro"),
        max_digits=RATE_MAX_DIGITS,
        decimal_places=RATE_DECIMAL_PLACES,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text=_("How many units of the currency one euro buys (the ECB's reference rate)."),
    )

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-day", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "day"], name="one_fx_rate_per_day"),
            models.CheckConstraint(condition=Q(rate_per_eur__gt=0), name="fx_rate_positive"),
            # The euro is the base: its rate is 1 by definition and never stored.
            models.CheckConstraint(condition=~Q(currency="EUR"), name="fx_rate_not_eur"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.currency} {self.rate_per_eur}"

    def clean(self) -> None:
        if self.currency == "EUR":
            raise ValidationError(
                {"currency": _("The euro is the base currency: its rate is always 1.")}
            )


class MarketingSpend(models.Model):
    """What a marketing channel cost in one month, for CAC (spend ÷ new paying customers)."""

    channel = models.CharField(_("channel"), max_length=100)
    month = models.DateField(
        _("month"), validators=[validate_first_of_month], help_text=_("The month's first day.")
    )
    amount = models.PositiveBigIntegerField(
        _("amount"), help_text=_("In minor units (cents); yen and won have none.")
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])
    note = models.CharField(_("note"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("marketing spend")
        verbose_name_plural = _("marketing spend")
        ordering = ["-month", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "month"], name="one_spend_per_channel_month"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="marketing_spend_month_first_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.month:%Y-%m}: {self.amount} {self.currency}"


class DailyMetric(models.Model):
    """One figure of one UTC day, as the metric functions computed it: what the dashboards
    read for past days instead of recomputing them (analytics.metrics.rollups).

    `currency` is empty for counts (people, videos) and names the currency of money figures.
    """

    day = models.DateField(_("day"))
    key = models.CharField(_("figure"), max_length=40)
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    value = models.BigIntegerField(_("value"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        ordering = ["day", "key", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["day", "key", "currency"], name="daily_metric_unique")
        ]
        indexes = [models.Index(fields=["key", "day"], name="daily_metric_key_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.key} {self.value} {self.currency}".rstrip()


class FunnelEntry(models.Model):
    """One entry into a stored funnel (analytics.metrics.funnels.predefined), as the funnel
    function computes it: who entered when, and the seconds between the steps they reached
    within the window. The dashboard picks each person's best among a range's rows instead of
    replaying a year of events."""

    funnel = models.CharField(max_length=40)
    day = models.DateField()  # entered_at's UTC day: the unit the rollup refreshes
    # A user id as text, or "visitor:<anonymous id>".
    person = models.CharField(max_length=80)
    entered_at = models.DateTimeField()
    # Seconds from each step reached to the next one reached: len(waits) + 1 steps reached.
    waits = models.JSONField(default=list)
    # The person has other entries stored: only theirs need a best chosen at read time.
    shared = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["funnel", "day"], name="funnel_entry_day")]

    def __str__(self) -> str:
        return f"{self.funnel} {self.person} {self.entered_at:%Y-%m-%d %H:%M}"


class MrrMovementEntry(models.Model):
    """One workspace's MRR movement of one kind on one day, in minor units of the reporting
    currency `currency`, as the replay classified it (analytics.metrics.revenue.timeline):
    what a range's movements are summed from instead of replaying a year of invoices."""

    day = models.DateField()
    workspace_id = models.BigIntegerField()  # no key: a deleted workspace's history stays
    kind = models.CharField(max_length=16)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)

    class Meta:
        indexes = [models.Index(fields=["currency", "day"], name="mrr_movement_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.workspace_id} {self.kind} {self.amount} {self.currency}"
