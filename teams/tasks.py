"""Thin tasks: take ids, load, call a service. Each can run twice without doing its work twice."""

from datetime import timedelta

from celery import shared_task

from accounts.emails import queue_unsent, send_once

from . import emails
from .models import Invitation, Notification
from .selectors import hash_token, invitations_unsent

# A message not sent this long after its row was made is taken for lost.
LOST_AFTER = timedelta(minutes=5)
# Re-issuing an invitation replaces its token, which silences a message still waiting in the
# queue: wait long enough that only a lost message, not a slow queue, is replaced.
INVITATION_LOST_AFTER = timedelta(hours=1)


@shared_task(name="teams.send_invitation", ignore_result=True)
def send_invitation(invitation_id: int, token: str) -> None:
    """Send the invitation e-mail once per token.

    The raw token is a task argument because only its hash is stored (see
    `teams.services.invitations.send_on_commit`). A token replaced by a resend no longer
    matches the row, so a late message for the old token sends nothing; `emailed_at` stops a
    second delivery.
    """
    pending = Invitation.objects.select_related("workspace", "invited_by__profile").filter(
        token_hash=hash_token(token),
        accepted_at__isnull=True,
        declined_at__isnull=True,
        revoked_at__isnull=True,
    )
    send_once(
        pending,
        invitation_id,
        lambda invitation: emails.send_invitation(invitation=invitation, token=token),
    )


@shared_task(name="teams.send_notification_email", ignore_result=True)
def send_notification_email(notification_id: int) -> None:
    """E-mail one notification, once (`send_once`)."""
    wanted = Notification.objects.select_related("recipient__profile", "actor").filter(
        email_wanted=True
    )
    send_once(
        wanted,
        notification_id,
        lambda notification: emails.send_notification(notification=notification),
    )


@shared_task(name="teams.send_pending_notification_emails", ignore_result=True)
def send_pending_notification_emails() -> int:
    """Queue e-mails whose first message was lost (a broker or worker outage)."""
    wanted = Notification.objects.filter(email_wanted=True)
    return queue_unsent(wanted, send_notification_email, older_than=LOST_AFTER)


@shared_task(name="teams.reissue_unsent_invitations", ignore_result=True)
def reissue_unsent_invitations() -> int:
    """Invitations whose e-mail was lost go out again, under a fresh token (see
    `invitation_reissue_unsent` for why the old one cannot be used)."""
    return queue_unsent(
        invitations_unsent(),
        reissue_unsent_invitation,
        older_than=INVITATION_LOST_AFTER,
        since="email_queued_at",
    )


@shared_task(name="teams.reissue_unsent_invitation", ignore_result=True)
def reissue_unsent_invitation(invitation_id: int) -> None:
    # Imported here, as HackSoft's styleguide does: the services import this module to queue
    # their e-mails, so a top-level import would be a cycle.
    from .services.invitations import invitation_reissue_unsent

    invitation_reissue_unsent(invitation_id=invitation_id)
