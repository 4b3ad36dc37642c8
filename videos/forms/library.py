"""The template library's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import selectors
from ..models import Category


class TemplateFilterForm(forms.Form):
    SORTS = [
        ("popular", gettext_lazy("Popular")),
        ("recent", gettext_lazy("Recent")),
        ("duration", gettext_lazy("Shortest")),
        ("-duration", gettext_lazy("Longest")),
    ]

    q = forms.CharField(label=gettext_lazy("Search names and tags"), required=False, max_length=100)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    tag = forms.CharField(label=gettext_lazy("Tag"), required=False, max_length=50)
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False, choices=SORTS)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *Category.choices]

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "category": data.get("category") or "",
            "tag": selectors.clean_tag(data.get("tag")),
            "search": data.get("q") or "",
            "ordering": data.get("sort") or selectors.DEFAULT_TEMPLATE_ORDERING,
        }
