"""One function per e-mail; each goes to the workspace owners in their own language, with times
in their own time zone, labelled."""

from __future__ import annotations

import datetime
import logging
import smtplib
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.utils import formats, timezone, translation

from accounts.emails import language_for, send_templated_email
from accounts.http import absolute_url
from teams.models import Membership, Role

from .models import BillingNotice, DunningNotice

logger = logging.getLogger(__name__)


def _owners(workspace):
    return [
        m.user
        for m in Membership.objects.filter(team=workspace, role=Role.OWNER).select_related(
            "user__profile"
        )
    ]


def zone_for(user) -> zoneinfo.ZoneInfo:
    """The recipient's saved time zone, else UTC."""
    profile = getattr(user, "profile", None)
    try:
        return zoneinfo.ZoneInfo((profile.time_zone if profile else "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def labelled_time(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """`moment` in `zone`, in the active language's format, with the zone named:
    "5 January 2027, 23:00 (Asia/Tokyo, UTC+09:00)"."""
    local = moment.astimezone(zone)
    offset = local.strftime("%z")
    label = "UTC" if zone.key == "UTC" else f"{zone.key}, UTC{offset[:3]}:{offset[3:]}"
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({label})"


def _send_to_owners(
    what: str, workspace, template: str, context_for: Callable[[Any], dict[str, Any]]
) -> None:
    """Send `template` to each owner, its context made in their language and time zone."""
    owners = _owners(workspace)
    refused: list[Exception] = []
    for owner in owners:
        language = language_for(owner)
        zone = zone_for(owner)
        try:
            with translation.override(language), timezone.override(zone):
                context = {"user": owner, "workspace": workspace, **context_for(owner)}
                send_templated_email(
                    template=template, to=[owner.email], language=language, context=context
                )
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("%s: not sent to %s: %s", what, owner.pk, error)
            refused.append(error)
    # Sent to someone: the notice counts as sent, or the sweep would send it again to those who
    # got it. Sent to no one: raise, so it is not marked sent and the sweep tries again.
    if refused and len(refused) == len(owners):
        raise refused[0]


def send_dunning_notice(*, notice: DunningNotice) -> None:
    template = {
        DunningNotice.Kind.PAYMENT_FAILED: "billing_payment_failed",
        DunningNotice.Kind.MOVED_TO_FREE: "billing_moved_to_free",
    }[notice.kind]
    _send_to_owners(
        f"dunning notice {notice.pk}",
        notice.subscription.workspace,
        template,
        lambda owner: {"invoice": notice.invoice, "billing_url": absolute_url("billing:page")},
    )


def send_billing_notice(*, notice: BillingNotice) -> None:
    """A receipt, a confirmed cancellation, or the end of a cancelled plan."""
    subscription = notice.subscription
    billing_url = absolute_url("billing:page")
    if notice.kind == BillingNotice.Kind.RECEIPT:
        invoice = notice.invoice
        lines = list(invoice.lines.select_related("plan"))

        def context_for(owner) -> dict[str, Any]:
            return {
                "invoice": invoice,
                "lines": lines,
                "paid_at": labelled_time(invoice.paid_at or notice.created_at, zone_for(owner)),
                "invoice_url": absolute_url("billing:invoice", invoice.pk),
                "billing_url": billing_url,
            }

        template = "billing_receipt"
    else:
        change = notice.change
        ends_at = subscription.current_period_end or change.created_at

        def context_for(owner) -> dict[str, Any]:
            moment = ends_at if notice.kind == BillingNotice.Kind.CANCEL_SCHEDULED else None
            return {
                "plan": change.from_plan,
                "ends_at": labelled_time(moment or change.created_at, zone_for(owner)),
                "billing_url": billing_url,
            }

        template = {
            BillingNotice.Kind.CANCEL_SCHEDULED: "billing_cancel_scheduled",
            BillingNotice.Kind.ENDED: "billing_plan_ended",
        }[notice.kind]
    _send_to_owners(f"billing notice {notice.pk}", subscription.workspace, template, context_for)
