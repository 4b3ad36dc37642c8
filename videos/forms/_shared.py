"""What the videos forms share: putting a service's errors back on the form."""

from __future__ import annotations

from django.core.exceptions import ValidationError


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
