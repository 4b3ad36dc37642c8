"""Numbers as the reader's language writes them (babel), for every page that shows figures:
counts, shares and seconds. None reads as a dash."""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent
from django.utils.translation import gettext as _

from .charts import babel_locale

EMPTY = "—"


def format_count(value: int | None) -> str:
    return EMPTY if value is None else format_decimal(value, locale=babel_locale())


def format_share(value: float | None) -> str:
    """A rate or share as a percent with at most one decimal place: 5 %, 12.5 %."""
    if value is None:
        return EMPTY
    return format_percent(round(float(value), 3), locale=babel_locale(), decimal_quantization=False)


def format_seconds(value: float | None) -> str:
    if value is None:
        return EMPTY
    seconds = format_decimal(round(float(value), 1), locale=babel_locale())
    return _("%(seconds)s s") % {"seconds": seconds}
