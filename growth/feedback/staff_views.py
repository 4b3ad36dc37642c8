"""Staff's pages and actions on the board: the RICE list, a request's status, merging, RICE
values, a vote on a customer's behalf, hiding a comment. Everyone else gets 404.

The actions are POSTs from the staff panel of a request's page; a GET goes to that page.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import error_messages, staff_required

from . import rice, services
from .forms import MergeForm, OnBehalfVoteForm, PrioritizedForm, RiceForm, StatusForm
from .models import FeatureRequest
from .views import back_to, comment_or_404, feature_request_or_404


@staff_required
@require_GET
def prioritized(request: HttpRequest) -> HttpResponse:
    """Open, planned and in-progress requests by RICE score, with the MRR behind each."""
    form = PrioritizedForm(request.GET or None, initial={"paying_weight": 1})
    valid = not form.is_bound or form.is_valid()
    weight = (form.cleaned_data.get("paying_weight") if form.is_bound and valid else None) or 1
    rows = rice.prioritized(paying_weight=weight)
    return render(
        request,
        "feedback/prioritized.html",
        {"form": form, "rows": rows, "paying_weight": weight},
        status=200 if valid else 400,
    )


def _staff_action(
    form_class: type[forms.Form],
    act: Callable[[HttpRequest, FeatureRequest, dict], str],
) -> Callable[..., HttpResponse]:
    """A staff POST on one request: validate the form, call the service, say what happened."""

    @staff_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, feature_request_id: int) -> HttpResponse:
        feature_request = feature_request_or_404(feature_request_id)
        if request.method == "GET":
            return redirect("feedback:detail", feature_request.pk)
        form = form_class(request.POST)
        if not form.is_valid():
            error_messages(request, form.errors)
            return back_to(request, feature_request)
        try:
            done = act(request, feature_request, form.cleaned_data)
        except ValidationError as error:
            error_messages(request, error)
            return back_to(request, feature_request)
        messages.success(request, done)
        return back_to(request, feature_request.merged_into_id or feature_request)

    return view


def _set_status(request: HttpRequest, feature_request: FeatureRequest, data: dict) -> str:
    change = services.feature_request_set_status(
        feature_request=feature_request,
        actor=request.user,
        status=data["status"],
        note=data["note"],
    )
    if change is None:
        return _("The status stays the same; the note is saved and no e-mail is sent.")
    return _("Status changed; its followers will get an e-mail.")


def _merge(request: HttpRequest, feature_request: FeatureRequest, data: dict) -> str:
    target = FeatureRequest.objects.filter(pk=data["target"]).first()
    if target is None:
        raise ValidationError({"target": _("There is no request with this number.")})
    services.feature_request_merge(duplicate=feature_request, target=target, actor=request.user)
    feature_request.merged_into_id = target.pk
    return _("Merged: its votes, comments and followers are now on this request.")


def _set_rice(request: HttpRequest, feature_request: FeatureRequest, data: dict) -> str:
    services.feature_request_set_rice(
        feature_request=feature_request,
        actor=request.user,
        impact=data["impact"],
        confidence=data["confidence"],
        effort=data["effort"],
    )
    return _("RICE values saved.")


def _vote_on_behalf(request: HttpRequest, feature_request: FeatureRequest, data: dict) -> str:
    services.feature_request_vote_on_behalf(
        feature_request=feature_request,
        actor=request.user,
        email=data["email"],
        value=data["value"],
        source_note=data["source_note"],
    )
    return _("Vote added on the customer's behalf.")


set_status = _staff_action(StatusForm, _set_status)
merge = _staff_action(MergeForm, _merge)
set_rice = _staff_action(RiceForm, _set_rice)
vote_on_behalf = _staff_action(OnBehalfVoteForm, _vote_on_behalf)


class HideForm(forms.Form):
    hidden = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


@staff_required
@require_http_methods(["GET", "POST"])
def comment_hide(request: HttpRequest, feature_comment_id: int) -> HttpResponse:
    comment = comment_or_404(feature_comment_id)
    page = comment.request.merged_into_id or comment.request_id
    if request.method == "GET":
        return redirect("feedback:detail", page)
    form = HideForm(request.POST)
    if not form.is_valid():
        error_messages(request, form.errors)
        return back_to(request, page)
    hidden = form.cleaned_data["hidden"]
    services.comment_hide(comment=comment, actor=request.user, hidden=hidden)
    messages.success(request, _("Comment hidden.") if hidden else _("Comment shown again."))
    return back_to(request, page)
