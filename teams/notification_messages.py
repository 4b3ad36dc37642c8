"""The sentence a notification shows, worded when shown so it follows the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Notification, NotificationKind, Role


def notification_message(notification: Notification) -> str:
    """The sentence for a notification, in the active language."""
    params = notification.params or {}
    actor = notification.actor.display_name if notification.actor else _("Someone")
    values = {
        "actor": actor,
        "video": params.get("video", ""),
        "number": params.get("number", ""),
        "workspace": params.get("workspace", ""),
        "at": params.get("at", ""),
    }
    kind = notification.kind
    if kind == NotificationKind.MENTION:
        return _("%(actor)s mentioned you on “%(video)s” (version %(number)s, at %(at)s)") % values
    if kind == NotificationKind.REPLY:
        return _("%(actor)s replied on “%(video)s” (version %(number)s, at %(at)s)") % values
    if kind == NotificationKind.INVITATION:
        role = params.get("role", "")
        values["role"] = Role(role).label if role in Role.values else role
        return _("%(actor)s invited you to join %(workspace)s as %(role)s") % values
    if kind == NotificationKind.PUBLISHING:
        values["platform"] = params.get("platform", "")
        return _("It is time to publish “%(video)s” on %(platform)s by hand") % values
    if params.get("decision") == "approved":
        return _("%(actor)s approved version %(number)s of “%(video)s”") % values
    return _("%(actor)s requested changes to version %(number)s of “%(video)s”") % values
