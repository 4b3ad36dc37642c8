from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control

from accounts.models import ApiToken
from teams.selectors import current_membership, workspace_members
from videos.selectors import recent_videos


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@cache_control(max_age=24 * 3600, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico whatever the pages' <link rel="icon"> says."""
    return redirect(static("img/favicon.ico"))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request=request)
    workspace = membership.team if membership else None
    context = {
        "membership": membership,
        "member_count": workspace_members(workspace=workspace).count() if workspace else 0,
        "api_token_count": ApiToken.objects.active().filter(user=request.user).count(),
        "recent_videos": recent_videos(workspace=workspace) if workspace else [],
    }
    return render(request, "dashboard.html", context)
