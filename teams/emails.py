"""One function per e-mail."""

from django.conf import settings
from django.urls import reverse

from accounts.emails import language_for, send_templated_email

from .models import Invitation


def send_invitation(*, invitation: Invitation, token: str) -> None:
    """The invitation goes out in the inviter's language: the invitee has no profile yet."""
    inviter = invitation.invited_by
    send_templated_email(
        template="team_invitation",
        to=[invitation.email],
        language=language_for(inviter),
        context={
            "invitation": invitation,
            "inviter_name": inviter.display_name if inviter else "",
            "workspace": invitation.workspace,
            "role": invitation.get_role_display(),
            "accept_url": settings.SITE_URL + reverse("teams:invitation", args=[token]),
            "valid_days": Invitation.VALID_FOR_DAYS,
        },
    )
