"""What the videos forms share: putting a service's errors back on the form, and lists of
posted values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator


class ServiceErrors:
    """Puts a service's ValidationError on the form: messages keyed by a name on that input,
    the rest above the form; a plan limit also leaves the link to upgrade."""

    upgrade_url = ""

    def input_for(self, key: str) -> str:
        return key

    def add_service_error(self, error: ValidationError) -> None:
        self.upgrade_url = getattr(error, "upgrade_url", "") or self.upgrade_url
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            name = self.input_for(key)
            self.add_error(name if name in self.fields else None, messages)


class ValueListField(forms.Field):
    """Every value posted under the field's name, as typed: the service decides which are valid."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        return [str(item) for item in value or []]


def typed_text(**kwargs: Any) -> forms.CharField:
    """A text input passed on exactly as typed (blank when absent): the service checks it.

    Django's CharField refuses NUL characters; here the service decides (a comment drops them,
    as the API does), so the page and the API treat the same text the same way.
    """
    field = forms.CharField(required=False, strip=False, **kwargs)
    field.validators = [
        validator
        for validator in field.validators
        if not isinstance(validator, ProhibitNullCharactersValidator)
    ]
    return field
