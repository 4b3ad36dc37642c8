from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import safe_next_url

from .models import Team
from .permissions import get_for_user
from .selectors import CURRENT_WORKSPACE_SESSION_KEY, current_workspace, workspace_members


@login_required
@require_POST
def workspace_switch(request: HttpRequest) -> HttpResponse:
    team = get_for_user(request.user, Team, request.POST.get("workspace"), "view")
    request.session[CURRENT_WORKSPACE_SESSION_KEY] = team.id
    messages.success(request, _("Switched to %(name)s.") % {"name": team.name})
    return redirect(safe_next_url(request, reverse("dashboard")))


@login_required
def team_page(request: HttpRequest) -> HttpResponse:
    workspace = current_workspace(request=request)
    members = workspace_members(workspace=workspace) if workspace else []
    return render(request, "teams/team.html", {"workspace": workspace, "members": members})
