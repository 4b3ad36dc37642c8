from django import forms
from django.utils.translation import gettext_lazy as _


class DataExportForm(forms.Form):
    """Asking for one's data takes no input; the form keeps every POST behind a Form."""


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it is you."),
    )
