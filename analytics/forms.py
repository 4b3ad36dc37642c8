from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .consent import ACCEPTED, DECLINED


class ConsentForm(forms.Form):
    """The banner's answer."""

    choice = forms.ChoiceField(
        choices=[
            (ACCEPTED, pgettext_lazy("analytics consent", "Accept")),
            (DECLINED, pgettext_lazy("analytics consent", "Decline")),
        ],
        error_messages={"invalid_choice": _("Choose to accept or to decline analytics cookies.")},
    )
