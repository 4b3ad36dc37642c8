"""The template library and the page that makes a video from a template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from billing import entitlements
from teams.permissions import role_allows

from .. import selectors, services
from ..forms import TemplateFilterForm, VideoForm
from ..models import Template
from ._shared import current, render_if_asked


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    membership = current(request, "view")
    form = TemplateFilterForm(request.GET or None)
    filters = form.filters()
    templates = list(
        selectors.template_library(
            category=filters["category"],
            tag=filters["tag"],
            search=filters["search"],
            ordering=filters["ordering"],
        )
    )
    context = {
        "form": form,
        "templates": templates,
        "active_tag": filters["tag"],
        "tags": selectors.template_tags(),
        "pro_unlocked": entitlements.has_feature(membership.team, "pro_templates"),
        "workspace": membership.team,
    }
    return render(request, "videos/template_list.html", context)


@login_required
def template_detail(request: HttpRequest, key: str) -> HttpResponse:
    """The template with its preview, and the form that makes a video from it."""
    template = get_object_or_404(Template, key=key, is_active=True)
    membership = current(request, "view")
    workspace = membership.team
    locked = template.is_pro and not entitlements.has_feature(workspace, "pro_templates")
    form = VideoForm(
        request.POST or None,
        request.FILES or None,
        template=template,
        allow_full_hd=entitlements.has_feature(workspace, "output_1080p"),
    )
    if request.method == "POST":
        if not role_allows(membership.role, "create"):
            raise PermissionDenied
        if form.is_valid():
            try:
                video = services.video_create(
                    workspace=workspace,
                    template=template,
                    actor=request.user,
                    **form.service_kwargs(),
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                title = {"title": video.title}
                messages.success(request, _("Your video “%(title)s” was created.") % title)
                return render_if_asked(request, video, render=form.wants_render())
    context = {
        "template": template,
        "form": form,
        "locked": locked,
        "workspace": workspace,
        "can_create": role_allows(membership.role, "create"),
        "pro_1080p": entitlements.has_feature(workspace, "output_1080p"),
    }
    return render(request, "videos/template_detail.html", context)
