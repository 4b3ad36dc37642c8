"""The privacy e-mails: one function each, in the recipient's language and time zone."""

from __future__ import annotations

import zoneinfo

from django.utils import timezone

from accounts.emails import language_for, send_templated_email
from accounts.http import absolute_url

from .models import AccountDeletion, DataExport


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def send_data_export_ready(export: DataExport) -> None:
    """Tell the person their ZIP is ready: the link needs their sign-in, and works until it
    expires (shown in their time zone, named)."""
    user = export.user
    profile = getattr(user, "profile", None)
    zone = _zone(profile.time_zone if profile else "UTC")
    with timezone.override(zone):
        send_templated_email(
            template="data_export_ready",
            to=[user.email],
            language=language_for(user),
            context={
                "user": user,
                "export": export,
                "time_zone": zone.key,
                "download_url": absolute_url("accounts:data_export_download", export.pk),
                "privacy_url": absolute_url("accounts:privacy"),
            },
        )


def send_account_deleted(deletion: AccountDeletion) -> None:
    """Confirm a deletion to the address the account had, in the language it used."""
    zone = _zone(deletion.time_zone)
    with timezone.override(zone):
        send_templated_email(
            template="account_deleted",
            to=[deletion.email],
            language=deletion.language or "en",
            context={"deletion": deletion, "time_zone": zone.key},
        )
