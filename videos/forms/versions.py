"""Restoring an earlier version of a video."""

from __future__ import annotations

from django import forms

from ._shared import typed_text


class RestoreForm(forms.Form):
    note = typed_text()
