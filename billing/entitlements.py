"""What each plan grants, in one place. Every app asks here before it does something limited.

    from billing import entitlements
    entitlements.check_limit(workspace, "brand_kits", current=kits.count())
    entitlements.require_feature(workspace, "output_1080p")

Over a limit, `EntitlementError` (a ValidationError) carries a translated message and the
upgrade link; callers check before they write, so nothing is half-done.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import reverse
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
    key: str
    label: Promise
    free: int
    pro: int


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
    """Cache the tier from a subscription the caller already loaded (saves `tier_for` a query)."""
    workspace._billing_tier = _tier_of(subscription)
    return workspace._billing_tier


def forget_tier(workspace) -> None:
    """Drop the cached tier after the subscription changed."""
    if hasattr(workspace, "_billing_tier"):
        del workspace._billing_tier


def has_feature(workspace, key: str) -> bool:
    feature = FEATURES[key]
    return feature.pro if tier_for(workspace) == Tier.PRO else feature.free


def limit_for(workspace, key: str) -> int:
    limit = LIMITS[key]
    return limit.pro if tier_for(workspace) == Tier.PRO else limit.free


def team_seat_limit(workspace) -> int:
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
    if current + adding > allowed:
        raise EntitlementError(
            _(
                "Your plan allows %(limit)s for “%(what)s” and this would make %(wanted)s. "
                "Upgrade to Pro for more."
            )
            % {"limit": allowed, "what": LIMITS[key].label, "wanted": current + adding},
            key=key,
        )


def is_over_limit(workspace, key: str, *, current: int) -> bool:
    """After a downgrade, what is over the limit stays readable but becomes read-only."""
    return current > limit_for(workspace, key)


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
