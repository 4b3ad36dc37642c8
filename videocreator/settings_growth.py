"""Growth settings (growth.referrals, growth.feedback), read from the environment like everything
in settings.py, which applies them with `vars().update(growth_settings(...))`. README.md lists
each variable."""

from __future__ import annotations

import environ


def growth_settings(env: environ.Env) -> dict:
    return {
        # The cookie /r/<code> sets, which the sign-up form reads to prefill the code.
        "REFERRAL_COOKIE_NAME": "vc_referral",
        "REFERRAL_COOKIE_DAYS": env.int("REFERRAL_COOKIE_DAYS", default=30),
        # The referee's discount on the first month of Pro, in percent.
        "REFERRAL_DISCOUNT_PERCENT": env.int("REFERRAL_DISCOUNT_PERCENT", default=20),
        # Free months a referrer may earn per calendar year (UTC).
        "REFERRAL_YEARLY_CAP": env.int("REFERRAL_YEARLY_CAP", default=12),
        # A refund or chargeback this long after the referee's first payment no longer reverses
        # the reward.
        "REFERRAL_REVERSAL_DAYS": env.int("REFERRAL_REVERSAL_DAYS", default=30),
        # Invitation e-mails a person may send per hour.
        "REFERRAL_INVITATIONS_PER_HOUR": env.int("REFERRAL_INVITATIONS_PER_HOUR", default=20),
    }
