"""Brand kits: list, create, edit (with a live preview), delete, and the preview image."""

from __future__ import annotations

import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from billing import entitlements
from teams.permissions import get_for_user, role_allows

from .. import selectors, services, storage
from ..forms import BrandKitForm, BrandKitPreviewForm
from ..models import BrandKit, Video
from ._shared import current


@login_required
def brand_kit_list(request: HttpRequest) -> HttpResponse:
    membership = current(request, "view")
    workspace = membership.team
    kits = list(selectors.brand_kits_for_workspace(workspace=workspace))
    context = {
        "kits": kits,
        "workspace": workspace,
        "can_brand": role_allows(membership.role, "brand"),
        "limit": entitlements.limit_for(workspace, "brand_kits"),
    }
    return render(request, "videos/brand_kit_list.html", context)


@login_required
def brand_kit_create(request: HttpRequest) -> HttpResponse:
    membership = current(request, "brand")
    form = BrandKitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            kit = services.brand_kit_create(
                workspace=membership.team, actor=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Brand kit “%(name)s” was created.") % {"name": kit.name})
            return redirect("videos:brand_kits")
    return render(
        request, "videos/brand_kit_form.html", {"form": form, "workspace": membership.team}
    )


def _kit(request: HttpRequest, kit_id: int, action: str) -> BrandKit:
    return get_for_user(request.user, BrandKit.objects.select_related("workspace"), kit_id, action)


@login_required
def brand_kit_edit(request: HttpRequest, kit_id: int) -> HttpResponse:
    kit = _kit(request, kit_id, "brand")
    if request.htmx and request.method == "GET":
        # The live preview: the same image with the settings being edited.
        preview = BrandKitPreviewForm(request.GET)
        query = urlencode(preview.overrides()) if preview.is_valid() else ""
        return render(request, "videos/_brand_kit_preview.html", {"kit": kit, "query": query})
    form = BrandKitForm(request.POST or None, request.FILES or None, instance=kit)
    if request.method == "POST" and form.is_valid():
        try:
            services.brand_kit_update(brand_kit=kit, actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Brand kit “%(name)s” was saved.") % {"name": kit.name})
            return redirect("videos:brand_kits")
    return render(
        request,
        "videos/brand_kit_form.html",
        {"form": form, "kit": kit, "workspace": kit.workspace, "query": ""},
    )


@login_required
@require_POST
def brand_kit_delete(request: HttpRequest, kit_id: int) -> HttpResponse:
    kit = _kit(request, kit_id, "brand")
    name = kit.name
    services.brand_kit_delete(brand_kit=kit, actor=request.user)
    messages.success(request, _("Brand kit “%(name)s” was deleted.") % {"name": name})
    return redirect("videos:brand_kits")


@login_required
@require_GET
def brand_kit_preview(request: HttpRequest, kit_id: int) -> HttpResponse:
    """A PNG of the kit's logo placed on a sample frame (or a video's thumbnail)."""
    kit = _kit(request, kit_id, "view")
    from .. import branding  # imaging libraries: loaded when first needed

    form = BrandKitPreviewForm(request.GET)
    settings = {
        "position": kit.position,
        "opacity": kit.opacity,
        "scale": kit.scale,
        "margin": kit.margin,
    }
    if form.is_valid():
        settings.update(form.overrides())
    frame_key, safe_area = "", None
    if form.is_valid() and form.cleaned_data.get("video"):
        video = get_for_user(request.user, Video, form.cleaned_data["video"], "view")
        if video.workspace_id != kit.workspace_id:
            raise Http404
        # The logo where the video would get it: inside its template's area for logos.
        frame_key, safe_area = video.thumbnail.name, branding.safe_area_of(video.template.spec)
    with tempfile.TemporaryDirectory(prefix="kit-preview-") as scratch:
        try:
            logo = storage.download(kit.logo.name, scratch)
            frame = storage.download(frame_key, scratch) if frame_key else None
            png = branding.preview(logo, frame_path=frame, safe_area=safe_area, **settings)
        except (OSError, ValueError, ValidationError):
            raise Http404 from None
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response
