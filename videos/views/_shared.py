"""What the videos pages share: the workspace a page is about, role flags, error messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.http import error_messages
from billing import entitlements
from teams.permissions import role_allows, workspace_for_page

from .. import services
from ..models import Video

# The workspace a page is about (?workspace=, else the header's choice), with the role checked.
current = workspace_for_page

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
    "schedule",
)


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
        job = services.video_render(video=video, actor=request.user)
    except ValidationError as error:
        error_messages(request, error)
        return redirect(after_refusal(url, error))
    deleted = services.deleted_brand_kit_name(video)
    if deleted and (job.brand_kit is None or job.brand_kit.name != deleted):
        messages.warning(request, deleted_kit_message(deleted))
    if job.brand_kit is not None:
        messages.info(
            request,
            _("Rendering started with the brand kit “%(kit)s”. You can follow its progress here.")
            % {"kit": job.brand_kit.name},
        )
    else:
        messages.info(request, _("Rendering started. You can follow its progress here."))
    return redirect(url)


def deleted_kit_message(name: str) -> str:
    return _(
        "The brand kit “%(kit)s” of this video was deleted: a new render will not carry it."
    ) % {"kit": name}


def render_if_asked(request: HttpRequest, video: Video, *, render: bool) -> HttpResponse:
    """The "… and render" buttons: start the render right after the video was saved."""
    if render:
        return start_render(request, video)
    return redirect("videos:detail", video_id=video.pk)
