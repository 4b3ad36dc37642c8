"""Notifications: create (once per cause), read, mark read, preferences, and their wording.

The e-mail for a notification is sent by `tasks.send_notification_email`, queued on commit;
`emailed_at` makes it go out once, and `tasks.send_pending_notification_emails` picks up any
whose message was lost.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification, NotificationKind, NotificationPreference, Role

CHANNELS = ("in_app", "email")


def preferences_for(user) -> NotificationPreference:
    """The user's preferences; an unsaved all-on row if they never changed them."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


@transaction.atomic
def notification_preferences_update(*, user, in_app: set[str], email: set[str]):
    """Save which kinds the user wants in the app and by e-mail (the others are off)."""
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    preference.in_app = {kind: kind in in_app for kind in NotificationKind.values}
    preference.email = {kind: kind in email for kind in NotificationKind.values}
    preference.save(update_fields=["in_app", "email"])
    user.notification_preference = preference
    return preference


def wants_email(user, kind: str) -> bool:
    return preferences_for(user).wants(kind, "email")


def notify(
    *,
    recipient,
    kind: str,
    key: str,
    workspace=None,
    actor=None,
    comment=None,
    params: dict | None = None,
    url: str = "",
    email: bool = True,
) -> Notification | None:
    """Tell `recipient` about something, in the app and/or by e-mail as they prefer.

    `key` names the cause; a second call with the same key changes nothing. Returns None when
    the recipient wants neither channel for this kind.
    """
    preference = preferences_for(recipient)
    in_app = preference.wants(kind, "in_app")
    email_wanted = email and preference.wants(kind, "email")
    if not in_app and not email_wanted:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                key=key,
                workspace=workspace,
                actor=actor,
                comment=comment,
                params=params or {},
                url=url,
                in_app=in_app,
                email_wanted=email_wanted,
            )
    except IntegrityError:
        return Notification.objects.filter(recipient=recipient, key=key).first()
    if email_wanted:
        from . import tasks

        pk = notification.pk
        transaction.on_commit(lambda: tasks.send_notification_email.delay(pk))
    return notification


# -- reading ------------------------------------------------------------------------------------


def notifications_for(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first. Hidden: e-mail-only ones."""
    queryset = Notification.objects.filter(recipient=user, in_app=True)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.select_related("actor", "workspace")


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True).count()


def notification_mark_read(*, notification: Notification, user) -> Notification:
    if notification.recipient_id != user.pk:
        raise Http404
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# -- wording ------------------------------------------------------------------------------------


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
    if params.get("decision") == "approved":
        return _("%(actor)s approved version %(number)s of “%(video)s”") % values
    return _("%(actor)s requested changes to version %(number)s of “%(video)s”") % values
