from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, fallback: str = "/", *, use_referer: bool = False) -> str:
    """The `next` target from the form or query, if it stays on this site; else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target and use_referer:
        target = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def absolute_url(name: str, *args: object) -> str:
    """The public URL of a named route, for e-mails and payment-provider callbacks."""
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL + reverse(name, args=args)


def error_messages(request: HttpRequest, error: ValidationError | ErrorDict) -> None:
    """Show a service's `ValidationError`, or a form's errors, as error messages on the next
    page (the pattern of a POST view that redirects)."""
    if isinstance(error, ValidationError):
        texts = error.messages
    else:
        texts = [text for field_errors in error.values() for text in field_errors]
    for text in texts:
        messages.error(request, text)


def is_staff(user) -> bool:
    """A signed-in, active member of staff (the people the staff dashboards are for)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A staff-only page: everyone else, signed in or not, gets 404, as outsiders do everywhere
    (Django's `staff_member_required` would send them to the admin's login instead, telling
    them the page exists)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_staff(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
