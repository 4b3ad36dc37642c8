"""The board's pages: the board, a request, submitting one, voting, comments, following; the
public roadmap and changelog. Staff's pages and actions are in `staff_views.py`.

A POST redirects back with a message; bad input shows its errors and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import error_messages, is_staff, safe_next_url
from videocreator.api import DATABASE_ID_MAX

from . import selectors, services
from .forms import (
    BoardFilterForm,
    CommentForm,
    FeatureRequestForm,
    MergeForm,
    OnBehalfVoteForm,
    RiceForm,
    StatusForm,
    SubscriptionForm,
    VoteForm,
)
from .models import Category, Comment, FeatureRequest, Status

PER_PAGE = 25


def feature_request_or_404(feature_request_id: int) -> FeatureRequest:
    """One request by id; 404 for ids no database holds."""
    if feature_request_id > DATABASE_ID_MAX:
        raise Http404
    return get_object_or_404(FeatureRequest, pk=feature_request_id)


def comment_or_404(comment_id: int) -> Comment:
    if comment_id > DATABASE_ID_MAX:
        raise Http404
    return get_object_or_404(Comment.objects.select_related("request"), pk=comment_id)


def back_to(request: HttpRequest, feature_request: FeatureRequest | int) -> HttpResponse:
    pk = feature_request if isinstance(feature_request, int) else feature_request.pk
    return redirect(safe_next_url(request, reverse("feedback:detail", args=[pk])))


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    form = BoardFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(selectors.board(filters=filters), PER_PAGE).get_page(request.GET.get("page"))
    requests = list(page.object_list)
    my_votes = selectors.votes_of(user=request.user, request_ids=[r.pk for r in requests])
    rows = [{"request": r, "my_vote": my_votes.get(r.pk, 0)} for r in requests]
    return render(
        request,
        "feedback/board.html",
        {"form": form, "filters": filters, "page": page, "rows": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    form = FeatureRequestForm(
        request.POST if request.method == "POST" else None,
        initial={"category": Category.OTHER},
    )
    if form.is_bound and form.is_valid():
        try:
            feature_request = services.feature_request_create(
                author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you! Your request is on the board."))
            return redirect("feedback:detail", feature_request.pk)
    status = 400 if form.is_bound else 200
    similar = selectors.similar(title=form.data.get("title", "")) if form.is_bound else []
    return render(request, "feedback/new.html", {"form": form, "similar": similar}, status=status)


@login_required
@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """The requests like the title being typed (htmx swaps this partial in as one types)."""
    title = request.GET.get("title", "")[:200]
    return render(request, "feedback/_similar.html", {"similar": selectors.similar(title=title)})


@login_required
@require_GET
def detail(request: HttpRequest, feature_request_id: int) -> HttpResponse:
    feature_request = feature_request_or_404(feature_request_id)
    if feature_request.merged_into_id is not None:
        messages.info(
            request,
            _("“%(title)s” was merged into this request.") % {"title": feature_request.title},
        )
        return redirect("feedback:detail", feature_request.merged_into_id)
    return detail_page(request, feature_request)


def detail_page(
    request: HttpRequest,
    feature_request: FeatureRequest,
    *,
    status: int = 200,
    comment_form: CommentForm | None = None,
) -> HttpResponse:
    """The request's page; shown again with a 400 when what was sent from it was not valid."""
    staff = is_staff(request.user)
    context = {
        "feature_request": feature_request,
        "my_vote": selectors.votes_of(user=request.user, request_ids=[feature_request.pk]).get(
            feature_request.pk, 0
        ),
        "comments": selectors.comments_on(feature_request=feature_request, staff=staff),
        "history": selectors.status_history(feature_request=feature_request),
        "subscribed": selectors.is_subscribed(feature_request=feature_request, user=request.user),
        "comment_form": comment_form or CommentForm(),
        "staff": staff,
    }
    if staff:
        context.update(
            status_form=StatusForm(
                initial={"status": feature_request.status, "note": feature_request.status_note}
            ),
            merge_form=MergeForm(),
            rice_form=RiceForm(
                initial={
                    "impact": feature_request.impact,
                    "confidence": feature_request.confidence,
                    "effort": feature_request.effort,
                }
            ),
            on_behalf_form=OnBehalfVoteForm(),
        )
    return render(request, "feedback/detail.html", context, status=status)


