"""A workspace's videos: the list, the video page with its live status, edit, render,
branding, delete and download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.http import error_messages
from billing import entitlements
from teams.permissions import get_for_user, role_allows

from .. import performance_display, selectors, services, storage
from ..forms import BrandingForm, VideoFilterForm, VideoForm
from ..models import Video
from ..performance_selectors import video_performance
from ._shared import can, current, deleted_kit_message, render_if_asked, start_render

VIDEOS_PER_PAGE = 24


@login_required
def video_list(request: HttpRequest) -> HttpResponse:
    membership = current(request, "view")
    form = VideoFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    videos = selectors.videos_for_workspace(
        workspace=membership.team, search=data.get("q"), status=data.get("status")
    )
    page = Paginator(videos, VIDEOS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "videos": page.object_list,
        "workspace": membership.team,
        "can": can(membership.role),
        "filtered": bool(data.get("q") or data.get("status")),
    }
    return render(request, "videos/video_list.html", context)


def _video(request: HttpRequest, video_id: int, action: str) -> Video:
    return get_for_user(
        request.user,
        Video.objects.select_related("template", "workspace", "brand_kit", "current_version"),
        video_id,
        action,
    )


@login_required
def video_detail(request: HttpRequest, video_id: int) -> HttpResponse:
    video = _video(request, video_id, "view")
    allowed = can(video.user_role)
    branding_form = None
    if allowed["brand"]:
        branding_form = BrandingForm(
            workspace=video.workspace, initial={"brand_kit": video.brand_kit_id}
        )
    deleted_kit = services.deleted_brand_kit_name(video)
    render_kit = services.kit_for_render(video) if allowed["render"] else None
    # The performance card: each published post's latest numbers (one query, no series).
    performance = video_performance(video=video, with_series=False)
    context = {
        "can": allowed,
        "branding_form": branding_form,
        "show_upgrade": bool(request.GET.get("upgrade")),
        # What "Render again" does with the branding, said before it is pressed.
        "render_kit": render_kit,
        "deleted_kit": deleted_kit,
        "deleted_kit_message": deleted_kit_message(deleted_kit) if deleted_kit else "",
        "performance_rows": performance_display.card_rows(performance),
        **_status_context(video),
    }
    return render(request, "videos/video_detail.html", context)


def _status_context(video: Video) -> dict:
    return {
        "video": video,
        "error_message": services.render_error_message(video.error_code)
        if video.error_code
        else "",
    }


@login_required
@require_GET
def video_status(request: HttpRequest, video_id: int) -> HttpResponse:
    """The status partial htmx polls while a render runs; the page reloads when it ends."""
    video = _video(request, video_id, "view")
    if not request.htmx:
        return redirect("videos:detail", video_id=video.pk)
    if not video.is_busy:
        # Only a busy page polls: the render ended, so show the player and the actions.
        return HttpResponseClientRefresh()
    return render(request, "videos/_status.html", _status_context(video))


@login_required
def video_edit(request: HttpRequest, video_id: int) -> HttpResponse:
    video = _video(request, video_id, "edit")
    form = VideoForm(
        request.POST or None,
        request.FILES or None,
        template=video.template,
        video=video,
        allow_full_hd=entitlements.has_feature(video.workspace, "output_1080p"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            video = services.video_update(video=video, actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your changes were saved."))
            return render_if_asked(request, video, render=form.wants_render())
    context = {
        "video": video,
        "template": video.template,
        "form": form,
        "can_render": role_allows(video.user_role, "render"),
        "pro_1080p": entitlements.has_feature(video.workspace, "output_1080p"),
    }
    return render(request, "videos/video_edit.html", context)


@login_required
@require_POST
def video_render(request: HttpRequest, video_id: int) -> HttpResponse:
    return start_render(request, _video(request, video_id, "render"))


@login_required
@require_POST
def video_apply_branding(request: HttpRequest, video_id: int) -> HttpResponse:
    video = _video(request, video_id, "brand")
    form = BrandingForm(request.POST, workspace=video.workspace)
    if not form.is_valid():
        messages.error(request, _("Choose one of this workspace’s brand kits."))
        return redirect("videos:detail", video_id=video.pk)
    try:
        services.video_apply_branding(
            video=video, brand_kit=form.cleaned_data["brand_kit"], actor=request.user
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.info(
            request,
            _("Applying “%(kit)s”. The branded video replaces the current one when it is ready.")
            % {"kit": form.cleaned_data["brand_kit"].name},
        )
    return redirect("videos:detail", video_id=video.pk)


@login_required
@require_POST
def video_delete(request: HttpRequest, video_id: int) -> HttpResponse:
    video = _video(request, video_id, "delete")
    title = video.title
    services.video_delete(video=video, actor=request.user)
    messages.success(request, _("“%(title)s” was deleted.") % {"title": title})
    return redirect("videos:list")


@login_required
@require_GET
def video_download(request: HttpRequest, video_id: int) -> HttpResponse:
    """Members who may download get the file: a short-lived S3 link, or a local stream."""
    video = _video(request, video_id, "download")
    if not video.file:
        raise Http404
    name = selectors.download_name(video)
    if storage.is_local():
        try:
            handle = default_storage.open(video.file.name, "rb")
        except OSError:
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=name, content_type="video/mp4")
    return redirect(selectors.file_url(video.file.name, download_name=name))
