"""Thin tasks: take ids, load, call a service. Each can run twice without doing its work twice."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import emails
from .models import Invitation, Notification
from .selectors import emails_pending, hash_token


@shared_task(name="teams.send_invitation", ignore_result=True)
def send_invitation(invitation_id: int, token: str) -> None:
    """Send the invitation e-mail once per token.

    The raw token is a task argument because only its hash is stored (see
    `invitations._send_on_commit`). A token replaced by a resend no longer matches the row, so a
    late message for the old token sends nothing; `emailed_at` stops a second delivery.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("workspace", "invited_by__profile")
            .filter(
                pk=invitation_id,
                token_hash=hash_token(token),
                emailed_at__isnull=True,
                accepted_at__isnull=True,
                declined_at__isnull=True,
                revoked_at__isnull=True,
            )
            .first()
        )
        if invitation is None:
            return  # already sent, superseded, answered, or another worker is sending it
        emails.send_invitation(invitation=invitation, token=token)
        invitation.emailed_at = timezone.now()
        invitation.save(update_fields=["emailed_at"])


@shared_task(name="teams.send_notification_email", ignore_result=True)
def send_notification_email(notification_id: int) -> None:
    """E-mail one notification, once: the row is locked and `emailed_at` set with the send."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient__profile", "actor")
            .filter(pk=notification_id, email_wanted=True, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return  # already sent, or another worker is sending it
        emails.send_notification(notification=notification)
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])


@shared_task(name="teams.send_pending_notification_emails", ignore_result=True)
def send_pending_notification_emails() -> int:
    """Queue e-mails whose first message was lost (a broker or worker outage)."""
    pending = list(
        emails_pending(older_than=timedelta(minutes=5)).values_list("pk", flat=True)[:500]
    )
    for pk in pending:
        send_notification_email.delay(pk)
    return len(pending)
