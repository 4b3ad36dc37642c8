"""The webhook pages' forms. Each field is checked by the same function the service and the API
use (`transport.check_url`, `signing.clean_custom_headers`), so the pages refuse what they refuse,
in the same words, next to the input that caused it."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from videocreator.nul import CODE as NUL_CODE
from videocreator.nul import nul_message

from . import catalogue, signing, transport
from .models import DeliveryStatus, Endpoint
from .services import DESCRIPTION_MAX

HEADERS_TEXT_MAX = signing.HEADERS_MAX * (100 + signing.HEADER_VALUE_MAX + 4)
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def event_type_choices() -> list[tuple[str, str]]:
    """Every type an endpoint may subscribe to, in the catalogue's order (not the test event)."""
    return [(key, key) for key in catalogue.EVENT_TYPES if key != catalogue.TEST_EVENT_TYPE]


class EventTypesField(forms.MultipleChoiceField):
    """Checkboxes of event types; an unknown name is refused in the service's words, cut short."""

    def validate(self, value: list[str]) -> None:
        known = dict(self.choices)
        for name in value:
            if name not in known:
                shown = name.replace("\x00", "")[:60]
                raise ValidationError(
                    _("Unknown event type: %(name)s.") % {"name": shown}, code="invalid_event_type"
                )


def headers_text(headers: dict[str, str]) -> str:
    return "\n".join(f"{name}: {value}" for name, value in headers.items())


def parse_headers(text: str) -> dict[str, str]:
    """Parse "Name: value" lines (blank lines skipped) → the headers, or a translated error."""
    headers: dict[str, str] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if not colon or not name:
            raise ValidationError(
                _("Line %(number)d: write each header as “Name: value”.") % {"number": number},
                code="invalid_headers",
            )
        if name.lower() in {known.lower() for known in headers}:
            raise ValidationError(
                _("The header “%(name)s” is given twice.") % {"name": name[:100]},
                code="invalid_headers",
            )
        headers[name] = value
    return signing.clean_custom_headers(headers)


class EndpointForm(forms.Form):
    """Adding an endpoint, and editing one (`endpoint`: its current settings as initial values)."""

    url = forms.CharField(
        label=gettext_lazy("URL"),
        max_length=transport.MAX_URL_LENGTH,
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/webhooks"}),
        help_text=gettext_lazy("Where we POST each event, signed. It must start with https://."),
    )
    description = forms.CharField(
        label=pgettext_lazy("webhook endpoint", "Description"),
        required=False,
        max_length=DESCRIPTION_MAX,
    )
    event_types = EventTypesField(
        label=gettext_lazy("Event types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every event type, including ones added later."),
    )
    headers = forms.CharField(
        label=gettext_lazy("Custom headers"),
        required=False,
        max_length=HEADERS_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Authorization: Bearer …"}),
        help_text=gettext_lazy(
            "Optional. One per line, as “Name: value”; sent with every delivery and stored "
            "encrypted."
        ),
    )

    def __init__(self, *args, endpoint: Endpoint | None = None, **kwargs) -> None:
        if endpoint is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "url": endpoint.url,
                "description": endpoint.description,
                "event_types": list(endpoint.event_types),
                "headers": headers_text(signing.custom_headers(endpoint)),
            }
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = event_type_choices()

    def clean_url(self) -> str:
        return transport.check_url(self.cleaned_data["url"])

    def clean_headers(self) -> dict[str, str]:
        return parse_headers(self.cleaned_data["headers"])

    def chosen_event_types(self) -> set[str]:
        """What to show ticked: what was sent, else the endpoint's own."""
        return set(self["event_types"].value() or [])


def default_recover_since(now: dt.datetime | None = None) -> str:
    """24 hours ago on the reader's wall clock, as a datetime-local input shows it."""
    since = timezone.localtime(now or timezone.now()) - dt.timedelta(hours=24)
    return since.strftime(DATETIME_LOCAL)


class WallClockField(forms.DateTimeField):
    """A datetime-local input's value, read in the active time zone; a NUL is refused rather
    than stripped with the spaces around it."""

    def to_python(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(nul_message(), code=NUL_CODE)
        return super().to_python(value)


class RecoverForm(forms.Form):
    """A moment on the reader's wall clock (the active time zone), from a datetime-local input."""

    since = WallClockField(
        label=gettext_lazy("Failed since"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages={
            "invalid": gettext_lazy("Enter a date and a time, such as 2026-12-24 18:30."),
            "required": gettext_lazy("Enter a date and a time, such as 2026-12-24 18:30."),
        },
    )


class DeliveryFilterForm(forms.Form):
    """The deliveries table's status filter; anything else shows every status."""

    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *DeliveryStatus.choices],
    )

    def status_or_none(self) -> str | None:
        if not self.is_valid():
            return None
        return self.cleaned_data["status"] or None
