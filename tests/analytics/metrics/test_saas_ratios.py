"""ARR, ARPU, customers, conversion, churn, NRR, LTV, CAC, payback against a hand-computed
February 2026 (28 days), all in USD; and what each gives with a zero denominator.

The history (clock from Monday 2026-01-05 09:00 UTC), one workspace per line, created on
5 January unless said otherwise:
- P1: Pro monthly from 5 Jan (1200), cancels on 20 Jan, ends on 5 Feb: churn −1200.
- P2: Pro monthly from 5 Jan (1200), switches to annual on 10 Feb (1000): contraction −200.
- P3: Pro annual from 5 Jan (1000), switches to monthly on 20 Feb (1200): expansion +200.
- P4: Pro monthly from 5 Jan (1200), cancels on 25 Feb (still paying at the end; CMRR drops).
- F1: free until it takes Pro annual on 15 Feb (1000): new.
- F2: free all along.
- N1: created on 12 Feb, Pro monthly the same day (1200): new.
- N2: created on 20 Feb, free.

Opening MRR (end of 31 Jan) = P1 1200 + P2 1200 + P3 1000 + P4 1200 = 4600, 4 paying.
Movements: new 1000 + 1200 = 2200 (2 workspaces), expansion 200, contraction −200, churn −1200
(1 workspace). Closing MRR = 4600 + 2200 + 200 − 200 − 1200 = 5600
= P2 1000 + P3 1200 + P4 1200 + F1 1000 + N1 1200, 5 paying.
"""

import datetime
from decimal import Decimal

import pytest

from analytics.metrics.models import MarketingSpend
from analytics.metrics.revenue import Movement, saas_metrics

D = datetime.date
FEB_1, FEB_28 = D(2026, 2, 1), D(2026, 2, 28)


def _until(ledger, clock, day):
    ledger.days_pass((day - clock.today).days)


@pytest.fixture
def february(ledger, clock, rates):
    p1, p2, p3, p4, f1, _f2 = (ledger.workspace() for _ in range(6))
    for workspace, plan in ((p1, "pro-monthly"), (p2, "pro-monthly"), (p3, "pro-annual")):
        ledger.subscribe(workspace, plan=plan)
    ledger.subscribe(p4)
    _until(ledger, clock, D(2026, 1, 20))
    ledger.cancel(p1)
    _until(ledger, clock, D(2026, 2, 10))
    ledger.switch(p2, "pro-annual")
    _until(ledger, clock, D(2026, 2, 12))
    ledger.subscribe(ledger.workspace())  # N1
    _until(ledger, clock, D(2026, 2, 15))
    ledger.subscribe(f1, plan="pro-annual")
    _until(ledger, clock, D(2026, 2, 20))
    ledger.switch(p3, "pro-monthly")
    ledger.workspace()  # N2
    _until(ledger, clock, D(2026, 2, 25))
    ledger.cancel(p4)
    _until(ledger, clock, D(2026, 3, 1))
    # Spend in February: 560.00 USD of ads, 100.00 EUR of podcast at 1 Feb's rate (Friday
    # 30 Jan's 1.25 USD per euro) = 125.00 USD; January's spend is outside the period.
    rates((D(2026, 1, 30), "USD", "1.25"))
    MarketingSpend.objects.bulk_create(
        [
            MarketingSpend(channel="Ads", month=FEB_1, amount=56000, currency="USD"),
            MarketingSpend(channel="Podcast", month=FEB_1, amount=10000, currency="EUR"),
            MarketingSpend(channel="Ads", month=D(2026, 1, 1), amount=99999, currency="USD"),
        ]
    )


@pytest.fixture
def metrics(february, settings):
    settings.ANALYTICS_GROSS_MARGIN = Decimal("0.8")
    return saas_metrics(start=FEB_1, end=FEB_28)


def test_mrr_arr_arpu_and_customers(metrics):
    assert metrics.movements.amounts == {
        Movement.NEW: 2200,
        Movement.EXPANSION: 200,
        Movement.CONTRACTION: -200,
        Movement.CHURN: -1200,
        Movement.REACTIVATION: 0,
        Movement.FX: 0,
    }
    assert (metrics.movements.opening_mrr, metrics.mrr) == (4600, 5600)
    # P4's cancellation is scheduled: CMRR = 5600 − 1200 = 4400.
    assert metrics.cmrr == 4400
    assert metrics.arr == 67200  # 5600 × 12
    assert metrics.paying_customers == 5
    assert metrics.arpu == 1120  # 5600 / 5
    # P1–P4, F1, F2, N1, N2.
    assert metrics.customers == 8


