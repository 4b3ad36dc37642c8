import zoneinfo

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation

from .backends import RENAMED_BACKENDS


def _saved_language(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    profile = getattr(user, "profile", None)
    return profile.language if profile else ""


class UserLocaleMiddleware(LocaleMiddleware):
    """Language order: saved preference, language cookie, Accept-Language, English."""

    def process_request(self, request: HttpRequest) -> None:
        language = _saved_language(request)
        if not language:
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        response.setdefault("Vary", "Cookie")
        return response


class UserTimezoneMiddleware:
    """Times are stored in UTC and shown in the user's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone_name = ""
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None)
            zone_name = profile.time_zone if profile else ""
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone_name)) if zone_name else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


class SessionAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's middleware, after moving an older session onto the renamed backend."""

    def process_request(self, request: HttpRequest) -> None:
        renamed = RENAMED_BACKENDS.get(request.session.get(BACKEND_SESSION_KEY, ""))
        if renamed:
            request.session[BACKEND_SESSION_KEY] = renamed
        super().process_request(request)
