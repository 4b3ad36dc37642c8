"""A controlled clock and a billing history driven through billing's real services (the sandbox
provider, the renewal and dunning tasks), so the metrics read exactly what production writes.
The metrics tests make many accounts that never sign in: a fast password hash keeps the
histories quick to build (the hasher is not what they test)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest

from analytics.metrics.models import FxRate
from billing import services, tasks
from billing.models import Coupon, CouponDuration, Payment, PaymentStatus, Plan, Subscription
from teams.models import Team
from tests.clock import Clock, install_clock
from tests.factories import UserFactory

UTC = datetime.UTC
# A Monday, 09:00 UTC.
START = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return install_clock(monkeypatch, START)


class Ledger:
    """Billing histories made the way the product makes them."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.owners: dict[int, object] = {}

    def workspace(self) -> Team:
        user = UserFactory(password=None)  # no password: hashing one is slow
        workspace = user.teams.get(is_personal=True)
        self.owners[workspace.pk] = user
        return workspace

    def subscription(self, workspace: Team) -> Subscription:
        return Subscription.objects.select_related("plan").get(workspace=workspace)

    def subscribe(
        self, workspace: Team, plan: str = "pro-monthly", currency: str = "USD", coupon: str = ""
    ) -> Subscription:
        session = services.checkout_start(
            workspace=workspace,
            plan=Plan.objects.get(key=plan),
            currency=currency,
            actor=self.owners[workspace.pk],
            coupon_code=coupon,
        )
        return services.checkout_complete(
            session=session, provider_payment_id=f"sbx_{uuid.uuid4().hex}", now=self.clock.now
        )

    def switch(self, workspace: Team, plan: str) -> None:
        services.subscription_switch(
            subscription=self.subscription(workspace),
            plan=Plan.objects.get(key=plan),
            actor=self.owners[workspace.pk],
            now=self.clock.now,
        )

    def cancel(self, workspace: Team) -> None:
        services.subscription_cancel(
            subscription=self.subscription(workspace), actor=self.owners[workspace.pk]
        )

    def resume(self, workspace: Team) -> None:
        services.subscription_resume(
            subscription=self.subscription(workspace), actor=self.owners[workspace.pk]
        )

    def end_now(self, workspace: Team) -> None:
        services.subscription_end(
            subscription=self.subscription(workspace), reason="account_deleted", now=self.clock.now
        )

    def card(self, workspace: Team, card: str) -> None:
        services.sandbox_card_set(
            subscription=self.subscription(workspace), card=card, actor=self.owners[workspace.pk]
        )

    def refund_last_payment(self, workspace: Team, share: Decimal = Decimal(1)) -> Payment:
        payment = (
            Payment.objects.filter(
                workspace=workspace, status=PaymentStatus.SUCCEEDED, amount__gt=0
            )
            .order_by("-created_at")
            .first()
        )
        refunded = max(1, int(payment.amount * share))
        return services.payment_record_refund(payment=payment, refunded_total=refunded)

    def credit(self, workspace: Team, amount: int, currency: str = "USD") -> None:
        services.credit_grant(
            workspace=workspace,
            amount=amount,
            currency=currency,
            reason="test",
            idempotency_key=uuid.uuid4().hex,
        )

    def run_tasks(self) -> None:
        """What beat runs: renewals of due periods, then due payment retries."""
        tasks.renew_due_subscriptions()
        tasks.retry_past_due_payments()

    def days_pass(self, days: int) -> None:
        """`days` days go by, the renewal and dunning tasks running once a day."""
        for _ in range(days):
            self.clock.advance(days=1)
            self.run_tasks()


@pytest.fixture
def ledger(clock, db) -> Ledger:
    return Ledger(clock)


def make_coupon(code: str, duration: str, **fields) -> Coupon:
    return Coupon.objects.create(code=code, name=code, duration=duration, **fields)


@pytest.fixture
def coupons(db) -> dict[str, Coupon]:
    """Half off once; a quarter off for three invoices; 2 USD off every invoice."""
    return {
        "once": make_coupon("HALFONCE", CouponDuration.ONCE, percent_off=50),
        "repeating": make_coupon(
            "QUARTER3", CouponDuration.REPEATING, percent_off=25, duration_months=3
        ),
        "forever": make_coupon("TWOOFF", CouponDuration.FOREVER, amount_off=200, currency="USD"),
    }


@pytest.fixture
def rates(db):
    """Store (day, currency, rate per euro) rows."""

    def store(*rows: tuple[datetime.date, str, str]) -> None:
        FxRate.objects.bulk_create(
            FxRate(day=day, currency=currency, rate_per_eur=Decimal(rate))
            for day, currency, rate in rows
        )

    return store


@pytest.fixture(autouse=True)
def _fast_password_hashing(fast_passwords):
    """tests/conftest.py's cheap hasher for every test here."""
