from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Team
from .permissions import get_for_user
from .selectors import CURRENT_WORKSPACE_SESSION_KEY, current_workspace, workspace_members


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def workspace_switch(request: HttpRequest) -> HttpResponse:
    team = get_for_user(request.user, Team, request.POST.get("workspace"), "view")
    request.session[CURRENT_WORKSPACE_SESSION_KEY] = team.id
    messages.success(request, _("Switched to %(name)s.") % {"name": team.name})
    return redirect(_safe_next(request, "dashboard"))


@login_required
def team_page(request: HttpRequest) -> HttpResponse:
    workspace = current_workspace(request=request)
    members = workspace_members(workspace=workspace) if workspace else []
    return render(request, "teams/team.html", {"workspace": workspace, "members": members})
