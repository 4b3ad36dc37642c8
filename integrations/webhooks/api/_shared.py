"""What the webhooks API views share: strict input fields, the workspace a request names,
and one endpoint or delivery fetched through the permission helper."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.request import Request

from teams.models import Membership, Team
from teams.permissions import get_for_user
from videocreator.api import DATABASE_ID_MAX

from ..models import Delivery, Endpoint

# Every route but the event catalogue needs it: owners and admins.
ACTION = "manage_webhooks"

WORKSPACE_HELP = "A workspace id; you must be its owner or an admin."
DEFAULT_WORKSPACE_HELP = (
    "A workspace id; you must be its owner or an admin. Left out: your personal workspace "
    "(API tokens belong to a person, not to a workspace, and the workspace chosen in the "
    "browser's header is not the API's, so a hook made from Zapier or Make without it always "
    "lands in the same place)."
)
WORKSPACE_PARAM = OpenApiParameter("workspace", int, required=True, description=WORKSPACE_HELP)
DEFAULT_WORKSPACE_PARAM = OpenApiParameter(
    "workspace", int, required=False, description=DEFAULT_WORKSPACE_HELP
)
DELIVERY_ID_PARAM = OpenApiParameter(
    "delivery_id",
    str,
    OpenApiParameter.PATH,
    description="The delivery's message id (`msg_…`, its `webhook-id` header) or its bare uuid.",
)


class TextField(serializers.CharField):
    """Text only: DRF's CharField would take the number 5 as "5"."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class DateTimeField(serializers.DateTimeField):
    """ISO 8601 text; a NUL inside is refused like everywhere else, not parsed around."""

    def to_internal_value(self, value: Any):
        if isinstance(value, str) and "\x00" in value:
            raise serializers.ValidationError(
                _("Null characters are not allowed."), code="null_characters_not_allowed"
            )
        return super().to_internal_value(value)


def workspace_id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=DATABASE_ID_MAX, **kwargs)


_WORKSPACE_ID = workspace_id_field()


def workspace_from(request: Request, data: Any, *, required: bool = True) -> Team | None:
    """The workspace named by `data["workspace"]` (the query or the body), checked for
    "manage_webhooks" before anything else in the request is looked at: outsiders 404,
    members without the action 403. None when it is not given and not `required`."""
    raw = data.get("workspace") if isinstance(data, Mapping) else None
    if raw is None or raw == "":
        if required:
            raise exceptions.ValidationError({"workspace": [_("This field is required.")]})
        return None
    try:
        workspace_id = _WORKSPACE_ID.run_validation(raw)
    except serializers.ValidationError as error:
        raise exceptions.ValidationError({"workspace": error.detail}) from None
    return get_for_user(request.user, Team, workspace_id, ACTION)


def default_workspace(request: Request) -> Team:
    """The caller's personal workspace (DEFAULT_WORKSPACE_HELP says why not another)."""
    membership = (
        Membership.objects.filter(
            user=request.user, team__is_personal=True, team__created_by=request.user
        )
        .values_list("team_id", flat=True)
        .first()
    )
    if membership is None:
        raise exceptions.ValidationError(
            {"workspace": [_("You have no personal workspace: name a workspace.")]}
        )
    return get_for_user(request.user, Team, membership, ACTION)


def endpoint_for(request: Request, endpoint_id: int, *, kind: str | None = None) -> Endpoint:
    """One endpoint the caller may manage (404 for outsiders and ids no database holds)."""
    if endpoint_id > DATABASE_ID_MAX:
        raise Http404
    endpoints = Endpoint.objects.select_related("workspace")
    if kind is not None:
        endpoints = endpoints.filter(kind=kind)
    return get_for_user(request.user, endpoints, endpoint_id, ACTION)


_MESSAGE_ID = re.compile(r"msg_([0-9a-f]{32})")
_UUID = re.compile(r"[0-9a-fA-F]{32}|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


def parse_delivery_id(raw: str) -> uuid.UUID | None:
    """`msg_<hex>` or a bare uuid; anything else is None."""
    found = _MESSAGE_ID.fullmatch(raw)
    if found:
        return uuid.UUID(found.group(1))
    return uuid.UUID(raw) if _UUID.fullmatch(raw) else None


def delivery_for(endpoint: Endpoint, raw_id: str) -> Delivery:
    """One delivery of `endpoint` (already fetched for the caller), or 404."""
    delivery_id = parse_delivery_id(raw_id)
    delivery = (
        Delivery.objects.filter(endpoint=endpoint, pk=delivery_id).first()
        if delivery_id is not None
        else None
    )
    if delivery is None:
        raise Http404
    delivery.endpoint = endpoint
    return delivery
