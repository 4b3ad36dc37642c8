"""A video's versions: the history, playing one version, restoring it, comparing two."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from teams.permissions import get_for_user

from .. import selectors, services
from ..models import Video
from ._shared import can, error_messages


def _video(request: HttpRequest, video_id: int, action: str) -> Video:
    return get_for_user(
        request.user, Video.objects.select_related("template", "workspace"), video_id, action
    )


def _rows(video: Video, versions) -> list[dict]:
    labels = services.field_labels(video)
    return [
        {
            "version": version,
            "description": services.version_description(version, labels=labels),
            "is_current": version.pk == video.current_version_id,
        }
        for version in versions
    ]


@login_required
@require_GET
def video_history(request: HttpRequest, video_id: int) -> HttpResponse:
    video = _video(request, video_id, "view")
    versions = selectors.video_versions(video=video)
    context = {
        "video": video,
        "rows": _rows(video, versions),
        "can": can(video.user_role),
    }
    return render(request, "videos/version_history.html", context)


@login_required
@require_GET
def video_version(request: HttpRequest, video_id: int, number: int) -> HttpResponse:
    video = _video(request, video_id, "view")
    version = selectors.video_version(video=video, number=number)
    if version is None:
        raise Http404
    context = {
        "video": video,
        "row": _rows(video, [version])[0],
        "can": can(video.user_role),
    }
    return render(request, "videos/version_detail.html", context)


@login_required
@require_POST
def video_version_restore(request: HttpRequest, video_id: int, number: int) -> HttpResponse:
    video = _video(request, video_id, "edit")
    try:
        version = services.version_restore(
            video=video, number=number, actor=request.user, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        error_messages(request, error)
        return redirect("videos:history", video_id=video.pk)
    messages.success(
        request,
        _("Version %(old)s was restored as version %(new)s.")
        % {"old": number, "new": version.number},
    )
    return redirect("videos:history", video_id=video.pk)


@login_required
@require_GET
def video_compare(request: HttpRequest, video_id: int) -> HttpResponse:
    video = _video(request, video_id, "view")
    context = {"video": video, "result": None, "errors": []}
    try:
        result = services.versions_compare(
            video=video, a=request.GET.get("a"), b=request.GET.get("b")
        )
    except ValidationError as error:
        context["errors"] = error.messages
        return render(request, "videos/version_compare.html", context, status=400)
    labels = services.field_labels(video)
    context["result"] = result
    context["rows"] = _rows(video, [result["a"], result["b"]])
    context["changed_fields"] = [labels.get(name, name) for name in result["fields_changed"]]
    return render(request, "videos/version_compare.html", context)
