"""The sandbox test channel's post page: what the channel "published" (the link a sandbox post
gives back), with the video, its title and caption, and when."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from integrations.models import Platform, SandboxPost
from teams.permissions import get_for_user

from ..publishing.models import PlatformPost


@login_required
@require_GET
def sandbox_post(request: HttpRequest, sandbox_post_id: int) -> HttpResponse:
    sandbox = get_for_user(
        request.user,
        SandboxPost.objects.select_related("account__workspace"),
        sandbox_post_id,
        "view",
    )
    # Our post it answers (the platform's id of a post is its remote id), for the way back.
    post = (
        PlatformPost.objects.select_related("schedule__video")
        .filter(
            platform=Platform.SANDBOX,
            remote_id=str(sandbox.pk),
            schedule__workspace=sandbox.account.workspace,
        )
        .first()
    )
    width, height = sandbox.width, sandbox.height
    ratio = "916" if height > width else "11" if height == width else "169"
    context = {"sandbox": sandbox, "post": post, "ratio": ratio}
    return render(request, "videos/sandbox_post.html", context)
