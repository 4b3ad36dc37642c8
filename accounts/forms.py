import zoneinfo

from allauth.account.adapter import get_adapter
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .models import Profile
from .networks import network_of
from .zones import canonical, listed_zones, zone_choices


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
        # "(UTC+09:00) Tokyo" by region; a zone stored under an old name ("Asia/Calcutta", as
        # some browsers report it at sign-up) is shown, and saved, as its current one.
        zone = self.instance.time_zone
        if canonical(zone) in listed_zones():
            zone = self.initial["time_zone"] = canonical(zone)
        self.fields["time_zone"].choices = zone_choices(current=zone)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("For example the name of the integration that will use it."),
    )


class SignupExtraForm(forms.Form):
    """What allauth's sign-up form asks besides e-mail and password."""

    # Filled in by the browser (static/js/app.js) so times show in the user's zone from day one.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    marketing_emails = forms.BooleanField(
        label=_("Send me product news and tips"),
        required=False,
        help_text=_("Product news and tips by e-mail. You can unsubscribe at any time."),
    )

    referral_code = forms.CharField(
        label=_("Referral code"),
        required=False,
        max_length=20,
        help_text=_("From a friend's invitation: a discount on your first month of Pro."),
    )

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data.get("time_zone", "").strip()
        return zone if zone in zoneinfo.available_timezones() else "UTC"

    def clean_referral_code(self) -> str:
        code = self.cleaned_data.get("referral_code", "").strip()
        if code:
            import_string(settings.REFERRAL_CODE_CHECK)(code)
        return code

    def signup(self, request, user) -> None:
        Profile.objects.filter(user=user).update(
            time_zone=self.cleaned_data["time_zone"],
            marketing_emails=self.cleaned_data["marketing_emails"],
            signup_network=network_of(get_adapter().get_client_ip(request)) if request else "",
        )
        if self.cleaned_data.get("referral_code"):
            import_string(settings.REFERRAL_CODE_APPLY)(
                user=user, code=self.cleaned_data["referral_code"], source="signup"
            )


class LanguageForm(forms.Form):
    """The header's language switcher."""

    language = forms.ChoiceField(
        choices=settings.LANGUAGES,
        error_messages={
            "required": _("That language is not available."),
            "invalid_choice": _("That language is not available."),
        },
    )


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in, through allauth's authenticate: wrong passwords count towards the
    same `login_failed` limit (per IP and per account) as the site's own sign-in page."""

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            self.user_cache = get_adapter(self.request).authenticate(
                self.request, email=email, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
