"""Between apps: an app may not import the ones above it (DESIGN.md), so what it needs from them
is plugged in here as dotted paths. settings.py applies them with
`vars().update(plugin_settings())`."""

from __future__ import annotations

# What accounts asks about a person (export, deletion), erasing in this order: videos,
# integrations, billing empty the workspaces before teams deletes them; then the tracking.
PRIVACY_APPS = ("videos", "integrations", "billing", "growth.referrals", "teams", "analytics")


def plugin_settings() -> dict:
    return {
        # How many members a workspace may have: `f(workspace) -> int` (the plan's entitlement).
        "TEAM_SEAT_LIMIT": "billing.entitlements.team_seat_limit",
        "PRIVACY_APPS": PRIVACY_APPS,
        "PRIVACY_PROVIDERS": [f"{app}.privacy" for app in PRIVACY_APPS],
        # What a workspace uses of its plan's limits: `f(workspace) -> {limit key: used}`.
        "PLAN_USAGE_READERS": ["videos.usage.plan_usage", "integrations.usage.plan_usage"],
        # The sign-up form (accounts) checks and applies a referral code (growth.referrals):
        # `check(code)` raises a ValidationError with the reason; `apply(user=, code=, source=)`
        # records the referral.
        "REFERRAL_CODE_CHECK": "growth.referrals.signup.referral_code_check",
        "REFERRAL_CODE_APPLY": "growth.referrals.signup.referral_code_apply",
    }
