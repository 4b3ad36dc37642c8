"""Reviewing a version: comments (write, reply, edit, delete, resolve), whom a comment can
@mention, and the decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import error_messages
from teams.mentions import mention_handles
from teams.models import Comment
from teams.permissions import get_for_user
from teams.selectors import thread_markers, workspace_members
from teams.services import review as review_services
from teams.timecodes import parse_timecode

from .. import selectors, services
from ..forms import CommentEditForm, CommentForm, CommentResolveForm, ReviewDecisionForm
from ..models import ReviewState
from .versions import version_page, video_for_action


def _comment(request: HttpRequest, video_id: int, comment_id: int, action: str) -> Comment:
    queryset = Comment.objects.filter(version__video_id=video_id).select_related(
        "version__video", "workspace"
    )
    return get_for_user(request.user, queryset, comment_id, action)


def _back(comment: Comment, *, hide_resolved: bool) -> HttpResponse:
    """To the comment on its version's page, its thread shown even when it is not among the
    first threads (`?thread=`)."""
    url = reverse("videos:version", args=[comment.version.video_id, comment.version.number])
    query = {"thread": comment.thread_id or comment.pk}
    if hide_resolved:
        query["resolved"] = "hide"
    return redirect(f"{url}?{urlencode(query)}#comment-{comment.pk}")


def _version_back(comment: Comment) -> HttpResponse:
    version = comment.version
    return redirect("videos:version", video_id=version.video_id, number=version.number)


@login_required
@require_POST
def comment_post(request: HttpRequest, video_id: int, number: int) -> HttpResponse:
    video = video_for_action(request, video_id, "comment")
    version = selectors.video_version(video=video, number=number)
    if version is None:
        return version_page(request, video, number)  # raises 404
    form = CommentForm(request.POST)
    if not form.is_valid():
        error_messages(request, form.errors)
        return redirect("videos:version", video_id=video.pk, number=number)
    typed = form.typed()
    try:
        comment = review_services.comment_create(
            version=version,
            author=request.user,
            text=typed["text"],
            time_ms=parse_timecode(typed["at"]),
            end_ms=parse_timecode(typed["until"]),
            parent=typed["parent"] or None,
        )
    except ValidationError as error:
        if "parent" in getattr(error, "error_dict", {}):
            typed["parent"] = ""  # no such comment to reply to: the text returns to the main box
        return version_page(request, video, number, form=typed, errors=error.messages, status=400)
    comment.version = version
    return _back(comment, hide_resolved=form.hides_resolved())


@login_required
@require_POST
def comment_edit(request: HttpRequest, video_id: int, comment_id: int) -> HttpResponse:
    comment = _comment(request, video_id, comment_id, "comment")
    form = CommentEditForm(request.POST)
    if not form.is_valid():
        error_messages(request, form.errors)
        return _version_back(comment)
    try:
        review_services.comment_edit(
            comment=comment, actor=request.user, text=form.cleaned_data["text"]
        )
    except ValidationError as error:
        error_messages(request, error)
    return _back(comment, hide_resolved=form.hides_resolved())


@login_required
@require_POST
def comment_delete(request: HttpRequest, video_id: int, comment_id: int) -> HttpResponse:
    comment = _comment(request, video_id, comment_id, "comment")
    try:
        review_services.comment_delete(comment=comment, actor=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Comment deleted."))
    return _version_back(comment)


@login_required
@require_POST
def comment_resolve(request: HttpRequest, video_id: int, comment_id: int) -> HttpResponse:
    comment = _comment(request, video_id, comment_id, "comment")
    form = CommentResolveForm(request.POST)
    if not form.is_valid():
        error_messages(request, form.errors)
        return _version_back(comment)
    if form.reopens():
        review_services.comment_unresolve(comment=comment, actor=request.user)
    else:
        review_services.comment_resolve(comment=comment, actor=request.user)
    return _back(comment, hide_resolved=form.hides_resolved())


# The review page's autocomplete asks once per page; a member who joins meanwhile shows up
# within this many seconds (and is found in the text anyway when the comment is saved).
MENTION_CANDIDATES_MAX_AGE = 60


@login_required
@require_GET
def mention_candidates(request: HttpRequest, video_id: int) -> HttpResponse:
    """Whom a comment on this video can @mention: the workspace's members as the review
    page's autocomplete wants them (teams.mentions.mention_handles), as JSON.

    Asked for by review.js the first time a comment box is focused, not put in every page:
    a workspace may have hundreds of members. Those who may comment may ask; outsiders 404.
    """
    video = video_for_action(request, video_id, "comment")
    members = workspace_members(workspace=video.workspace).only(
        "team", "role", "user__name", "user__email"
    )
    response = JsonResponse(mention_handles(members), safe=False)
    patch_cache_control(response, private=True, max_age=MENTION_CANDIDATES_MAX_AGE)
    return response


@login_required
@require_GET
def comment_markers(request: HttpRequest, video_id: int, number: int) -> HttpResponse:
    """The version's threads for the review page's timeline, as compact JSON for review.js:
    `[[thread, time_ms, end_ms or null, resolved], …]` in reading order, without the resolved
    ones with `?resolved=hide`.

    Asked for by review.js once the page is shown rather than written into every page: a
    version may have thousands of threads. Whoever may see the video may ask; outsiders 404.
    """
    video = video_for_action(request, video_id, "view")
    version = selectors.video_version(video=video, number=number)
    if version is None:
        raise Http404
    markers = thread_markers(version=version, hide_resolved=request.GET.get("resolved") == "hide")
    response = JsonResponse(markers, safe=False, json_dumps_params={"separators": (",", ":")})
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_POST
def version_decide(request: HttpRequest, video_id: int, number: int) -> HttpResponse:
    video = video_for_action(request, video_id, "approve")
    version = selectors.video_version(video=video, number=number)
    if version is None:
        return version_page(request, video, number)  # raises 404
    form = ReviewDecisionForm(request.POST)
    if not form.is_valid():
        error_messages(request, form.errors)
        return redirect("videos:version", video_id=video.pk, number=number)
    try:
        version = services.version_review(
            version=version,
            decision=form.cleaned_data["decision"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        if version.review_state == ReviewState.APPROVED:
            messages.success(request, _("Version %(number)s is approved.") % {"number": number})
        else:
            messages.success(
                request,
                _("Changes requested on version %(number)s.") % {"number": number},
            )
    return redirect("videos:version", video_id=video.pk, number=number)
