"""MRR and CMRR on a day, against hand-computed answers. Histories go through billing's services.

Prices (billing/migrations/0002_plans.py): Pro monthly 1200 USD / 1100 EUR / 1000 GBP /
1800 JPY; Pro annual 12000 USD / 11000 EUR / 10000 GBP. The clock starts on Monday
2026-01-05 at 09:00 UTC.
"""

import datetime
from decimal import Decimal

import pytest

from analytics.metrics.revenue import FxRateMissing, mrr_on

DAY = datetime.timedelta(days=1)


def test_a_monthly_plan_counts_from_the_day_it_starts(ledger, clock):
    workspace = ledger.workspace()
    ledger.subscribe(workspace)
    assert mrr_on(day=clock.today - DAY).mrr == 0
    snapshot = mrr_on(day=clock.today)
    # 1200 cents a month; ARR = 12 × 1200 = 14400.
    assert (snapshot.mrr, snapshot.cmrr, snapshot.paying, snapshot.arr) == (1200, 1200, 1, 14400)
    (row,) = snapshot.workspaces
    assert (row.workspace_id, row.plan_key, row.currency, row.mrr) == (
        workspace.pk,
        "pro-monthly",
        "USD",
        1200,
    )


def test_an_annual_plan_is_a_twelfth_of_its_price(ledger, clock):
    ledger.subscribe(ledger.workspace(), plan="pro-annual")
    # 12000 / 12 = 1000 exactly.
    assert mrr_on(day=clock.today).mrr == 1000


def test_renewals_keep_mrr_flat_with_no_gap(ledger, clock):
    workspace = ledger.workspace()
    ledger.subscribe(workspace)
    ledger.days_pass(70)  # renewed on 5 February and 5 March by the daily task
    assert [mrr_on(day=clock.today - n * DAY).mrr for n in range(71)] == [1200] * 71
    assert mrr_on(day=clock.today - 71 * DAY).mrr == 0


def test_an_annual_eur_plan_is_converted_at_its_period_start_rate(ledger, clock, rates):
    # Rates per euro on the day the period starts: USD 1.0850.
    rates((clock.today, "USD", "1.0850"))
    ledger.subscribe(ledger.workspace(), plan="pro-annual", currency="EUR")
    snapshot = mrr_on(day=clock.today)
    # In euros: 11000 / 12 = 916.67 → 917 cents.
    # In dollars: 11000 × 1.0850 / 12 = 11935 / 12 = 994.58 → 995 cents.
    assert (snapshot.mrr, snapshot.workspaces[0].mrr) == (995, 917)
    assert snapshot.workspaces[0].rate_day == clock.today
    assert snapshot.by_currency["EUR"].mrr == 917
    assert snapshot.by_currency["EUR"].reported_mrr == 995


def test_a_gbp_plan_converts_through_the_euro(ledger, clock, rates):
    rates((clock.today, "USD", "1.10"), (clock.today, "GBP", "0.85"))
    ledger.subscribe(ledger.workspace(), currency="GBP")
    # 1000 pence × 1.10 / 0.85 = 1294.12 → 1294 cents.
    assert mrr_on(day=clock.today).mrr == 1294


def test_the_rate_stays_the_periods_until_it_renews(ledger, clock, rates):
    """ChartMogul's rule: a period is converted at its first day's rate, however rates move."""
    january, february = clock.today, clock.today + 31 * DAY
    rates((january, "USD", "1.10"), (january + DAY, "USD", "1.20"), (february, "USD", "1.30"))
    ledger.subscribe(ledger.workspace(), currency="EUR")
    ledger.days_pass(31)  # renews on 5 February
    # 1100 × 1.10 = 1210 all January (the 1.20 of 6 January does not apply);
    # 1100 × 1.30 = 1430 from the renewal on 5 February.
    assert mrr_on(day=january + 20 * DAY).mrr == 1210
    assert mrr_on(day=february - DAY).mrr == 1210
    assert mrr_on(day=february).mrr == 1430


