"""One post of a schedule: its page and log; for a post published by hand, the download,
marking it published with its link, and skipping it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from teams.permissions import get_for_user

from .. import selectors as video_selectors
from .. import storage
from ..forms import MarkPublishedForm, SkipPostForm
from ..publishing import manual, selectors
from ..publishing.models import PlatformPost
from ._shared import can


def _post(request: HttpRequest, schedule_id: int, post_id: int, action: str) -> PlatformPost:
    """The post, if it belongs to the schedule and the user may do `action` (404 / 403)."""
    schedule = get_for_user(
        request.user, selectors.schedule_detail(schedule_id=schedule_id), schedule_id, action
    )
    post = (
        PlatformPost.objects.select_related("account").filter(pk=post_id, schedule=schedule).first()
    )
    if post is None:
        raise Http404
    post.schedule = schedule
    return post


def _page(
    request: HttpRequest, post: PlatformPost, *, errors: list[str] | None = None, url: str = ""
) -> HttpResponse:
    context = {
        "schedule": post.schedule,
        "post": post,
        "attempts": selectors.post_attempts(post=post),
        "can": can(post.schedule.user_role),
        "errors": errors or [],
        "typed_url": url,
    }
    return render(request, "videos/post_detail.html", context, status=400 if errors else 200)


@login_required
@require_GET
def post_detail(request: HttpRequest, schedule_id: int, post_id: int) -> HttpResponse:
    return _page(request, _post(request, schedule_id, post_id, "view"))


@login_required
@require_GET
def post_download(request: HttpRequest, schedule_id: int, post_id: int) -> HttpResponse:
    """The file of the version the post publishes (what to upload by hand)."""
    post = _post(request, schedule_id, post_id, "download")
    version = post.schedule.version
    if version is None or not version.file:
        raise Http404
    name = video_selectors.download_name(post.schedule.video)
    if not storage.is_local():
        return redirect(video_selectors.file_url(version.file.name, download_name=name))
    try:
        handle = default_storage.open(version.file.name, "rb")
    except OSError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=name, content_type="video/mp4")


@login_required
@require_POST
def post_mark_published(request: HttpRequest, schedule_id: int, post_id: int) -> HttpResponse:
    """A refused link shows the page again (400) with the error and what was typed."""
    post = _post(request, schedule_id, post_id, "schedule")
    form = MarkPublishedForm(request.POST)
    url = form.cleaned_data.get("url", "") if form.is_valid() else ""
    try:
        manual.post_mark_published(post=post, actor=request.user, url=url)
    except ValidationError as error:
        return _page(request, post, errors=error.messages, url=url)
    messages.success(request, _("The post is marked published."))
    return redirect("videos:post_detail", schedule_id=schedule_id, post_id=post.pk)


@login_required
@require_POST
def post_skip(request: HttpRequest, schedule_id: int, post_id: int) -> HttpResponse:
    post = _post(request, schedule_id, post_id, "schedule")
    form = SkipPostForm(request.POST)
    note = form.cleaned_data.get("note", "") if form.is_valid() else ""
    try:
        manual.post_skip(post=post, actor=request.user, note=note)
    except ValidationError as error:
        return _page(request, post, errors=error.messages)
    messages.success(request, _("The post is skipped: it will not be published."))
    return redirect("videos:post_detail", schedule_id=schedule_id, post_id=post.pk)
