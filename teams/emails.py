"""One function per e-mail."""

from django.utils import translation

from accounts.emails import language_for, language_of_address, send_templated_email
from accounts.http import absolute_url

from .models import Invitation, Notification
from .notification_messages import notification_message


def send_invitation(*, invitation: Invitation, token: str) -> None:
    """In the invitee's language if they already have an account and chose one; otherwise
    (usually: no account yet, so no known language) in the inviter's."""
    inviter = invitation.invited_by
    send_templated_email(
        template="team_invitation",
        to=[invitation.email],
        language=language_of_address(invitation.email) or language_for(inviter),
        context={
            "invitation": invitation,
            "inviter_name": inviter.display_name if inviter else "",
            "workspace": invitation.workspace,
            "role": invitation.get_role_display(),
            "accept_url": absolute_url("teams:invitation", token),
            "valid_days": Invitation.VALID_FOR_DAYS,
        },
    )


def send_notification(*, notification: Notification) -> None:
    """Mentions, replies and review decisions, in the recipient's language."""
    recipient = notification.recipient
    language = language_for(recipient)
    with translation.override(language):
        message = notification_message(notification)
    send_templated_email(
        template="notification",
        to=[recipient.email],
        language=language,
        context={
            "message": message,
            "excerpt": notification.params.get("excerpt", ""),
            "url": absolute_url("teams:notification_open", notification.pk),
            "preferences_url": absolute_url("teams:notification_preferences"),
        },
        headers={"X-Entity-Ref-ID": f"notification-{notification.pk}"},
    )
