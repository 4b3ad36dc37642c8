"""Invitations whose e-mail was lost (a broker or worker outage), sent again.

Only the token's hash is stored and the raw token travelled in the lost task message, so the
original link cannot be rebuilt. Nobody received it, so a fresh token replaces it: a late
delivery of the old message then matches no row and sends nothing, and the new message goes
out once (`accounts.emails.send_once`).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from .invitations import new_token, pending_invitations, send_on_commit
from .models import Invitation, NotificationKind, NotificationPreference


def invitations_unsent() -> QuerySet[Invitation]:
    """Pending invitations with no e-mail sent, leaving out people who turned invitation
    e-mails off (they were never meant to get one: they see it in the app)."""
    opted_out = NotificationPreference.objects.filter(
        user__email__iexact=OuterRef("email"), **{f"email__{NotificationKind.INVITATION}": False}
    )
    return (
        pending_invitations()
        .filter(emailed_at__isnull=True)
        .exclude(Exists(opted_out))
        .select_related("workspace")
    )


@transaction.atomic
def invitation_reissue_unsent(*, invitation_id: int) -> bool:
    """Send an invitation whose e-mail was lost, under a fresh token; True if queued.

    The expiry stays: this is not a user's resend (7 more days, counted toward the rate
    limit), only the delivery of what was meant to arrive.
    """
    invitation = (
        invitations_unsent()
        .select_for_update(skip_locked=True, of=("self",))
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return False  # sent meanwhile, answered, expired, or another worker has it
    token, invitation.token_hash = new_token()
    invitation.save(update_fields=["token_hash"])
    send_on_commit(invitation, token)
    return True
