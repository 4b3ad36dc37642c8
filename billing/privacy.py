"""What billing holds about a person, for accounts.privacy (listed in `PRIVACY_PROVIDERS`): the
invoices of the workspaces they own, for the ZIP; and, when their account is deleted, the end of
any paid plan of the workspaces that go with it. Invoices and payments are kept (bookkeeping
law), which is why such a workspace stays behind as an empty, nameless record (teams.privacy).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction

from accounts.privacy.providers import ExportEntry
from teams.models import Membership, Role
from teams.privacy import workspaces_leaving_with

from .models import Invoice, Subscription
from .services import subscription_end


def _invoice_rows(user) -> Iterator[dict]:
    owned = Membership.objects.filter(user=user, role=Role.OWNER).values("team")
    invoices = (
        Invoice.objects.filter(workspace__in=owned)
        .select_related("workspace", "plan")
        .prefetch_related("lines")
        .order_by("issued_at", "pk")
    )
    for invoice in invoices:
        yield {
            "number": invoice.number,
            "workspace_id": invoice.workspace_id,
            "workspace": invoice.workspace.name,
            "plan": invoice.plan.key,
            "reason": invoice.reason,
            "status": invoice.status,
            "currency": invoice.currency,
            "subtotal": invoice.subtotal,
            "discount": invoice.discount,
            "credit_applied": invoice.credit_applied,
            "tax": invoice.tax,
            "total": invoice.total,
            "period_start": invoice.period_start,
            "period_end": invoice.period_end,
            "issued_at": invoice.issued_at,
            "paid_at": invoice.paid_at,
            "lines": [
                {"kind": line.kind, "description": line.description, "amount": line.amount}
                for line in invoice.lines.all()
            ],
        }


def privacy_export(*, user) -> list[ExportEntry]:
    """Amounts are integer minor units of `currency` (cents, yen…)."""
    return [ExportEntry("invoices.json", rows=_invoice_rows(user))]


@transaction.atomic
def privacy_erase(*, user) -> None:
    """A paid plan of a workspace that goes with the account ends now (no more renewals)."""
    leaving = workspaces_leaving_with(user)
    for subscription in Subscription.objects.filter(workspace__in=leaving).select_related("plan"):
        if subscription.is_paid:
            subscription_end(subscription=subscription, reason="account_deleted", actor=user)
