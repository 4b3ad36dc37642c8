"""Batch export pages: start an export from the video list, follow it live, cancel, download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import error_messages
from teams.permissions import get_for_user

from .. import selectors, services
from ..forms import ExportForm
from ..models import ExportJob
from ._shared import after_refusal, current

EXPORTS_ON_PAGE = 20


def _export(request: HttpRequest, export_id) -> ExportJob:
    return get_for_user(
        request.user,
        ExportJob.objects.select_related("workspace", "requested_by"),
        export_id,
        "export",
    )


@login_required
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    """The "Export selected" button of the video list."""
    membership = current(request, "export")
    form = ExportForm(request.POST)
    if not form.is_valid():
        error_messages(request, form.errors)
        return redirect("videos:list")
    try:
        export = services.export_create(
            workspace=membership.team, video_ids=form.cleaned_data["video_ids"], actor=request.user
        )
    except ValidationError as error:
        error_messages(request, error)
        return redirect(after_refusal(reverse("videos:list"), error))
    messages.info(request, _("Your export has started. We will e-mail you the link too."))
    return redirect("videos:export_detail", export_id=export.pk)


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    membership = current(request, "export")
    exports = selectors.exports_for_workspace(workspace=membership.team, limit=EXPORTS_ON_PAGE)
    return render(
        request, "videos/exports_list.html", {"exports": exports, "workspace": membership.team}
    )


def _status_context(export: ExportJob) -> dict:
    return {"export": export, "download_url": selectors.download_url(export)}


@login_required
def export_detail(request: HttpRequest, export_id) -> HttpResponse:
    export = _export(request, export_id)
    return render(request, "videos/exports_detail.html", _status_context(export))


@login_required
def export_status(request: HttpRequest, export_id) -> HttpResponse:
    """The partial htmx polls while the export is queued or running."""
    export = _export(request, export_id)
    if not request.htmx:
        return redirect("videos:export_detail", export_id=export.pk)
    return render(request, "videos/_export_status.html", _status_context(export))


@login_required
@require_POST
def export_cancel(request: HttpRequest, export_id) -> HttpResponse:
    export = _export(request, export_id)
    try:
        services.export_cancel(export=export, actor=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.info(request, _("The export is being cancelled."))
    return redirect("videos:export_detail", export_id=export.pk)


@require_GET
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    """A signed link (local storage), good until the export expires: what S3 presigns."""
    export = selectors.read_download_token(token)
    if export is None:
        raise Http404
    try:
        handle = default_storage.open(export.file.name, "rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=selectors.download_filename(export),
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
