"""A video's performance page: each platform's post with its latest numbers, views over time
and a comparison between the platforms. Every member who may view the video sees it."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from teams.permissions import get_for_user
from videocreator.charts import PLOTLY_CSP, chart_page_context

from .. import performance_display
from ..models import Video
from ..performance_selectors import video_performance as performance_of
from ._shared import can


@login_required
@require_GET
@csp_update(PLOTLY_CSP)
def video_performance(request: HttpRequest, video_id: int) -> HttpResponse:
    video = get_for_user(request.user, Video.objects.select_related("template"), video_id, "view")
    performance = performance_of(video=video)
    context = {
        "video": video,
        "can": can(video.user_role),
        **performance_display.page_context(performance),
        **chart_page_context(),
    }
    return render(request, "videos/video_performance.html", context)
