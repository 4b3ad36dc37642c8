"""Page views: a first-party visitor cookie and one row per HTML page shown (README.md,
"Tracking and consent"). Last in MIDDLEWARE, so `request.user` is there."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from . import consent, tracking

# Never counted: files, the API (its clients are not visitors), staff-only pages.
UNTRACKED_PREFIXES = ("/api/", "/admin/", "/analytics/business/")


def _untracked_prefixes() -> tuple[str, ...]:
    return tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p) + UNTRACKED_PREFIXES


def is_page_view(request: HttpRequest, response: HttpResponse) -> bool:
    """A full HTML page shown: a GET answered 200 with HTML, not an htmx partial."""
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and request.headers.get("HX-Request") != "true"
        and not request.path.startswith(_untracked_prefixes())
    )


class VisitorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        decision = consent.decide(request)
        request.tracking = decision
        response = self.get_response(request)
        if decision.bot or not is_page_view(request, response):
            return response
        now = timezone.now()
        today = now.date()  # timezone.now() is in UTC
        if not decision.allowed:
            tracking.safely(tracking.page_count_increment, path=request.path, day=today)
            if consent.VISITOR_COOKIE in request.COOKIES:
                consent.forget_visitor_cookie(response)
            return response
        visitor_id = decision.visitor_id or consent.new_visitor_id()
        if decision.refreshed != consent.day_stamp(today):
            tracking.safely(tracking.visitor_refresh, visitor_id=visitor_id, now=now)
            consent.set_visitor_cookie(response, visitor_id=visitor_id, day=today)
        user = getattr(request, "user", None)
        tracking.safely(
            tracking.page_view_record,
            request=request,
            visitor_id=visitor_id,
            user=user if user is not None and user.is_authenticated else None,
            now=now,
        )
        return response
