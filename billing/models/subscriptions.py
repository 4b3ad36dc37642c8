"""A workspace's subscription and its history."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .plans import CURRENCY_CHOICES, Plan, Provider


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
