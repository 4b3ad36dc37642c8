"""The video list's "Export selected" button."""

from __future__ import annotations

from django import forms

from ._shared import ValueListField


class ExportForm(forms.Form):
    video_ids = ValueListField()
