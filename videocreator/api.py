"""What every /api/v1/ endpoint shares: pagination, one error format, the router."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, routers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

router = routers.DefaultRouter()


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


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Every API error looks like {"error": {"code", "message", "fields"?}}."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(_("You do not have permission to do this."))
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    error: dict[str, Any] = {"code": _first_code(exc.get_codes())}
    if isinstance(exc.detail, dict):
        error["message"] = _("Some fields are not valid.")
        error["fields"] = exc.detail
    elif isinstance(exc.detail, list):
        error["message"] = " ".join(str(item) for item in exc.detail)
    else:
        error["message"] = str(exc.detail)
    response.data = {"error": error}
    return response
