"""Discounts: coupons and their redemptions, and credits owed to a workspace."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .plans import CURRENCY_CHOICES


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
    """Money owed to a workspace (a referral reward, a downgrade's unused time), or, when
    negative, owed by it: a credit taken back after it was spent (a referral reward whose
    payment was refunded) is a debt the next invoice collects."""

    workspace = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    amount = models.IntegerField()
    remaining = models.IntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    reason = models.CharField(_("reason"), max_length=200)
    # Lets a caller that may run twice (a retried task) grant a credit only once.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When it was taken back (`credit_claw_back`): what was left of it is gone, and what had
    # been spent is owed as a debt.
    clawed_back_at = models.DateTimeField(null=True, blank=True)

    WORKSPACE_PATH = "workspace"

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(amount__gt=0, remaining__gte=0, remaining__lte=models.F("amount"))
                    | Q(amount__lt=0, remaining__lte=0, remaining__gte=models.F("amount"))
                ),
                name="credit_remaining_within_amount",
            )
        ]

    def __str__(self) -> str:
        return f"{self.remaining}/{self.amount} {self.currency} — {self.reason}"

    @property
    def is_debt(self) -> bool:
        return self.amount < 0
