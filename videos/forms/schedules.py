"""Scheduling a video to connected accounts, and moving a schedule to another time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from ._shared import ValueListField, typed_text


class RescheduleForm(forms.Form):
    """A date and a time as the user's wall clock shows them; the view applies the zone."""

    date = typed_text()
    time = typed_text()

    def needs_moment(self, data: dict[str, Any]) -> bool:
        return True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.needs_moment(data):
            return data
        try:
            data["moment"] = dt.datetime.combine(
                dt.date.fromisoformat(data.get("date", "")),
                dt.time.fromisoformat(data.get("time", "")),
            )
        except ValueError:
            self.add_error(
                "date",
                forms.ValidationError(
                    _("Enter a date and a time, such as 2026-12-24 and 18:30."),
                    code="bad_datetime",
                ),
            )
        return data


class ScheduleForm(RescheduleForm):
    """When (a date and time, or `when=now`), the chosen accounts, and a title and caption for
    each of the workspace's accounts (`title_<id>`, `caption_<id>`); and the platforms to
    publish to by hand (`manual`), each with its own (`title_manual_<platform>`, …)."""

    when = typed_text()
    account = ValueListField()
    manual = ValueListField()

    def __init__(
        self,
        *args: Any,
        accounts: Iterable[Any],
        manual_platforms: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for account in accounts:
            self.fields[f"title_{account.pk}"] = typed_text()
            self.fields[f"caption_{account.pk}"] = typed_text()
        for key in manual_platforms:
            self.fields[f"title_manual_{key}"] = typed_text()
            self.fields[f"caption_manual_{key}"] = typed_text()

    def needs_moment(self, data: dict[str, Any]) -> bool:
        return data.get("when") != "now"

    def publishes_now(self) -> bool:
        return self.cleaned_data["when"] == "now"

    def typed_for(self, account_id: object) -> tuple[str, str]:
        """The title and caption typed for an account, to put back after a refusal."""
        title, caption = self[f"title_{account_id}"].value(), self[f"caption_{account_id}"].value()
        return title or "", caption or ""

    def chosen(self) -> set[str]:
        return set(self["account"].value() or [])

    def chosen_manual(self) -> set[str]:
        return set(self["manual"].value() or [])

    def targets(self) -> list[dict[str, Any]]:
        """The accounts chosen, then the platforms to publish to by hand (the service checks
        which platforms those may be)."""
        data = self.cleaned_data
        return [
            {
                "account": account_id,
                "title": data.get(f"title_{account_id}", ""),
                "caption": data.get(f"caption_{account_id}", ""),
            }
            for account_id in data["account"]
            if account_id.isdigit()
        ] + [
            {
                "platform": key,
                "manual": True,
                "title": data.get(f"title_manual_{key}", ""),
                "caption": data.get(f"caption_manual_{key}", ""),
            }
            for key in dict.fromkeys(data["manual"])
        ]


class MarkPublishedForm(forms.Form):
    """The link of a post published by hand (the service checks it)."""

    url = typed_text()


class SkipPostForm(forms.Form):
    """Why a post to publish by hand was not published (optional)."""

    note = typed_text()
