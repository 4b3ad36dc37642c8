"""What the videos API views share: absolute links, the caller's workspaces, upload parts."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from teams.models import Membership, Team
from teams.permissions import get_for_user, role_allows, scope_for_user

WORKSPACE_PARAM = OpenApiParameter(
    "workspace", int, required=False, description="Only this workspace (default: all of yours)."
)


def absolute_url(context: dict, url: str) -> str:
    """A stored file's link as an absolute URL when the serializer has a request to build it."""
    request = context.get("request")
    if url and request is not None and url.startswith("/"):
        return request.build_absolute_uri(url)
    return url


def workspace_for(user: Any, raw: Any, action: str) -> Team:
    return get_for_user(user, Team, raw, action)


def caller_roles(request: Request) -> dict[int, str]:
    """The caller's role in each of their workspaces, read once per request."""
    if not hasattr(request, "caller_roles"):
        memberships = Membership.objects.filter(user=request.user)
        request.caller_roles = dict(memberships.values_list("team_id", "role"))
    return request.caller_roles


def scoped(request: Request, queryset: QuerySet) -> QuerySet:
    """The caller's rows; `?workspace=` narrows to one workspace (404 for outsiders)."""
    raw = request.query_params.get("workspace")
    if raw:
        return queryset.filter(workspace=workspace_for(request.user, raw, "view"))
    return scope_for_user(request.user, queryset, workspace_ids=caller_roles(request))


def video_context(request: Request) -> dict:
    """Serializer context for videos: which of the caller's workspaces allow downloads."""
    roles = caller_roles(request)
    return {
        "request": request,
        "downloadable": {team for team, role in roles.items() if role_allows(role, "download")},
    }


def uploaded_images(request: Request) -> dict[str, UploadedFile]:
    """Every uploaded file except the clip is an image for the template field of that name."""
    return {name: upload for name, upload in request.FILES.items() if name != "source_clip"}
