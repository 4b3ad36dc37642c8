"""What each plan grants, in one place. Every app asks here before it does something limited.

    from billing import entitlements
    entitlements.check_limit(workspace, "brand_kits", current=kits.count())
    entitlements.require_feature(workspace, "output_1080p")

Over a limit, `EntitlementError` (a ValidationError) carries a translated message and the
upgrade link; callers check before they write, so nothing is half-done.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Subscription, SubscriptionStatus, Tier


@dataclass(frozen=True)
class Feature:
    key: str
    label: Promise
    free: bool
    pro: bool


@dataclass(frozen=True)
class Limit:
    """What a plan allows; None is unlimited."""

    key: str
    label: Promise
    free: int | None
    pro: int | None


FEATURES: dict[str, Feature] = {
    f.key: f
    for f in [
        Feature("pro_templates", gettext_lazy("Pro templates"), free=False, pro=True),
        Feature("output_1080p", gettext_lazy("1080p output"), free=False, pro=True),
    ]
}

LIMITS: dict[str, Limit] = {
    limit.key: limit
    for limit in [
        Limit("brand_kits", gettext_lazy("Brand kits"), free=1, pro=10),
        Limit("team_seats", gettext_lazy("Team seats"), free=3, pro=20),
        Limit("batch_export_size", gettext_lazy("Videos per batch export"), free=5, pro=50),
        Limit("versions_per_video", gettext_lazy("Versions kept per video"), free=5, pro=50),
        Limit("scheduling_platforms", gettext_lazy("Publishing platforms"), free=2, pro=5),
        Limit(
            "render_minutes_per_month", gettext_lazy("Render minutes per month"), free=10, pro=300
        ),
    ]
}


class EntitlementError(ValidationError):
    def __init__(self, message: str, *, key: str) -> None:
        super().__init__(message, code="plan_limit")
        self.key = key
        self.upgrade_url = reverse("billing:pricing")


def _tier_of(subscription: Subscription | None) -> str:
    """Pro while a paid plan is active or in its dunning grace period; Free otherwise."""
    if (
        subscription is not None
        and subscription.plan.tier == Tier.PRO
        and subscription.status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE)
    ):
        return Tier.PRO
    return Tier.FREE


def tier_for(workspace) -> str:
    """The workspace's tier (see `_tier_of`), cached on the instance for the rest of the request."""
    cached = getattr(workspace, "_billing_tier", None)
    if cached is not None:
        return cached
    subscription = Subscription.objects.select_related("plan").filter(workspace=workspace).first()
    return remember_tier(workspace, subscription)


def remember_tier(workspace, subscription: Subscription | None) -> str:
    """Cache the tier (and the usage period's anchor) from a subscription the caller already
    loaded (saves `tier_for` and `usage_period` a query)."""
    workspace._billing_tier = _tier_of(subscription)
    workspace._billing_anchor = (
        subscription.current_period_start if workspace._billing_tier == Tier.PRO else None
    )
    return workspace._billing_tier


def forget_tier(workspace) -> None:
    """Drop the cached tier after the subscription changed."""
    for name in ("_billing_tier", "_billing_anchor"):
        if hasattr(workspace, name):
            delattr(workspace, name)


def month_containing(
    moment: datetime.datetime, anchor: datetime.datetime | None
) -> tuple[datetime.datetime, datetime.datetime]:
    """The month-long window [start, end) that holds `moment`: counted in whole months from
    `anchor` (a paid plan's period start; the 31st falls back to a shorter month's last day),
    or the calendar month in UTC without one."""
    if anchor is None:
        moment = moment.astimezone(datetime.UTC)
        start = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return start, start + relativedelta(months=1)
    months = (moment.year - anchor.year) * 12 + moment.month - anchor.month
    while anchor + relativedelta(months=months) > moment:
        months -= 1
    while anchor + relativedelta(months=months + 1) <= moment:
        months += 1
    return anchor + relativedelta(months=months), anchor + relativedelta(months=months + 1)


