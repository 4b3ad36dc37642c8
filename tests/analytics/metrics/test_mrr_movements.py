"""MRR movements against a hand-computed February, and the drill-down behind each figure.

The history (clock from Monday 2026-01-05 09:00 UTC; renewals run daily at 09:00):
- A: Pro monthly USD from 5 Jan — 1200, no change in February.
- B: Pro monthly EUR from 5 Jan at USD 1.10 per euro — 1100 × 1.10 = 1210; renews on 5 Feb
  when USD is 1.20 — 1100 × 1.20 = 1320: FX impact +110, nothing else.
- C: Pro monthly USD from 5 Jan (1200); switches to annual on 10 Feb — 12000 / 12 = 1000:
  contraction −200.
- D: Pro annual USD from 5 Jan (1000); switches to monthly on 12 Feb (1200): expansion +200.
- E: Pro monthly USD from 5 Jan, cancels on 20 Jan, ends at the period's end on 5 Feb: churn −1200.
- F: new on Sunday 15 Feb, Pro monthly GBP; Friday 13 Feb's GBP 0.80 and 5 Feb's USD 1.20:
  1000 × 1.20 / 0.80 = 1500.
- G: Pro monthly USD from 5 Jan, ended on 10 Jan (churned in January), back on 20 Feb:
  reactivation +1200.
- H: new on 25 Feb, Pro annual USD: 12000 / 12 = 1000.

Opening MRR (end of 31 Jan): A 1200 + B 1210 + C 1200 + D 1000 + E 1200 = 5810.
February: new 1500 + 1000 = 2500; expansion 200; contraction −200; churn −1200;
reactivation 1200; FX 110. Net new = 2500 + 200 − 200 − 1200 + 1200 + 110 = 2610.
Closing MRR (end of 28 Feb): 5810 + 2610 = 8420
= A 1200 + B 1320 + C 1000 + D 1200 + F 1500 + G 1200 + H 1000.
"""

import datetime

import pytest

from analytics.metrics.revenue import Movement, mrr_movement_breakdown, mrr_movements, mrr_on

D = datetime.date
FEB_1, FEB_28 = D(2026, 2, 1), D(2026, 2, 28)


def _until(ledger, clock, day: datetime.date) -> None:
    """Days pass (tasks running each morning) until it is `day`, 09:00."""
    ledger.days_pass((day - clock.today).days)


@pytest.fixture
def february(ledger, clock, rates) -> dict[str, int]:
    rates((D(2026, 1, 5), "USD", "1.10"))
    ws = {name: ledger.workspace() for name in "ABCDEFGH"}
    ledger.subscribe(ws["A"])
    ledger.subscribe(ws["B"], currency="EUR")
    ledger.subscribe(ws["C"])
    ledger.subscribe(ws["D"], plan="pro-annual")
    ledger.subscribe(ws["E"])
    ledger.subscribe(ws["G"])
    _until(ledger, clock, D(2026, 1, 10))
    ledger.end_now(ws["G"])
    _until(ledger, clock, D(2026, 1, 20))
    ledger.cancel(ws["E"])
    rates((D(2026, 2, 5), "USD", "1.20"))
    _until(ledger, clock, D(2026, 2, 10))
    ledger.switch(ws["C"], "pro-annual")
    _until(ledger, clock, D(2026, 2, 12))
    ledger.switch(ws["D"], "pro-monthly")
    rates((D(2026, 2, 13), "GBP", "0.80"))
    _until(ledger, clock, D(2026, 2, 15))
    ledger.subscribe(ws["F"], currency="GBP")
    _until(ledger, clock, D(2026, 2, 20))
    ledger.subscribe(ws["G"])
    _until(ledger, clock, D(2026, 2, 25))
    ledger.subscribe(ws["H"], plan="pro-annual")
    _until(ledger, clock, D(2026, 3, 2))
    return {name: workspace.pk for name, workspace in ws.items()}


def test_february_movements(february):
    movements = mrr_movements(start=FEB_1, end=FEB_28)
    assert (movements.opening_mrr, movements.closing_mrr) == (5810, 8420)
    assert movements.amounts == {
        Movement.NEW: 2500,
        Movement.EXPANSION: 200,
        Movement.CONTRACTION: -200,
        Movement.CHURN: -1200,
        Movement.REACTIVATION: 1200,
        Movement.FX: 110,
    }
    assert movements.net_new == 2610 == movements.closing_mrr - movements.opening_mrr
    assert movements.counts == {
        Movement.NEW: 2,
        Movement.EXPANSION: 1,
        Movement.CONTRACTION: 1,
        Movement.CHURN: 1,
        Movement.REACTIVATION: 1,
        Movement.FX: 1,
    }
    # 5 paying at the start (A–E), 7 at the end (A–D, F, G, H).
    assert (movements.opening_paying, movements.closing_paying) == (5, 7)


