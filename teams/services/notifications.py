"""Notification services: create one (once per cause), mark read, save the preferences.

The e-mail for a notification is sent by `tasks.send_notification_email`, queued on commit;
`emailed_at` makes it go out once, and `tasks.send_pending_notification_emails` picks up any
whose message was lost.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from teams import tasks
from teams.models import Notification, NotificationKind, NotificationPreference
from teams.selectors import preferences_for


@transaction.atomic
def notification_preferences_update(
    *, user, in_app: set[str], email: set[str]
) -> NotificationPreference:
    """Save which kinds the user wants in the app and by e-mail (the others are off)."""
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    preference.in_app = {kind: kind in in_app for kind in NotificationKind.values}
    preference.email = {kind: kind in email for kind in NotificationKind.values}
    preference.save(update_fields=["in_app", "email"])
    user.notification_preference = preference
    return preference


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
        pk = notification.pk
        transaction.on_commit(lambda: tasks.send_notification_email.delay(pk))
    return notification


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