def usage_period(workspace, now: datetime.datetime | None = None):
    """The month that monthly allowances (render minutes) and "this period" figures count in:
    on Pro the month of the billing period (a monthly plan's whole period; an annual plan's
    month counted from its start), on Free the calendar month in UTC."""
    if not hasattr(workspace, "_billing_anchor"):
        forget_tier(workspace)
        tier_for(workspace)
    return month_containing(now or timezone.now(), workspace._billing_anchor)


def has_feature(workspace, key: str) -> bool:
    feature = FEATURES[key]
    return feature.pro if tier_for(workspace) == Tier.PRO else feature.free


def limit_for(workspace, key: str) -> int | None:
    """What the workspace's plan allows for `key`; None is unlimited."""
    limit = LIMITS[key]
    return limit.pro if tier_for(workspace) == Tier.PRO else limit.free


def team_seat_limit(workspace) -> int | None:
    """Seats a workspace may fill; teams reads it through the TEAM_SEAT_LIMIT setting."""
    return limit_for(workspace, "team_seats")


def require_feature(workspace, key: str) -> None:
    if not has_feature(workspace, key):
        raise EntitlementError(
            _("%(feature)s is part of the Pro plan. Upgrade to use it.")
            % {"feature": FEATURES[key].label},
            key=key,
        )


def check_limit(workspace, key: str, *, current: int, adding: int = 1) -> None:
    """Refuse when `current + adding` would go over the plan's limit."""
    allowed = limit_for(workspace, key)
    if allowed is not None and current + adding > allowed:
        raise EntitlementError(
            _(
                "Your plan allows %(limit)s for “%(what)s” and this would make %(wanted)s. "
                "Upgrade to Pro for more."
            )
            % {"limit": allowed, "what": LIMITS[key].label, "wanted": current + adding},
            key=key,
        )


def check_not_used_up(workspace, key: str, *, used: Decimal | int) -> None:
    """Refuse once `used` has reached a monthly allowance (render minutes): what a job uses is
    measured when it finishes, so a job may start while some of the allowance is left."""
    allowed = limit_for(workspace, key)
    if allowed is not None and used >= allowed:
        _start, end = usage_period(workspace)
        raise EntitlementError(
            _(
                "All %(limit)s of “%(what)s” are used for this month; the next month starts on "
                "%(date)s. Upgrade to Pro for more."
            )
            % {
                "limit": allowed,
                "what": LIMITS[key].label,
                "date": formats.date_format(timezone.localtime(end), "DATE_FORMAT"),
            },
            key=key,
        )


def check_not_over(workspace, key: str, *, used: int) -> None:
    """Refuse while what is counted against `key` is over the plan's limit (after a downgrade,
    or connected before): the workspace brings it back within the limit, or upgrades."""
    allowed = limit_for(workspace, key)
    if allowed is not None and used > allowed:
        raise EntitlementError(
            _(
                "Your plan allows %(limit)s for “%(what)s” and this workspace has %(used)s. "
                "Remove some or upgrade to Pro to go on."
            )
            % {"limit": allowed, "what": LIMITS[key].label, "used": used},
            key=key,
        )


def is_over_limit(workspace, key: str, *, current: int) -> bool:
    """After a downgrade, what is over the limit stays readable but becomes read-only."""
    allowed = limit_for(workspace, key)
    return allowed is not None and current > allowed


def table() -> list[dict]:
    """Every feature and limit with the Free and Pro values, for the pricing page."""
    rows = [
        {"label": f.label, "free": f.free, "pro": f.pro, "kind": "feature"}
        for f in FEATURES.values()
    ]
    rows += [
        {"label": lim.label, "free": lim.free, "pro": lim.pro, "kind": "limit"}
        for lim in LIMITS.values()
    ]
    return rows
