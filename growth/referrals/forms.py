import datetime

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from teams.models import Team


class ApplyCodeForm(forms.Form):
    code = forms.CharField(label=_("Referral code"), max_length=20, strip=True)


class InviteForm(forms.Form):
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Up to 10, separated by commas or lines."),
    )
    message = forms.CharField(
        label=_("Personal message (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        choices=settings.LANGUAGES,
        help_text=_("Used when your friend has no account with a language of their own."),
    )


class ClaimForm(forms.Form):
    workspace = forms.ModelChoiceField(
        label=_("Workspace"),
        queryset=Team.objects.none(),
        error_messages={"invalid_choice": _("Choose a workspace you own.")},
    )

    def __init__(self, *args, workspaces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workspace"].queryset = Team.objects.filter(
            pk__in=[workspace.pk for workspace in workspaces]
        )


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


ISO_DATE = "%Y-%m-%d"
DEFAULT_DAYS = 30
# Dates outside these years are typing mistakes, and far years overflow the databases' dates.
FIRST_YEAR, LAST_YEAR = 2000, 2999


class StatsRangeForm(forms.Form):
    """The staff page's range: GET `from` and `to`, UTC days, both included. Left out, the
    range is the last `DEFAULT_DAYS` days ending today; a `to` after today is cut to today
    (`notes` says so). A date that is not one, outside 2000–2999, or a start after the end
    is an error. (The business dashboard has the same rules, but growth may not import it.)"""

    start = forms.DateField(label=_("From"), required=False, input_formats=[ISO_DATE])
    end = forms.DateField(label=_("To"), required=False, input_formats=[ISO_DATE])
    # `from` is a Python keyword: the fields are `start` and `end`, the parameters these.
    PARAMETERS = {"start": "from", "end": "to"}

    def __init__(self, data=None, *, today: datetime.date, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.today = today
        self.notes: list[str] = []

    def add_prefix(self, field_name: str) -> str:
        return self.PARAMETERS.get(field_name, field_name)

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(
                    name,
                    _("Choose a date between %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
        if self.errors:
            return cleaned
        end = cleaned.get("end") or self.today
        if end > self.today:
            end = self.today
            self.notes.append(_("Days after today have no figures yet: the range ends today."))
        start = cleaned.get("start") or end - datetime.timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            self.add_error("start", _("The start must not be after the end."))
            return cleaned
        cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def messages(self) -> list[str]:
        return [str(message) for messages in self.errors.values() for message in messages]
