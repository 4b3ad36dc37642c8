"""One function per e-mail; each goes to the workspace owners in their own language."""

import logging
import smtplib

from accounts.emails import language_for, send_templated_email
from accounts.http import absolute_url
from teams.models import Membership, Role

from .models import DunningNotice

logger = logging.getLogger(__name__)


def _owners(workspace):
    return [
        m.user
        for m in Membership.objects.filter(team=workspace, role=Role.OWNER).select_related(
            "user__profile"
        )
    ]


def send_dunning_notice(*, notice: DunningNotice) -> None:
    workspace = notice.subscription.workspace
    template = {
        DunningNotice.Kind.PAYMENT_FAILED: "billing_payment_failed",
        DunningNotice.Kind.MOVED_TO_FREE: "billing_moved_to_free",
    }[notice.kind]
    owners = _owners(workspace)
    refused: list[Exception] = []
    for owner in owners:
        try:
            send_templated_email(
                template=template,
                to=[owner.email],
                language=language_for(owner),
                context={
                    "user": owner,
                    "workspace": workspace,
                    "invoice": notice.invoice,
                    "billing_url": absolute_url("billing:page"),
                },
            )
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("dunning notice %s: not sent to %s: %s", notice.pk, owner.pk, error)
            refused.append(error)
    # Sent to someone: the notice counts as sent, or the sweep would send it again to those who
    # got it. Sent to no one: raise, so it is not marked sent and the sweep tries again.
    if refused and len(refused) == len(owners):
        raise refused[0]