def test_a_weekend_period_uses_fridays_rate(ledger, clock, rates):
    friday = datetime.date(2026, 1, 9)
    rates((friday, "USD", "1.25"))
    clock.advance(days=5)  # Saturday 10 January
    ledger.subscribe(ledger.workspace(), currency="EUR")
    # 1100 × 1.25 = 1375.
    assert mrr_on(day=clock.today).mrr == 1375


def test_a_currency_without_any_rate_fails_clearly(ledger, clock, rates):
    rates((clock.today + DAY, "USD", "1.10"))  # only after the period started
    ledger.subscribe(ledger.workspace(), currency="EUR")
    with pytest.raises(FxRateMissing, match=r"USD on or before 2026-01-05.*load_fx_rates"):
        mrr_on(day=clock.today)
    # In euros nothing needs converting.
    assert mrr_on(day=clock.today, currency="EUR").mrr == 1100


def test_per_currency_breakdown_and_total(ledger, clock, rates):
    rates((clock.today, "USD", "1.10"), (clock.today, "GBP", "0.80"), (clock.today, "JPY", "160"))
    for currency in ("USD", "USD", "EUR", "GBP", "JPY"):
        ledger.subscribe(ledger.workspace(), currency=currency)
    snapshot = mrr_on(day=clock.today)
    # USD 2 × 1200 = 2400; EUR 1100 → 1100 × 1.10 = 1210; GBP 1000 → 1000 × 1.10 / 0.80 =
    # 1375; JPY 1800 yen (no minor unit) → 1800 × 100 × 1.10 / 160 = 1237.5 → 1238 cents.
    assert {
        code: (t.mrr, t.reported_mrr, t.paying) for code, t in snapshot.by_currency.items()
    } == {
        "EUR": (1100, 1210, 1),
        "GBP": (1000, 1375, 1),
        "JPY": (1800, 1238, 1),
        "USD": (2400, 2400, 2),
    }
    # 2400 + 1210 + 1375 + 1238 = 6223.
    assert (snapshot.mrr, snapshot.paying) == (6223, 5)


def test_a_once_coupon_is_not_deducted(ledger, clock, coupons):
    ledger.subscribe(ledger.workspace(), coupon="HALFONCE")
    # The first invoice is 600, but MRR is the plan's 1200.
    assert mrr_on(day=clock.today).mrr == 1200


def test_a_repeating_coupon_is_deducted_for_its_invoices(ledger, clock, coupons):
    ledger.subscribe(ledger.workspace(), coupon="QUARTER3")
    first = clock.today
    ledger.days_pass(90)  # renewals on 5 Feb, 5 Mar (with the coupon), 5 Apr (without)
    # 1200 − 25 % = 900 for three invoices, then 1200.
    assert mrr_on(day=first).mrr == 900
    assert mrr_on(day=datetime.date(2026, 4, 4)).mrr == 900
    assert mrr_on(day=datetime.date(2026, 4, 5)).mrr == 1200


def test_a_forever_coupon_is_deducted_for_good(ledger, clock, coupons):
    ledger.subscribe(ledger.workspace(), coupon="TWOOFF")
    ledger.days_pass(65)
    # 1200 − 200 = 1000 on every invoice.
    assert mrr_on(day=clock.today).mrr == 1000
    assert mrr_on(day=datetime.date(2026, 1, 5)).mrr == 1000


def test_credits_and_refunds_do_not_change_mrr(ledger, clock):
    workspace = ledger.workspace()
    ledger.subscribe(workspace)
    ledger.refund_last_payment(workspace)  # the whole 1200 given back
    ledger.credit(workspace, 500)
    ledger.days_pass(31)  # the renewal spends the credit: 700 charged
    assert mrr_on(day=clock.today).mrr == 1200
    assert mrr_on(day=datetime.date(2026, 1, 5)).mrr == 1200


def test_a_scheduled_cancellation_leaves_mrr_until_the_period_ends(ledger, clock):
    workspace = ledger.workspace()
    ledger.subscribe(workspace)
    clock.advance(days=10)
    ledger.cancel(workspace)
    snapshot = mrr_on(day=clock.today)
    # MRR keeps the 1200 until the plan ends; CMRR already leaves it out.
    assert (snapshot.mrr, snapshot.cmrr) == (1200, 0)
    assert snapshot.workspaces[0].cancel_scheduled
    assert mrr_on(day=clock.today - DAY).cmrr == 1200
    ledger.days_pass(21)  # 5 February: the renewal task ends the plan
    assert mrr_on(day=datetime.date(2026, 2, 4)).mrr == 1200
    assert mrr_on(day=datetime.date(2026, 2, 5)).mrr == 0


