"""A video's versions: the history, playing one version, restoring it, comparing two."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import error_messages
from teams.permissions import get_for_user
from teams.selectors import thread_chunk, version_review

from .. import selectors, services
from ..forms import RestoreForm
from ..models import Template, Video, VideoVersion
from ._shared import can


def video_for_action(request: HttpRequest, video_id: int, action: str) -> Video:
    return get_for_user(
        request.user, Video.objects.select_related("template", "workspace"), video_id, action
    )


# What the version page does not show of the video and its template: the template's spec and
# its name and description in every language (37 columns, 3 used), the video's fields. Each
# column read is compiled, converted and set on a model on every view of the page.
_VERSION_PAGE_UNUSED = [
    *(
        f"video__template__{field.name}"
        for field in Template._meta.concrete_fields
        if field.name not in ("id", "aspect_ratio", "fields")
    ),
    *(
        f"video__{field.name}"
        for field in Video._meta.concrete_fields
        if field.name not in ("id", "workspace", "template", "title", "status", "current_version")
    ),
]


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
    video = video_for_action(request, video_id, "view")
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
    # The version, its video and the reader's role in one query (404 for outsiders and for a
    # version that does not exist, as video_for_action and then the version would give).
    versions = (
        VideoVersion.objects.filter(video_id=video_id)
        .select_related("author", "video__template")
        .defer(*_VERSION_PAGE_UNUSED)
    )
    version = get_for_user(request.user, versions, number, "view", field="number")
    version.video.user_role = version.user_role
    return version_page(request, version.video, number, version=version)


def version_page(
    request: HttpRequest,
    video: Video,
    number: int,
    *,
    form: dict | None = None,
    errors: list[str] | None = None,
    status: int = 200,
    version: VideoVersion | None = None,
) -> HttpResponse:
    """The version with its player, review decision and comment threads.

    The page stays small however many comments the version has: the timeline's markers come
    as a compact list that review.js draws, the @-autocomplete asks `mention_candidates` for
    the members when first used, and the threads come a chunk at a time.
    `?threads_after=<thread>` continues after a thread (as a whole page, or as just the next
    threads for htmx to append), and `?thread=<comment>` makes sure that comment's thread is
    on the page. `form` and `errors` carry a refused comment back into the page, text intact;
    `version` is the version when it was read already.
    """
    if version is None:
        version = selectors.video_version(video=video, number=number)
    if version is None:
        raise Http404
    hide_resolved = request.GET.get("resolved") == "hide"
    after = _int(request.GET.get("threads_after"))
    context = {
        "video": video,
        "version": version,
        "can": can(video.user_role),
        "hide_resolved": hide_resolved,
        # A refused reply comes back under its comment, text intact.
        "reply_to": _int(request.GET.get("reply")) or _int((form or {}).get("parent")),
        "editing": _int(request.GET.get("edit")),
        "form": form or {},
    }
    if request.htmx and after is not None:  # "Load more comments": the next threads only
        context["review"] = thread_chunk(version=version, hide_resolved=hide_resolved, after=after)
        response = render(request, "videos/_comment_threads.html", context)
    else:
        thread = _int(request.GET.get("thread")) or context["reply_to"] or context["editing"]
        context |= {
            "row": _rows(video, [version])[0],
            "review": version_review(
                version=version, hide_resolved=hide_resolved, after=after, thread=thread
            ),
            "form_errors": errors or [],
            "duration_ms": max(round(version.duration * 1000), 1),
        }
        response = render(request, "videos/version_detail.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _int(value: str | None) -> int | None:
    """An id from the query string or a form; None if it is not one (not plain digits, or too
    long for a database integer: "²" and "9" * 30 must not reach a query)."""
    if value and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


@login_required
@require_POST
def video_version_restore(request: HttpRequest, video_id: int, number: int) -> HttpResponse:
    video = video_for_action(request, video_id, "edit")
    form = RestoreForm(request.POST)
    if not form.is_valid():
        error_messages(request, form.errors)
        return redirect("videos:history", video_id=video.pk)
    try:
        version = services.version_restore(
            video=video, number=number, actor=request.user, note=form.cleaned_data["note"]
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
    video = video_for_action(request, video_id, "view")
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
