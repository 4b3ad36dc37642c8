"""The connected-accounts page, connecting through OAuth, and disconnecting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.http import error_messages
from teams.permissions import get_for_user, role_allows, workspace_for_page

from . import services
from .models import ConnectedAccount, Platform
from .selectors import platform_rows


@login_required
@require_GET
def accounts_page(request: HttpRequest) -> HttpResponse:
    membership = workspace_for_page(request, "view")
    context = {
        "workspace": membership.team,
        "rows": platform_rows(workspace=membership.team),
        "can_connect": role_allows(membership.role, "schedule"),
    }
    return render(request, "integrations/accounts.html", context)


@login_required
@require_POST
def connect(request: HttpRequest, platform: str) -> HttpResponse:
    membership = workspace_for_page(request, "schedule")
    if platform == Platform.SANDBOX:  # no OAuth: connected at once
        services.connect_sandbox(workspace=membership.team, actor=request.user)
        messages.success(
            request,
            _("The sandbox test channel is connected. Schedule a video to it to try publishing."),
        )
        back = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = f"{reverse('integrations:accounts')}?workspace={membership.team.pk}"
        return redirect(back)
    try:
        url = services.connect_start(
            session=request.session,
            workspace=membership.team,
            platform_key=platform,
            actor=request.user,
        )
    except ValidationError as error:
        error_messages(request, error)
        return redirect("integrations:accounts")
    return redirect(url)


@login_required
@require_GET
def callback(request: HttpRequest, platform: str) -> HttpResponse:
    """Where the platform sends the person back with `code` and `state` (or `error`)."""
    try:
        accounts = services.connect_complete(
            session=request.session,
            platform_key=platform,
            state=request.GET.get("state", ""),
            code=request.GET.get("code", ""),
            error=request.GET.get("error", ""),
            actor=request.user,
        )
    except ValidationError as error:
        error_messages(request, error)
        return redirect("integrations:accounts")
    names = ", ".join(account.name for account in accounts)
    messages.success(
        request,
        ngettext("Connected %(names)s.", "Connected %(names)s.", len(accounts)) % {"names": names},
    )
    return redirect("integrations:accounts")


@login_required
@require_POST
def disconnect(request: HttpRequest, account_id: int) -> HttpResponse:
    account = get_for_user(request.user, ConnectedAccount, account_id, "schedule")
    services.account_disconnect(account=account, actor=request.user)
    messages.success(
        request,
        _("%(name)s is disconnected. Posts scheduled to it wait until you connect it again.")
        % {"name": account.name},
    )
    return redirect("integrations:accounts")