def test_a_resumed_cancellation_is_committed_again(ledger, clock):
    workspace = ledger.workspace()
    ledger.subscribe(workspace)
    clock.advance(days=3)
    ledger.cancel(workspace)
    clock.advance(days=1)
    ledger.resume(workspace)
    assert mrr_on(day=clock.today - DAY).cmrr == 0
    assert mrr_on(day=clock.today).cmrr == 1200


def test_failed_renewals_count_until_the_plan_ends(ledger, clock):
    workspace = ledger.workspace()
    ledger.subscribe(workspace)
    ledger.card(workspace, "decline")
    ledger.days_pass(36)  # fails on 5 Feb, retries 6, 8, 10 Feb; moved to Free on 10 Feb
    assert mrr_on(day=datetime.date(2026, 2, 9)).mrr == 1200
    assert mrr_on(day=datetime.date(2026, 2, 10)).mrr == 0


def test_a_recovered_payment_never_left_mrr(ledger, clock):
    workspace = ledger.workspace()
    ledger.subscribe(workspace)
    ledger.card(workspace, "decline")
    ledger.days_pass(32)  # fails on 5 Feb, first retry on 6 Feb fails
    ledger.card(workspace, "ok")
    ledger.days_pass(3)  # the retry of 8 Feb succeeds
    assert [mrr_on(day=datetime.date(2026, 2, d)).mrr for d in range(1, 10)] == [1200] * 9


def test_a_switch_to_annual_replaces_the_monthly_mrr(ledger, clock):
    workspace = ledger.workspace()
    ledger.subscribe(workspace)
    clock.advance(days=15)
    ledger.switch(workspace, "pro-annual")
    # Before: 1200. After: 12000 / 12 = 1000; the unused-time credit line is not revenue.
    assert mrr_on(day=clock.today - DAY).mrr == 1200
    assert mrr_on(day=clock.today).mrr == 1000


def test_an_immediate_end_churns_that_day(ledger, clock):
    workspace = ledger.workspace()
    ledger.subscribe(workspace)
    clock.advance(days=3)
    ledger.end_now(workspace)
    assert mrr_on(day=clock.today - DAY).mrr == 1200
    assert mrr_on(day=clock.today).mrr == 0


def test_one_workspace(ledger, clock):
    first, second = ledger.workspace(), ledger.workspace()
    ledger.subscribe(first)
    ledger.subscribe(second, plan="pro-annual")
    assert mrr_on(day=clock.today, workspace=second).mrr == 1000
    assert mrr_on(day=clock.today).mrr == 2200


def test_reporting_currency_setting(ledger, clock, rates, settings):
    settings.REPORTING_CURRENCY = "EUR"
    rates((clock.today, "USD", "1.25"))
    ledger.subscribe(ledger.workspace())
    # 1200 cents / 1.25 = 960 euro cents.
    snapshot = mrr_on(day=clock.today)
    assert (snapshot.currency, snapshot.mrr) == ("EUR", 960)


@pytest.mark.parametrize("size", [1, 6])
def test_query_count_does_not_grow_with_the_ledger(
    ledger, clock, rates, size, django_assert_max_num_queries
):
    rates((clock.today, "USD", "1.1"), (clock.today, "GBP", "0.9"))
    for index in range(size):
        workspace = ledger.workspace()
        ledger.subscribe(workspace, currency=["USD", "EUR", "GBP"][index % 3])
        if index % 2:
            ledger.cancel(workspace)
    ledger.days_pass(40)
    # The latest invoice per workspace with its annotations, then the rates.
    with django_assert_max_num_queries(2):
        snapshot = mrr_on(day=clock.today)
    assert snapshot.paying == size - size // 2
    assert Decimal(snapshot.mrr) > 0
