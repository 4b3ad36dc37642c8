"""The date range of the staff dashboards and their API: GET `from` and `to`, ISO dates."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .business import MAX_REPORT_DAYS
from .display import format_value
from .engagement import FIRST_DAY, day_start

DEFAULT_DAYS = 30
ISO_DATE = "%Y-%m-%d"


def utc_today() -> dt.date:
    return timezone.now().astimezone(dt.UTC).date()


class DateRangeForm(forms.Form):
    """`?from=YYYY-MM-DD&to=YYYY-MM-DD`, UTC days, both included. Either may be left out: the
    range then ends today and lasts `DEFAULT_DAYS`. Days after today are cut off and a range
    longer than `MAX_REPORT_DAYS` keeps its last days; `notes` says what was changed. A date
    that is not one, outside 2000–2999, or a start after the end is an error."""

    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        input_formats=[ISO_DATE],
        widget=forms.DateInput(format=ISO_DATE, attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        input_formats=[ISO_DATE],
        widget=forms.DateInput(format=ISO_DATE, attrs={"type": "date"}),
    )
    # `from` is a Python keyword: the fields are `start` and `end`, the parameters these.
    PARAMETERS = {"start": "from", "end": "to"}

    def __init__(self, data=None, *, today: dt.date | None = None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.today = today or utc_today()
        self.notes: list[str] = []

    def add_prefix(self, field_name: str) -> str:
        return self.PARAMETERS.get(field_name, field_name)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        for name, day in (("start", start), ("end", end)):
            if day is not None:
                try:
                    day_start(day)  # in 2000–2999, or a translated ValueError
                except ValueError as error:
                    self.add_error(name, str(error))
        if self.errors:
            return cleaned
        if end is None:
            end = self.today
        elif end > self.today:
            end = self.today
            self.notes.append(_("Days after today have no figures yet: the range ends today."))
        if start is None:  # never before the first day there can be figures for
            start = max(end - dt.timedelta(days=DEFAULT_DAYS - 1), FIRST_DAY)
        if start > end:
            self.add_error("start", _("The start must not be after the end."))
            return cleaned
        if (end - start).days + 1 > MAX_REPORT_DAYS:
            start = end - dt.timedelta(days=MAX_REPORT_DAYS - 1)
            self.notes.append(
                _("A range covers at most %(days)s days: this one starts on %(start)s.")
                % {"days": MAX_REPORT_DAYS, "start": format_value(start, "day")}
            )
        cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def parameter_errors(self) -> dict[str, list[str]]:
        """The errors under the parameters' names (`from`, `to`), for the API."""
        return {
            self.PARAMETERS.get(name, name): [str(message) for message in messages]
            for name, messages in self.errors.items()
        }

    def messages(self) -> list[str]:
        return [str(message) for messages in self.errors.values() for message in messages]
