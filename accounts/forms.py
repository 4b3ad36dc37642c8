from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Profile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["language", "time_zone", "marketing_emails"]
        labels = {
            "language": _("Language"),
            "time_zone": _("Time zone"),
            "marketing_emails": _("Send me product news and tips"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Same as my browser"))] + [
            choice for choice in self.fields["language"].choices if choice[0]
        ]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("For example the name of the integration that will use it."),
    )
