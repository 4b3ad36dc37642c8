"""The share link (/r/<code>) and the "Refer a friend" page with its actions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import absolute_url, error_messages
from teams.permissions import get_for_user

from . import selectors
from .codes import code_for, code_named, code_normalise
from .forms import ApplyCodeForm, ClaimForm, InviteForm
from .invitations import invitations_send
from .models import ReferralClick, ReferralReward, Source
from .rewards import reward_claim
from .services import has_paid, referral_apply


@require_GET
def share(request: HttpRequest, code: str) -> HttpResponse:
    """A share link: remembered for REFERRAL_COOKIE_DAYS, then on to sign-up with the code."""
    referral_code = code_named(code)
    if referral_code is None:
        raise Http404
    cookie = settings.REFERRAL_COOKIE_NAME
    if code_normalise(request.COOKIES.get(cookie, "")) != referral_code.code:
        ReferralClick.objects.create(code=referral_code)
    if request.user.is_authenticated:
        target = reverse("referrals:page") + "?" + urlencode({"code": referral_code.code})
    else:
        target = reverse("account_signup") + "?" + urlencode({"ref": referral_code.code})
    response = redirect(target)
    response.set_cookie(
        cookie,
        referral_code.code,
        max_age=settings.REFERRAL_COOKIE_DAYS * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure(),
    )
    return response


def _page(request: HttpRequest, *, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    code = code_for(user=user)
    workspaces = selectors.claim_workspaces(user=user)
    referral = selectors.referral_of(user=user)
    can_apply = referral is None and not has_paid(user)
    context = {
        "code": code,
        "share_url": absolute_url("referrals:share", code.code),
        "stats": selectors.referral_stats(user=user),
        "referrals": selectors.referrals_made(user=user),
        "referral": referral,
        "can_apply": can_apply,
        "apply_form": forms.get("apply_form")
        or ApplyCodeForm(initial={"code": request.GET.get("code", "")[:20]}),
        "invite_form": forms.get("invite_form")
        or InviteForm(initial={"language": translation.get_language()}),
        "claim_form": ClaimForm(workspaces=workspaces),
        "workspaces": workspaces,
        "percent": settings.REFERRAL_DISCOUNT_PERCENT,
        "yearly_cap": settings.REFERRAL_YEARLY_CAP,
    }
    return render(request, "referrals/page.html", context, status=status)


@login_required
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplyCodeForm(request.POST)
    if form.is_valid():
        try:
            referral_apply(referee=request.user, code=form.cleaned_data["code"], source=Source.PAGE)
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(
                request,
                _("Referral code applied: %(percent)s%% off your first month of Pro.")
                % {"percent": settings.REFERRAL_DISCOUNT_PERCENT},
            )
            return redirect("referrals:page")
    return _page(request, status=400, apply_form=form)


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            sent = invitations_send(
                sender=request.user,
                addresses=form.cleaned_data["addresses"],
                message=form.cleaned_data["message"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_error("addresses", error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(addresses)s.")
                % {"addresses": ", ".join(invitation.email for invitation in sent)},
            )
            return redirect("referrals:page")
    return _page(request, status=400, invite_form=form)


@login_required
@require_POST
def claim(request: HttpRequest, reward_id: int) -> HttpResponse:
    reward = get_for_user(request.user, ReferralReward, reward_id, "view")
    form = ClaimForm(request.POST, workspaces=selectors.claim_workspaces(user=request.user))
    if not form.is_valid():
        error_messages(request, form.errors)
        return redirect("referrals:page")
    try:
        reward = reward_claim(
            reward=reward, actor=request.user, workspace=form.cleaned_data["workspace"]
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(
            request,
            _("Your free month of Pro went to %(workspace)s.")
            % {"workspace": reward.workspace.display_name},
        )
    return redirect("referrals:page")
