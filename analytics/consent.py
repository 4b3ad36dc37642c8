"""Whether a request may be tracked, decided from its headers and cookies alone (no query).

- A bot (crawlerdetect's list, or no User-Agent at all) is not counted in any way.
- Do Not Track (`DNT: 1`), Global Privacy Control (`Sec-GPC: 1`) or a "declined" answer to the
  banner: no visitor cookie and no row about the visitor, only the anonymous daily count.
- An "accepted" answer: tracked. No answer yet: tracked unless `ANALYTICS_REQUIRE_CONSENT`.

The visitor cookie `vc_vid` holds the visitor's id and the UTC day its row was last refreshed
(`<uuid>.<YYYYMMDD>`), so a page view knows without a query whether the row needs refreshing.
It is HttpOnly: no script of ours reads it (the batch API reads it on the server), so a script
injected into a page cannot carry it off either.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.http import HttpRequest, HttpResponse

VISITOR_COOKIE = "vc_vid"
CONSENT_COOKIE = "vc_consent"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60  # one year, renewed when the visitor comes back
ACCEPTED, DECLINED = "accepted", "declined"
_VISITOR_VALUE = re.compile(
    r"^([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{8})$"
)
_USER_AGENT_MAX = 1000  # longer than any browser's; a longer one is only checked in part

# One detector for the process: its regular expressions are compiled once, its results cached.
_crawlers = CrawlerDetect()


@dataclass(frozen=True)
class Tracking:
    """What the request may have recorded about it; `request.tracking` (VisitorMiddleware)."""

    bot: bool
    allowed: bool  # a visitor cookie and per-visitor rows
    choice: str  # the banner's answer: "", ACCEPTED or DECLINED
    opted_out: bool  # DNT or GPC
    visitor_id: str | None  # from a valid cookie; a new visitor gets theirs with the response
    refreshed: str  # the day (YYYYMMDD) the cookie says the visitor row was last refreshed

    @property
    def show_banner(self) -> bool:
        return not self.bot and not self.opted_out and not self.choice


def is_bot(request: HttpRequest) -> bool:
    agent = request.META.get("HTTP_USER_AGENT", "").strip()
    return not agent or _crawlers.is_crawler(agent[:_USER_AGENT_MAX])


def opted_out(request: HttpRequest) -> bool:
    """Do Not Track or Global Privacy Control."""
    return request.META.get("HTTP_DNT", "").strip() == "1" or (
        request.META.get("HTTP_SEC_GPC", "").strip() == "1"
    )


def consent_choice(request: HttpRequest) -> str:
    choice = request.COOKIES.get(CONSENT_COOKIE, "")
    return choice if choice in (ACCEPTED, DECLINED) else ""


def parse_visitor_cookie(value: str) -> tuple[str, str] | None:
    """(visitor id, refreshed day) of a well-formed cookie value; None for anything else."""
    match = _VISITOR_VALUE.match(value or "")
    return (match.group(1), match.group(2)) if match else None


def decide(request: HttpRequest) -> Tracking:
    choice = consent_choice(request)
    out = opted_out(request)
    if out or choice == DECLINED:
        allowed = False
    else:
        allowed = choice == ACCEPTED or not settings.ANALYTICS_REQUIRE_CONSENT
    parsed = parse_visitor_cookie(request.COOKIES.get(VISITOR_COOKIE, "")) if allowed else None
    return Tracking(
        bot=is_bot(request),
        allowed=allowed,
        choice=choice,
        opted_out=out,
        visitor_id=parsed[0] if parsed else None,
        refreshed=parsed[1] if parsed else "",
    )


def tracking_of(request: HttpRequest) -> Tracking:
    """The middleware's decision, or a fresh one for a request it did not see."""
    tracking = getattr(request, "tracking", None)
    return tracking if isinstance(tracking, Tracking) else decide(request)


def day_stamp(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def new_visitor_id() -> str:
    return str(uuid.uuid4())


def _cookie_options() -> dict:
    return {
        "max_age": COOKIE_MAX_AGE,
        "samesite": "Lax",
        "secure": settings.SESSION_COOKIE_SECURE,
        "httponly": True,
    }


def set_visitor_cookie(response: HttpResponse, *, visitor_id: str, day: dt.date) -> None:
    response.set_cookie(VISITOR_COOKIE, f"{visitor_id}.{day_stamp(day)}", **_cookie_options())


def forget_visitor_cookie(response: HttpResponse) -> None:
    response.delete_cookie(VISITOR_COOKIE, samesite="Lax")


def set_consent_cookie(response: HttpResponse, *, choice: str) -> None:
    response.set_cookie(CONSENT_COOKIE, choice, **_cookie_options())