def test_opening_and_closing_are_mrr_on_the_days_around(february):
    movements = mrr_movements(start=FEB_1, end=FEB_28)
    assert movements.opening_mrr == mrr_on(day=D(2026, 1, 31)).mrr
    assert movements.closing_mrr == mrr_on(day=FEB_28).mrr


def test_the_drill_down_lists_the_workspaces_behind_each_figure(february):
    rows = mrr_movement_breakdown(start=FEB_1, end=FEB_28)
    assert [(row.kind, row.workspace_id, row.amount, row.days) for row in rows] == [
        (Movement.NEW, february["F"], 1500, (D(2026, 2, 15),)),
        (Movement.NEW, february["H"], 1000, (D(2026, 2, 25),)),
        (Movement.EXPANSION, february["D"], 200, (D(2026, 2, 12),)),
        (Movement.CONTRACTION, february["C"], -200, (D(2026, 2, 10),)),
        (Movement.CHURN, february["E"], -1200, (D(2026, 2, 5),)),
        (Movement.REACTIVATION, february["G"], 1200, (D(2026, 2, 20),)),
        (Movement.FX, february["B"], 110, (D(2026, 2, 5),)),
    ]
    assert all(row.workspace_name for row in rows)
    only_churn = mrr_movement_breakdown(start=FEB_1, end=FEB_28, kind=Movement.CHURN)
    assert [(row.workspace_id, row.amount) for row in only_churn] == [(february["E"], -1200)]


def test_a_day_on_its_own(february):
    # 5 February: E's plan ends (−1200) and B renews at the new rate (+110).
    day = mrr_movements(start=D(2026, 2, 5), end=D(2026, 2, 5))
    assert (day.churn, day.fx, day.net_new) == (-1200, 110, -1090)
    assert day.closing_mrr - day.opening_mrr == -1090


def test_days_add_up_to_the_period(february):
    days = [
        mrr_movements(start=FEB_1 + datetime.timedelta(n), end=FEB_1 + datetime.timedelta(n))
        for n in range(28)
    ]
    period = mrr_movements(start=FEB_1, end=FEB_28)
    for kind in Movement:
        assert sum(day.amounts[kind] for day in days) == period.amounts[kind]


def test_churn_and_return_in_one_period_show_both(february):
    # January and February: G is new on 5 Jan, churns on 10 Jan, comes back on 20 Feb.
    rows = mrr_movement_breakdown(start=D(2026, 1, 1), end=FEB_28)
    g = [(row.kind, row.amount) for row in rows if row.workspace_id == february["G"]]
    assert g == [(Movement.NEW, 1200), (Movement.CHURN, -1200), (Movement.REACTIVATION, 1200)]
    movements = mrr_movements(start=D(2026, 1, 1), end=FEB_28)
    assert movements.opening_mrr == 0
    assert movements.net_new == movements.closing_mrr == 8420


def test_nrr_cohort_keeps_the_opening_payers_without_fx(february):
    movements = mrr_movements(start=FEB_1, end=FEB_28)
    # Opening payers A–E at the end: A 1200 + B 1320 + C 1000 + D 1200 + E 0 = 4720, less
    # B's FX impact 110 = 4610 (= 5810 + 200 − 200 − 1200).
    assert movements.retained_mrr == 4610


def test_a_period_must_not_end_before_it_starts(db):
    with pytest.raises(ValueError, match="ends before"):
        mrr_movements(start=FEB_28, end=FEB_1)


@pytest.mark.parametrize("size", [1, 5])
def test_query_count_does_not_grow(ledger, clock, rates, size, django_assert_max_num_queries):
    rates((clock.today, "USD", "1.1"), (clock.today + datetime.timedelta(days=31), "USD", "1.2"))
    workspaces = [ledger.workspace() for _ in range(size)]
    for index, workspace in enumerate(workspaces):
        ledger.subscribe(workspace, currency="EUR" if index % 2 else "USD")
    ledger.days_pass(20)
    for workspace in workspaces[::2]:
        ledger.cancel(workspace)
    ledger.days_pass(45)
    start, end = D(2026, 1, 1), clock.today
    # Opening invoices, invoices of the period, history rows of the period, which of the
    # period's workspaces had paid before it, rates.
    with django_assert_max_num_queries(5):
        movements = mrr_movements(start=start, end=end)
    assert movements.counts[Movement.NEW] == size
    assert movements.counts[Movement.CHURN] == (size + 1) // 2
    # And one more for the workspaces' names.
    with django_assert_max_num_queries(6):
        rows = mrr_movement_breakdown(start=start, end=end)
    assert len(rows) >= 2 * size - size // 2
