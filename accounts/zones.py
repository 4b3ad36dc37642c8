"""Time zones as people know them: "(UTC+09:00) Tokyo" in a select grouped by region, and
"Tokyo (UTC+09:00)" where a page names the zone times are shown in; the city and the region in
the active language (CLDR's names, through babel). The stored value stays the IANA id."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import unicodedata
import zoneinfo

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from django.utils import timezone, translation
from django.utils.translation import gettext as _

# IANA's regions in IANA's order, named by CLDR's territories where it has one (translated by
# babel), else by our catalogue. Arctic/Longyearbyen (Svalbard) is listed with Europe.
REGIONS = {
    "Africa": "002",
    "America": "019",
    "Antarctica": "AQ",
    "Asia": "142",
    "Atlantic": None,
    "Australia": "AU",
    "Europe": "150",
    "Indian": None,
    "Pacific": None,
}


def _region_name(region: str, locale: Locale) -> str:
    territory = REGIONS[region]
    if territory and territory in locale.territories:
        return locale.territories[territory]
    return {
        "Atlantic": _("Atlantic Ocean"),
        "Indian": _("Indian Ocean"),
        "Pacific": _("Pacific Ocean"),
    }.get(region, region)


@functools.cache
def listed_zones() -> tuple[str, ...]:
    """The zones the select offers: one per place in the tz database's zone.tab (no aliases
    and no legacy names like "US/Eastern"), and UTC."""
    text = importlib.resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text()
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    available = zoneinfo.available_timezones()
    return tuple(sorted(row[2] for row in rows if row[2] in available))


@functools.cache
def _old_names() -> dict[str, list[str]]:
    """Current id → the older ids CLDR may still file its translations under."""
    old: dict[str, list[str]] = {}
    for alias, current in get_global("zone_aliases").items():
        old.setdefault(current, []).append(alias)
    return old


def canonical(zone: str) -> str:
    """The current id of a renamed zone ("Asia/Calcutta" → "Asia/Kolkata")."""
    return get_global("zone_aliases").get(zone, zone)


def _locale() -> Locale:
    try:
        return Locale.parse(translation.to_locale(translation.get_language() or "en"))
    except (UnknownLocaleError, ValueError):
        return Locale("en")


def _city(zone: str, locale: Locale) -> str:
    for key in (zone, *_old_names().get(zone, [])):
        city = locale.time_zones.get(key, {}).get("city")
        if city:
            return city
    if zone not in listed_zones():
        return zone  # "Etc/GMT+5", "US/Eastern": the id says more than its last part
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def _offset(zone: str, at: dt.datetime) -> str:
    offset = at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _valid(zone: str) -> bool:
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_label(zone: str, *, at: dt.datetime | None = None) -> str:
    """ "Tokyo (UTC+09:00)": the city in the active language and the offset in force `at`
    (now by default). An unknown id is returned as it is."""
    zone = str(zone)
    if zone == "UTC" or not _valid(zone):
        return zone
    return f"{_city(zone, _locale())} ({_offset(zone, at or timezone.now())})"


def zone_choices(*, at: dt.datetime | None = None, current: str = "") -> list:
    """The select's choices: UTC, then each region's zones by offset and city. `current` (a
    zone outside the list, like "Etc/GMT+5") is offered too, so that saving keeps it."""
    at = at or timezone.now()
    language = translation.get_language() or "en"
    # An hour's resolution: offsets change at most a few times a year, on the hour.
    hour = at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    choices = list(_grouped(language, hour))
    if current and current not in listed_zones() and current != "UTC" and _valid(current):
        choices.insert(1, (current, f"({_offset(current, at)}) {current}"))
    return choices


@functools.lru_cache(maxsize=32)
def _grouped(language: str, hour: dt.datetime) -> tuple:
    locale = _locale()
    regions: dict[str, list] = {region: [] for region in REGIONS}
    for zone in listed_zones():
        region = zone.split("/", 1)[0].replace("Arctic", "Europe")
        if region not in REGIONS:
            continue
        offset, city = _offset(zone, hour), _city(zone, locale)
        regions.setdefault(region, []).append((offset, city, zone))
    groups = []
    for region, rows in regions.items():
        rows.sort(key=lambda row: (_minutes(row[0]), _sort_key(row[1])))
        options = [(zone, f"({offset}) {city}") for offset, city, zone in rows]
        if options:
            groups.append((_region_name(region, locale), options))
    return (("UTC", "UTC"), *groups)


def _sort_key(text: str) -> str:
    """Accents aside, so that "Ürümqi" sorts with the U's."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _minutes(offset: str) -> int:
    sign = -1 if offset[3] == "-" else 1
    return sign * (int(offset[4:6]) * 60 + int(offset[7:9]))
