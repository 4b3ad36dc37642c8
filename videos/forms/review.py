"""Reviewing a version on its page: a comment or reply, editing one, resolving a thread, the
decision. Text goes to the services as typed; they check it and word the errors."""

from __future__ import annotations

from django import forms

from ._shared import typed_text


class ThreadFilterForm(forms.Form):
    # The page's "hide resolved" filter rides along, so the page comes back as it was left.
    resolved = typed_text()

    def hides_resolved(self) -> bool:
        return self.cleaned_data.get("resolved") == "hide"


class CommentForm(ThreadFilterForm):
    """A comment at a time (`at`, optionally `until`), or a reply to `parent`."""

    text = typed_text()
    at = typed_text()
    until = typed_text()
    parent = typed_text()

    def typed(self) -> dict[str, str]:
        """What was typed, to put back in the boxes after a refusal."""
        return {key: self.cleaned_data[key] for key in ("text", "at", "until", "parent")}


class CommentEditForm(ThreadFilterForm):
    text = typed_text()


class CommentResolveForm(ThreadFilterForm):
    action = typed_text()

    def reopens(self) -> bool:
        return self.cleaned_data["action"] == "unresolve"


class ReviewDecisionForm(forms.Form):
    decision = typed_text()
    note = typed_text()
