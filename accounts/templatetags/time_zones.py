"""`{{ zone|zone_label }}` → "Tokyo (UTC+09:00)" in the active language;
`{{ zone|zone_label:moment }}` with the offset in force at that moment."""

import datetime as dt

from django import template

from accounts.zones import zone_label as label

register = template.Library()


@register.filter
def zone_label(zone, at: dt.datetime | None = None) -> str:
    return label(str(zone), at=at if isinstance(at, dt.datetime) else None)
