"""The privacy e-mails: one function each, in the recipient's language and time zone."""

from __future__ import annotations

from accounts.emails import language_for, send_templated_email, time_zone_for, zone_named
from accounts.http import absolute_url

from .models import AccountDeletion, DataExport


def send_data_export_ready(export: DataExport) -> None:
    """Tell the person their ZIP is ready: the link needs their sign-in, and works until it
    expires (shown in their time zone, named)."""
    user = export.user
    zone = time_zone_for(user) or zone_named("UTC")
    send_templated_email(
        template="data_export_ready",
        to=[user.email],
        language=language_for(user),
        time_zone=zone,
        context={
            "user": user,
            "export": export,
            "time_zone": zone.key,
            "download_url": absolute_url("accounts:data_export_download", export.pk),
            "privacy_url": absolute_url("accounts:privacy"),
        },
    )


def send_account_deleted(deletion: AccountDeletion) -> None:
    """Confirm a deletion to the address the account had, in the language it used (the
    account is gone: its language and time zone were kept on the deletion)."""
    zone = zone_named(deletion.time_zone)
    send_templated_email(
        template="account_deleted",
        to=[deletion.email],
        language=deletion.language or "en",
        time_zone=zone,
        context={"deletion": deletion, "time_zone": zone.key},
    )