def test_conversion_and_churn(metrics):
    # Never paid at the start: F1, F2; created in February: N1, N2. Pool 4, converted 2
    # (F1, N1): 2 / 4 = 0.5.
    assert (metrics.conversion_pool, metrics.new_paying_customers) == (4, 2)
    assert metrics.free_to_paid_conversion == Decimal("0.5")
    # 1 churned (P1) of 4 paying at the start: 0.25; per average month (30.4375 days) over
    # 28 days: 0.25 × 30.4375 / 28 = 1461/5376 = 0.2717633… → 0.271763.
    assert metrics.churned_customers == 1
    assert metrics.customer_churn_rate == Decimal("0.25")
    assert metrics.monthly_customer_churn_rate == Decimal("0.271763")
    # Gross MRR churn: (1200 + 200) / 4600 = 0.3043478 → 0.304348.
    assert metrics.gross_mrr_churn_rate == Decimal("0.304348")
    # Net MRR churn: (1200 + 200 − 200 − 0) / 4600 = 0.2608696 → 0.260870.
    assert metrics.net_mrr_churn_rate == Decimal("0.260870")
    # NRR: the opening payers at the end, FX aside: P1 0 + P2 1000 + P3 1200 + P4 1200 = 3400;
    # 3400 / 4600 = 0.7391304 → 0.739130.
    assert metrics.net_revenue_retention == Decimal("0.739130")


def test_ltv_cac_and_payback(metrics):
    assert metrics.gross_margin == Decimal("0.8")
    # Lifetime = 1 / (1461/5376) = 5376/1461 = 3.6796714… months.
    assert metrics.average_customer_lifetime_months == Decimal("3.679671")
    # LTV = ARPU × margin / monthly churn = 1120 × 0.8 × 5376/1461 = 4816896/1461
    # = 3296.9856… → 3297 cents.
    assert metrics.ltv == 3297
    # Spend 56000 + 12500 = 68500; CAC = 68500 / 2 new paying = 34250.
    assert (metrics.marketing_spend, metrics.cac) == (68500, 34250)
    # LTV:CAC = (4816896/1461) / 34250 = 4816896/50039250 = 0.0962623… → 0.096262, below 3:
    # flagged.
    assert metrics.ltv_to_cac == Decimal("0.096262")
    assert metrics.ltv_to_cac_below_target is True
    # Payback = CAC / (ARPU × margin) = 34250 / 896 = 38.2254464… months.
    assert metrics.payback_months == Decimal("38.225446")


def test_ltv_to_cac_above_three_is_not_flagged(february, settings):
    settings.ANALYTICS_GROSS_MARGIN = Decimal("0.8")
    MarketingSpend.objects.all().delete()
    MarketingSpend.objects.create(channel="Ads", month=FEB_1, amount=2000, currency="USD")
    metrics = saas_metrics(start=FEB_1, end=FEB_28)
    # CAC = 2000 / 2 = 1000; LTV:CAC = (4816896/1461) / 1000 = 3.2969856… → 3.296986.
    assert metrics.cac == 1000
    assert metrics.ltv_to_cac == Decimal("3.296986")
    assert metrics.ltv_to_cac_below_target is False


def test_gross_margin_setting(february, settings):
    settings.ANALYTICS_GROSS_MARGIN = Decimal("0.5")
    # LTV = 1120 × 0.5 × 5376/1461 = 3010560/1461 = 2060.6160… → 2061.
    assert saas_metrics(start=FEB_1, end=FEB_28).ltv == 2061


def test_zero_denominators_give_none(db):
    metrics = saas_metrics(start=FEB_1, end=FEB_28)
    assert (metrics.mrr, metrics.arr, metrics.customers, metrics.marketing_spend) == (0, 0, 0, 0)
    for name in (
        "arpu",
        "free_to_paid_conversion",
        "customer_churn_rate",
        "monthly_customer_churn_rate",
        "gross_mrr_churn_rate",
        "net_mrr_churn_rate",
        "net_revenue_retention",
        "average_customer_lifetime_months",
        "ltv",
        "cac",
        "ltv_to_cac",
        "ltv_to_cac_below_target",
        "payback_months",
    ):
        assert getattr(metrics, name) is None, name


def test_no_churn_means_no_lifetime_and_no_ltv(ledger, clock):
    ledger.subscribe(ledger.workspace())
    ledger.days_pass(40)
    metrics = saas_metrics(start=FEB_1, end=FEB_28)
    # One payer all February, nobody churned: the churn rate is 0, so lifetime and LTV are
    # undefined (—), not infinite.
    assert metrics.customer_churn_rate == Decimal(0)
    assert metrics.average_customer_lifetime_months is None
    assert metrics.ltv is None
    assert metrics.net_revenue_retention == Decimal(1)
    # No new payer in February: CAC is undefined however much was spent.
    assert metrics.new_paying_customers == 0 and metrics.cac is None


@pytest.mark.parametrize("size", [1, 5])
def test_query_count_does_not_grow(ledger, clock, rates, size, django_assert_max_num_queries):
    rates((D(2026, 1, 1), "USD", "1.1"))
    for index in range(size):
        workspace = ledger.workspace()
        ledger.subscribe(workspace, currency="EUR" if index % 2 else "USD")
        MarketingSpend.objects.create(
            channel=f"c{index}", month=D(2026, 1, 1), amount=100, currency="EUR"
        )
    ledger.days_pass(10)
    # Movements (5), customers (1), spend (2).
    with django_assert_max_num_queries(8):
        metrics = saas_metrics(start=D(2026, 1, 1), end=clock.today)
    assert metrics.new_paying_customers == size
