"""The board's forms: every POST and every filter goes through one."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from videocreator.api import DATABASE_ID_MAX

from .models import (
    COMMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SETTABLE_STATUSES,
    SOURCE_NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
)
from .rice import MAX_PAYING_WEIGHT
from .selectors import BoardFilters, Sort

SORT_CHOICES = [
    (Sort.TOP, _("Top voted")),
    (Sort.NEW, _("Newest")),
    (Sort.TRENDING, _("Trending")),
]
VOTE_CHOICES = [("1", _("Up")), ("-1", _("Down")), ("0", _("Remove my vote"))]


class BoardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status"))] + [(s.value, s.label) for s in SETTABLE_STATUSES],
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any category")), *Category.choices]
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)

    def filters(self) -> BoardFilters:
        """The valid filters; a field with a bad value is left out (an error is shown)."""
        data = self.cleaned_data if self.is_valid() else {}
        return BoardFilters(
            q=(data.get("q") or "").strip(),
            status=data.get("status") or "",
            category=data.get("category") or "",
            sort=data.get("sort") or Sort.TOP,
        )


class FeatureRequestForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        # As one types, htmx asks for similar requests and swaps them in under the field.
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "hx-get": reverse_lazy("feedback:similar"),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#similar-requests",
                "hx-swap": "outerHTML",
            }
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What would you like to do, and why does it matter to you?"),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(label=_("Vote"), choices=VOTE_CHOICES, coerce=int)


class SubscriptionForm(forms.Form):
    subscribed = forms.TypedChoiceField(
        choices=[("1", _("Follow")), ("0", _("Unfollow"))], coerce=lambda v: v == "1"
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[(s.value, s.label) for s in SETTABLE_STATUSES]
    )
    note = forms.CharField(
        label=_("Public note"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the request's page and in the e-mail to its followers."),
    )


class MergeForm(forms.Form):
    target = forms.IntegerField(
        label=_("Merge into request #"),
        min_value=1,
        max_value=DATABASE_ID_MAX,
        help_text=_("This request's votes, comments and followers move to that request."),
    )


class RiceForm(forms.Form):
    impact = forms.IntegerField(label=_("Impact (1–10)"), min_value=1, max_value=10, required=False)
    confidence = forms.DecimalField(
        label=_("Confidence (0–1)"),
        min_value=0,
        max_value=1,
        max_digits=3,
        decimal_places=2,
        required=False,
        help_text=_("Empty: 0.8 for a request with votes, 0.5 without."),
    )
    effort = forms.IntegerField(label=_("Effort (1–10)"), min_value=1, max_value=10, required=False)


class OnBehalfVoteForm(forms.Form):
    email = forms.EmailField(label=_("Customer's e-mail address"))
    value = forms.TypedChoiceField(label=_("Vote"), choices=VOTE_CHOICES[:2], coerce=int)
    source_note = forms.CharField(
        label=_("Source"),
        max_length=SOURCE_NOTE_MAX_LENGTH,
        help_text=_("Where it came from, e.g. a support ticket number or a call."),
    )


class PrioritizedForm(forms.Form):
    paying_weight = forms.IntegerField(
        label=_("Weight of a paying voter"),
        min_value=1,
        max_value=MAX_PAYING_WEIGHT,
        required=False,
        help_text=_("A vote from a member of a paying workspace counts this many times."),
    )