@login_required
@require_POST
def vote(request: HttpRequest, feature_request_id: int) -> HttpResponse:
    feature_request = feature_request_or_404(feature_request_id)
    form = VoteForm(request.POST)
    if not form.is_valid():
        error_messages(request, form.errors)
        return detail_page(request, feature_request, status=400)
    try:
        if form.cleaned_data["value"] == 0:
            services.feature_request_unvote(feature_request=feature_request, user=request.user)
        else:
            services.feature_request_vote(
                feature_request=feature_request, user=request.user, value=form.cleaned_data["value"]
            )
    except ValidationError as error:
        error_messages(request, error)
    if request.htmx:  # the buttons and score again, from the row as it is now
        feature_request.refresh_from_db()
        my_vote = selectors.votes_of(user=request.user, request_ids=[feature_request.pk])
        return render(
            request,
            "feedback/_vote.html",
            {"feature_request": feature_request, "my_vote": my_vote.get(feature_request.pk, 0)},
        )
    return back_to(request, feature_request)


@login_required
@require_POST
def comment(request: HttpRequest, feature_request_id: int) -> HttpResponse:
    feature_request = feature_request_or_404(feature_request_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return detail_page(request, feature_request, status=400, comment_form=form)
    try:
        services.feature_request_comment(
            feature_request=feature_request, author=request.user, body=form.cleaned_data["body"]
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Comment added."))
    return back_to(request, feature_request)


@login_required
@require_http_methods(["GET", "POST"])
def subscription(request: HttpRequest, feature_request_id: int) -> HttpResponse:
    """Follow or unfollow a request (the e-mails' unsubscribe link lands here)."""
    feature_request = feature_request_or_404(feature_request_id)
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            subscribed = form.cleaned_data["subscribed"]
            services.feature_request_subscribe(
                feature_request=feature_request, user=request.user, subscribed=subscribed
            )
            messages.success(
                request,
                _("You will get an e-mail when its status changes.")
                if subscribed
                else _("You will no longer get e-mails about this request."),
            )
        else:
            error_messages(request, form.errors)
        return back_to(request, feature_request)
    subscribed = selectors.is_subscribed(feature_request=feature_request, user=request.user)
    return render(
        request,
        "feedback/subscription.html",
        {"feature_request": feature_request, "subscribed": subscribed},
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, feature_comment_id: int) -> HttpResponse:
    comment = comment_or_404(feature_comment_id)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    form = CommentForm(
        request.POST if request.method == "POST" else None, initial={"body": comment.body}
    )
    if form.is_bound and form.is_valid():
        try:
            services.comment_edit(
                comment=comment, actor=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Comment saved."))
            return back_to(request, comment.request.merged_into_id or comment.request_id)
    return render(
        request,
        "feedback/comment_edit.html",
        {"comment": comment, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def comment_delete(request: HttpRequest, feature_comment_id: int) -> HttpResponse:
    comment = comment_or_404(feature_comment_id)
    services.comment_delete(comment=comment, actor=request.user)
    messages.success(request, _("Comment deleted."))
    return back_to(request, comment.request.merged_into_id or comment.request_id)


# -- public -----------------------------------------------------------------------------------


@require_GET
def roadmap(request: HttpRequest) -> HttpResponse:
    columns = selectors.roadmap()
    return render(
        request,
        "feedback/roadmap.html",
        {
            "columns": [
                (Status.PLANNED.label, columns[Status.PLANNED]),
                (Status.IN_PROGRESS.label, columns[Status.IN_PROGRESS]),
                (Status.SHIPPED.label, columns[Status.SHIPPED]),
            ]
        },
    )


@require_GET
def changelog(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.changelog(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "feedback/changelog.html", {"page": page})
