from allauth.account.views import SignupView as AllauthSignupView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import ApiTokenForm, LanguageForm, ProfileForm
from .http import error_messages, safe_next_url
from .models import ApiToken


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language switcher: a cookie for everyone, the profile when signed in."""
    form = LanguageForm(request.POST)
    response = HttpResponseRedirect(safe_next_url(request, use_referer=True))
    if not form.is_valid():
        error_messages(request, form.errors)
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.profile_set_language(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


@login_required
def profile_settings(request: HttpRequest) -> HttpResponse:
    profile = request.user.profile
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            user=request.user,
            language=form.cleaned_data["language"],
            time_zone=form.cleaned_data["time_zone"],
            marketing_emails=form.cleaned_data["marketing_emails"],
        )
        messages.success(request, _("Your settings were saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    # Tokens are personal: anyone else's token is simply not found.
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.api_token_revoke(user=request.user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")


class SignupView(AllauthSignupView):
    """allauth's sign-up, with the referral code prefilled from a share link (`?ref=` or the
    cookie /r/<code> set)."""

    def get_initial(self) -> dict:
        initial = super().get_initial()
        code = self.request.GET.get("ref") or self.request.COOKIES.get(
            settings.REFERRAL_COOKIE_NAME, ""
        )
        code = code.replace("\x00", "").strip()[:20]
        if code:
            initial["referral_code"] = code
        return initial


signup = SignupView.as_view()
