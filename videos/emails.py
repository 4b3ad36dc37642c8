"""One function per e-mail; each goes out in the recipient's language."""

from __future__ import annotations

from accounts.emails import language_for, send_templated_email
from accounts.http import absolute_url

from .models import ExportJob


def send_export_ready(*, export: ExportJob, download_url: str) -> None:
    """Tell the requester their ZIP is ready, with the link (valid until it expires)."""
    user = export.requested_by
    send_templated_email(
        template="export_ready",
        to=[user.email],
        language=language_for(user),
        context={
            "user": user,
            "export": export,
            "workspace": export.workspace,
            "download_url": download_url,
            "export_url": absolute_url("videos:export_detail", export.pk),
        },
    )
