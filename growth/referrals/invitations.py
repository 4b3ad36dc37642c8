"""Sharing a code by e-mail: one invitation per address per sender, a few an hour."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from analytics.events import EventName, record

from .models import ReferralInvitation

MAX_ADDRESSES = 10
RATE_WINDOW = timedelta(hours=1)


def addresses_parse(text: str) -> list[str]:
    """Addresses separated by commas, semicolons, spaces or lines; each checked, none twice."""
    raw = [part.strip() for part in text.replace(";", ",").replace("\n", ",").split(",")]
    raw = [word for part in raw for word in part.split() if word]
    addresses: list[str] = []
    for address in raw:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                _("“%(address)s” is not an e-mail address.") % {"address": address[:100]}
            ) from None
        if address.lower() not in addresses:
            addresses.append(address.lower())
    if not addresses:
        raise ValidationError(_("Enter at least one e-mail address."))
    if len(addresses) > MAX_ADDRESSES:
        raise ValidationError(
            ngettext(
                "Invite at most %(count)d address at a time.",
                "Invite at most %(count)d addresses at a time.",
                MAX_ADDRESSES,
            )
            % {"count": MAX_ADDRESSES}
        )
    return addresses


@transaction.atomic
def invitations_send(
    *, sender: User, addresses: str, message: str = "", language: str = ""
) -> list[ReferralInvitation]:
    """E-mail the sender's share link to each address (all or none), once per address."""
    # Serialise one sender's sends, so two at once cannot both pass the hourly limit.
    User.objects.select_for_update().filter(pk=sender.pk).first()
    emails = addresses_parse(addresses)
    message = message.replace("\x00", "").strip()[:500]
    if sender.email.lower() in emails:
        raise ValidationError(_("You cannot invite yourself."))
    # Addresses are compared in lower case: an account may have been made as "Bo@Example.com".
    members = set(
        User.objects.annotate(address=Lower("email"))
        .filter(address__in=emails)
        .values_list("address", flat=True)
    )
    if members:
        raise ValidationError(
            _("Already on Video Creator: %(addresses)s.")
            % {"addresses": ", ".join(sorted(members))}
        )
    invited = set(
        ReferralInvitation.objects.filter(sender=sender, email__in=emails).values_list(
            "email", flat=True
        )
    )
    if invited:
        raise ValidationError(
            _("You already invited: %(addresses)s.") % {"addresses": ", ".join(sorted(invited))}
        )
    limit = settings.REFERRAL_INVITATIONS_PER_HOUR
    recent = ReferralInvitation.objects.filter(
        sender=sender, created_at__gte=timezone.now() - RATE_WINDOW
    ).count()
    if recent + len(emails) > limit:
        raise ValidationError(
            ngettext(
                "You can send %(limit)d invitation an hour; try again later.",
                "You can send %(limit)d invitations an hour; try again later.",
                limit,
            )
            % {"limit": limit}
        )
    language = language if language in dict(settings.LANGUAGES) else ""
    invitations = [
        ReferralInvitation.objects.create(
            sender=sender, email=email, message=message, language=language
        )
        for email in emails
    ]
    record(
        EventName.REFERRAL_INVITATION_SENT,
        actor=sender,
        subject=invitations[0],
        properties={"recipients": len(invitations)},
    )
    from . import tasks

    ids = [invitation.pk for invitation in invitations]
    transaction.on_commit(lambda: [tasks.send_invitation.delay(pk) for pk in ids])
    return invitations
