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
