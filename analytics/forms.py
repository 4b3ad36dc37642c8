from django import forms
from django.utils.translation import gettext_lazy as _

from .consent import ACCEPTED, DECLINED


class ConsentForm(forms.Form):
    """The banner's answer."""

    choice = forms.ChoiceField(
        choices=[(ACCEPTED, _("Accept")), (DECLINED, _("Decline"))],
        error_messages={"invalid_choice": _("Choose to accept or to decline analytics cookies.")},
    )
