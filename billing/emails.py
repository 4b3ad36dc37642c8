"""One function per e-mail; each goes to the workspace owners in their own language."""

from accounts.emails import language_for, send_templated_email
from accounts.http import absolute_url
from teams.models import Membership, Role

from .models import DunningNotice


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
    for owner in _owners(workspace):
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
