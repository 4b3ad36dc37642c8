"""Reads for the privacy page and API: the latest export, and the download of a ready ZIP."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import content_disposition_header

from accounts.models import User
from videocreator import zips

from .models import DataExport

# A presigned S3 link handed to the signed-in owner is only good for a few minutes.
PRESIGNED_SECONDS = 5 * 60


def latest_export(user: User) -> DataExport | None:
    return DataExport.objects.filter(user=user).order_by("-created_at").first()


def download_filename(export: DataExport) -> str:
    return f"video-creator-data-{export.created_at:%Y-%m-%d}.zip"


def download_response(export: DataExport) -> HttpResponse:
    """The ZIP itself (local storage) or a short-lived presigned link to it (S3); 404 once it
    has expired or when it is not ready. The caller has checked that it is the user's own."""
    if not export.is_downloadable:
        raise Http404
    key, filename = export.file.name, download_filename(export)
    if zips.storage_is_local():
        try:
            handle = default_storage.open(key, "rb")
        except OSError:
            raise Http404 from None
        response: HttpResponse = FileResponse(
            handle, as_attachment=True, filename=filename, content_type="application/zip"
        )
    else:
        seconds = int((export.expires_at - timezone.now()).total_seconds())
        response = HttpResponseRedirect(
            default_storage.url(
                key,
                expire=max(1, min(seconds, PRESIGNED_SECONDS)),
                parameters={
                    "ResponseContentDisposition": content_disposition_header(True, filename)
                },
            )
        )
    response["Cache-Control"] = "private, no-store"
    return response
