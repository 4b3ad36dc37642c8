"""NUL characters: PostgreSQL text cannot hold one, so no text input may bring one in.

One rule for every door: query strings are refused by `RefuseNulQueryMiddleware` (a 400 in
the API's error shape under /api/, a small page elsewhere); form and serializer text fields
refuse NUL themselves (Django's and DRF's CharField); values that are neither, such as a
template's `fields`, are checked with `contains_nul` / `refuse_nul` before anything is stored.
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


class RefuseNulQueryMiddleware:
    """A request whose query string holds a NUL is a 400 before any view sees it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not query_has_nul(request):
            return self.get_response(request)
        message = nul_message()
        if request.path_info.startswith("/api/"):
            return JsonResponse({"error": {"code": CODE, "message": message}}, status=400)
        return render(request, "400.html", {"message": message}, status=400)
