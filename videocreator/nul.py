"""NUL characters: PostgreSQL text cannot hold one, so no text input may bring one in.

One rule for every door: `NulMiddleware` refuses a URL path or query string that holds one (a
400 in the API's error shape under /api/, a small page elsewhere), turns a NUL in a header into a
space and drops a cookie that holds one (a session cookie `"abcdefgh\\000"` is a NUL once
unquoted, and would reach the session table); form and serializer text fields refuse NUL
themselves (Django's and DRF's CharField); values that are neither, such as a template's
`fields`, are checked with `contains_nul` / `refuse_nul` before anything is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"
CODE = "null_characters"


def nul_message() -> str:
    # Django's own msgid (its validators use it): the same words on every form and the API.
    return _("Null characters are not allowed.")


def contains_nul(value: Any) -> bool:
    """Whether a string, or any key or item of a JSON-like dict or list, holds a NUL."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(contains_nul(item) for item in value)
    return False


def without_nul(value: Any) -> Any:
    """The value with NUL dropped from every string, and every key and item of a JSON-like
    dict or list: for text we keep rather than refuse (a comment, a signed Stripe event)."""
    if isinstance(value, str):
        return value.replace(NUL, "")
    if isinstance(value, list | tuple):
        return [without_nul(item) for item in value]
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    return value


def refuse_nul(value: Any) -> None:
    if contains_nul(value):
        raise ValidationError(nul_message(), code=CODE)


def query_has_nul(request: HttpRequest) -> bool:
    """A NUL in a query parameter's name or value, after percent-decoding."""
    return any(contains_nul(key) or contains_nul(values) for key, values in request.GET.lists())


def _header_names(meta: dict) -> list[str]:
    return [name for name in meta if name.startswith("HTTP_") or name == "CONTENT_TYPE"]


class NulMiddleware:
    """First in MIDDLEWARE: headers and cookies are made safe before the session, CSRF and
    language middleware read them. A path or query with a NUL is refused in `process_view`, once
    the other middleware have set the user and language the refusal page is shown with (a path
    that matches no route is already a 404)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in _header_names(request.META):
            value = request.META[name]
            if isinstance(value, str) and NUL in value:
                # RFC 9110 §5.5: a recipient may replace each NUL in a field value with a space.
                request.META[name] = value.replace(NUL, " ")
        cookies = request.COOKIES
        if any(contains_nul(name) or contains_nul(value) for name, value in cookies.items()):
            request.COOKIES = {
                name: value
                for name, value in cookies.items()
                if not (contains_nul(name) or contains_nul(value))
            }
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if NUL not in request.path_info and not query_has_nul(request):
            return None
        message = nul_message()
        if request.path_info.startswith("/api/"):
            return JsonResponse({"error": {"code": CODE, "message": message}}, status=400)
        return render(request, "400.html", {"message": message}, status=400)
