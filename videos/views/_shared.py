"""What the videos pages share: the workspace a page is about, role flags, error messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from billing import entitlements
from teams.models import Membership
from teams.permissions import role_allows
from teams.selectors import current_membership

from .. import services
from ..models import Video

CAN_ACTIONS = (
    "download",
    "create",
    "edit",
    "render",
    "brand",
    "delete",
    "export",
    "comment",
    "approve",
)


def error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def current(request: HttpRequest, action: str) -> Membership:
    """The membership of the workspace the page is about: ?workspace=, else the header's choice.

    Outsiders get 404 and a role without `action` 403, as the permission helper does.
    """
    wanted = request.GET.get("workspace")
    if wanted:
        membership = (
            Membership.objects.select_related("team")
            .filter(user=request.user, team_id=wanted)
            .first()
            if wanted.isdigit()
            else None
        )
    else:
        membership = current_membership(request=request)
    if membership is None:
        raise Http404
    if not role_allows(membership.role, action):
        raise PermissionDenied
    return membership


def can(role: str | None) -> dict[str, bool]:
    """Which buttons to show: {action: allowed} for the actions the pages offer."""
    return {action: role_allows(role, action) for action in CAN_ACTIONS}


def after_refusal(url: str, error: ValidationError) -> str:
    """Pages show an upgrade prompt after a refusal that Pro would lift."""
    return f"{url}?upgrade=1" if isinstance(error, entitlements.EntitlementError) else url


def start_render(request: HttpRequest, video: Video) -> HttpResponse:
    """Start a render and go to the video's page (with the upgrade prompt after a refusal)."""
    url = reverse("videos:detail", args=[video.pk])
    try:
        services.video_render(video=video, actor=request.user)
    except ValidationError as error:
        error_messages(request, error)
        return redirect(after_refusal(url, error))
    messages.info(request, _("Rendering started. You can follow its progress here."))
    return redirect(url)


def render_if_asked(request: HttpRequest, video: Video) -> HttpResponse:
    """The "… and render" buttons: start the render right after the video was saved."""
    if request.POST.get("render"):
        return start_render(request, video)
    return redirect("videos:detail", video_id=video.pk)
