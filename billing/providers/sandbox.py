"""The sandbox: a clearly labelled test checkout that never touches real money.

It goes through the same services, ledger and events as Stripe. The "card on
file" is a flag the owner sets on the sandbox's payment page: it pays or it
declines, so renewals and dunning can be tried by hand.
"""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils.translation import gettext as _

from . import ChargeResult, PaymentProvider

CARD_OK = "ok"
CARD_DECLINE = "decline"


class SandboxProvider(PaymentProvider):
    name = "sandbox"

    def start_checkout(self, session, *, amount_due: int) -> None:
        session.provider_session_id = f"sbx_cs_{session.id.hex}"
        session.url = reverse("billing:sandbox_checkout", args=[session.id])

    def _charge(self, subscription) -> ChargeResult:
        payment_id = f"sbx_pay_{uuid.uuid4().hex}"
        if subscription.sandbox_card == CARD_DECLINE:
            return ChargeResult(False, payment_id, _("Your card was declined (sandbox)."))
        return ChargeResult(True, payment_id)

    def charge(self, subscription, invoice) -> ChargeResult:
        return self._charge(subscription)

    def switch_plan(self, subscription, invoice) -> ChargeResult:
        return self._charge(subscription)

    def set_cancel_at_period_end(self, subscription, cancel: bool) -> None:
        """Nothing remote to tell: the sandbox renewal task reads our own row."""

    def cancel_now(self, subscription) -> None:
        """Nothing remote to stop."""

    def manage_payment_url(self, subscription, *, return_url: str) -> str:
        return reverse("billing:sandbox_payment_method")
