"""What every /api/v1/ endpoint shares: pagination, one error format, the router."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, routers, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

router = routers.DefaultRouter()


# The largest id a database integer holds: a bigger number in a request is a 400, not an
# overflow inside the query (SQLite raises OverflowError, PostgreSQL an out-of-range error).
DATABASE_ID_MAX = 2**63 - 1

_DATETIME_FIELD = serializers.DateTimeField()


def api_datetime(value: Any) -> str | None:
    """A time as every DateTimeField of the API writes it (ISO 8601, the request's zone),
    for serializers that build their dict by hand."""
    return None if value is None else _DATETIME_FIELD.to_representation(value)


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def _first_code(codes: Any) -> str:
    if isinstance(codes, str):
        return codes
    if isinstance(codes, dict):
        return "invalid"
    if isinstance(codes, list) and codes:
        return _first_code(codes[0])
    return "error"


def _from_django(exc: DjangoValidationError) -> tuple[exceptions.ValidationError, str]:
    """A service's ValidationError as DRF's, and one readable message made of all of it."""
    if hasattr(exc, "error_dict"):
        detail = {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): messages
            for name, messages in exc.message_dict.items()
        }
        return exceptions.ValidationError(detail), " ".join(exc.messages)
    code = next((error.code for error in exc.error_list if error.code), None) or "invalid"
    return exceptions.ValidationError(exc.messages, code=code), " ".join(exc.messages)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Every API error looks like {"error": {"code", "message", "fields"?, "upgrade_url"?}}.

    Django's ValidationError (what services raise) is a 400; a plan limit
    (billing.entitlements.EntitlementError) adds the link to upgrade.
    """
    message = None
    upgrade_url = getattr(exc, "upgrade_url", None)
    if isinstance(exc, DjangoValidationError):
        exc, message = _from_django(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(_("You do not have permission to do this."))
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    error: dict[str, Any] = {"code": _first_code(exc.get_codes())}
    if isinstance(exc.detail, dict):
        error["message"] = message or _("Some fields are not valid.")
        error["fields"] = exc.detail
    elif isinstance(exc.detail, list):
        error["message"] = " ".join(str(item) for item in exc.detail)
    else:
        error["message"] = str(exc.detail)
    if upgrade_url:
        error["upgrade_url"] = upgrade_url
    response.data = {"error": error}
    return response
