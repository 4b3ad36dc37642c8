"""Timecodes as people write them ('1:02.5') and as comments store them (milliseconds)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_TIMECODE = re.compile(r"^\s*(?:(?:(\d+):)?(\d{1,2}):)?(\d+(?:[.,]\d{1,3})?)\s*$")


def parse_timecode(value: str | int | None) -> int | None:
    """'1:02.5', '0:05', '75' or '1:00:00' → milliseconds; '' → None.

    Raises ValidationError for anything else.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int):
        return value
    match = _TIMECODE.match(str(value))
    if not match:
        raise ValidationError(
            _("Write a time as seconds or minutes:seconds, for example 0:05 or 75."),
            code="invalid_time",
        )
    hours, minutes, seconds = match.groups()
    if (hours or minutes) and float(seconds.replace(",", ".")) >= 60:
        raise ValidationError(
            _("Write a time as seconds or minutes:seconds, for example 0:05 or 75."),
            code="invalid_time",
        )
    total = int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds.replace(",", "."))
    return round(total * 1000)


def format_timecode(ms: int | None) -> str:
    """Milliseconds → '0:05', '1:02.5' or '1:02:05' (tenths shown only when there are some)."""
    if ms is None:
        return ""
    seconds, millis = divmod(int(ms), 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    return f"{text}.{millis // 100}" if millis >= 100 else text
