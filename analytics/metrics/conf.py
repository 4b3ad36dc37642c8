"""The metrics' settings, read and checked in one place (settings.py only reads the environment).

`REPORTING_CURRENCY`: the ISO 4217 code figures are reported in (default USD).
`ANALYTICS_GROSS_MARGIN`: the share of revenue left after the cost of serving it, for LTV
(above 0, at most 1; default 0.8).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def reporting_currency() -> str:
    code = str(getattr(settings, "REPORTING_CURRENCY", "USD")).strip().upper()
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise ImproperlyConfigured(
            "REPORTING_CURRENCY must be a three-letter ISO 4217 code, e.g. USD."
        )
    return code


def gross_margin() -> Decimal:
    try:
        margin = Decimal(str(getattr(settings, "ANALYTICS_GROSS_MARGIN", "0.8")).strip())
        valid = margin.is_finite() and 0 < margin <= 1
    except InvalidOperation:
        valid = False
    if not valid:
        raise ImproperlyConfigured(
            "ANALYTICS_GROSS_MARGIN must be a number above 0 and at most 1, e.g. 0.8."
        )
    return margin


def check_settings() -> None:
    """Raise ImproperlyConfigured for a bad value, so the process does not start with it."""
    reporting_currency()
    gross_margin()
