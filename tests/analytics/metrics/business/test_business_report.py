"""`business_report`: every section of February 2026 against the figures worked out by hand
from the history in conftest.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from analytics.metrics.business import (
    MAX_REPORT_DAYS,
    SECTIONS,
    business_report,
    movement_breakdown,
)

from .conftest import FEBRUARY

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(history):
    return business_report(**FEBRUARY)


def test_every_section_is_there_and_platform_health_is_left_for_later(report):
    assert set(SECTIONS) <= set(report)
    assert report["platform_health"] is None
    assert (report["start"], report["end"], report["currency"]) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 2, 28),
        "USD",
    )


def test_revenue_mrr_and_its_movements(report):
    revenue = report["revenue"]
    # Opening: alice's 12 USD. New: bob 12 + carol 120/12 = 22. Churn: alice on 5 Feb.
    assert revenue["missing_rate"] is None
    assert (revenue["opening_mrr"], revenue["mrr"], revenue["cmrr"]) == (1200, 2200, 2200)
    assert revenue["arr"] == 26400
    assert {m["kind"]: (m["amount"], m["workspaces"]) for m in revenue["movements"]} == {
        "new": (2200, 2),
        "expansion": (0, 0),
        "contraction": (0, 0),
        "churn": (-1200, 1),
        "reactivation": (0, 0),
        "fx": (0, 0),
    }
    assert revenue["net_new_mrr"] == 1000 == revenue["mrr"] - revenue["opening_mrr"]
    assert revenue["by_currency"] == [
        {"currency": "USD", "mrr": 2200, "reported_mrr": 2200, "paying": 2}
    ]


def test_revenue_customers_conversion_arpu_and_churn(report):
    revenue = report["revenue"]
    # Five personal workspaces; two pay. Never paid on 1 Feb: staff's; created in February:
    # bob's, carol's, dave's. Two of those four converted.
    assert (revenue["customers"], revenue["paying_customers"]) == (5, 2)
    assert (revenue["new_paying_customers"], revenue["churned_customers"]) == (2, 1)
    assert revenue["conversion_pool"] == 4
    assert revenue["free_to_paid_conversion"] == Decimal("0.5")
    assert revenue["arpu"] == 1100
    assert revenue["customer_churn_rate"] == Decimal(1)  # one of the one paying on 1 Feb
    assert revenue["gross_mrr_churn_rate"] == Decimal(1)  # 1200 lost of 1200


def test_revenue_ltv_cac_and_the_flag_below_three(report):
    revenue = report["revenue"]
    # Monthly churn: 1 of 1 over 28 days = 1461/48/28 = 1461/1344 a month; lifetime its
    # inverse. LTV = 1100 × 0.8 × 1344/1461 = 809.52… → 810. CAC = 100,000 / 2 new payers.
    assert revenue["ltv"] == 810
    assert (revenue["marketing_spend"], revenue["cac"]) == (100_000, 50_000)
    assert revenue["ltv_to_cac"] == Decimal("0.016191")  # 1182720 / 1461 / 50000
    assert revenue["ltv_to_cac_target"] == 3
    assert revenue["ltv_to_cac_below_target"] is True
    assert revenue["payback_months"] == Decimal("56.818182")  # 50000 / 880


def test_users(report):
    assert report["users"] == {
        "as_of": dt.date(2026, 2, 28),
        "total": 5,  # staff, alice, bob, carol, dave
        "new_7_days": 1,  # dave (22 Feb)
        "active_1_day": 1,  # alice signed in on 28 Feb
        "active_7_days": 2,  # alice, dave
        "active_30_days": 4,  # alice, bob, carol, dave
        "dau_mau": 0.25,
        # February's sign-ups: bob's first video came 7 days 23 hours later; carol's and
        # dave's within 7 days.
        "activation": {"days": 7, "signed_up": 3, "activated": 2, "rate": 2 / 3},
        "videos_per_user": 1.0,  # 5 videos, 5 accounts
        "videos_per_creator": 1.25,  # 5 videos by 4 people
    }


def test_content(report, history):
    first, second = history.templates
    content = report["content"]
    assert (content["total_videos"], content["videos_7_days"], content["videos_in_range"]) == (
        5,
        1,
        4,
    )
    assert content["average_length_seconds"] == 25.0  # 10, 20, 30, 40
    assert [(p["platform"], p["posts"], p["share"]) for p in content["platforms"]] == [
        ("youtube", 2, 2 / 3),
        ("tiktok", 1, 1 / 3),
    ]
    assert [(t["key"], t["videos"]) for t in content["templates"]] == [
        (first.key, 3),
        (second.key, 1),
    ]


def test_growth_trends(report):
    months = report["growth"]["months"]
    assert [row["month"] for row in months] == [
        dt.date(2025, 9, 1),
        dt.date(2025, 10, 1),
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]
    assert [row["signups"] for row in months] == [0, 0, 0, 0, 1, 3]
    assert [row["mrr"] for row in months] == [0, 0, 0, 0, 1200, 2200]
    january, february = months[-2], months[-1]
    assert (january["signups_change"], january["signups_velocity"]) == (1, None)
    assert (february["signups_change"], february["signups_velocity"]) == (2, 2.0)
    assert (january["mrr_change"], january["mrr_velocity"]) == (1200, None)
    assert (february["mrr_change"], february["mrr_velocity"]) == (1000, 1000 / 1200)
    assert not any(row["partial"] for row in months)


def test_a_range_ending_mid_month_makes_the_last_month_partial(history):
    months = business_report(
        start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 12), sections=["growth"]
    )["growth"]["months"]
    assert months[-1]["partial"] is True
    # On 12 Feb: bob pays (12), alice has churned.
    assert months[-1]["mrr"] == 1200


def test_cohorts(report):
    cohorts = {row["cohort"]: row for row in report["cohorts"]["cohorts"]}
    assert len(cohorts) == 12
    assert min(cohorts) == dt.date(2025, 3, 1)
    june, january, february = (
        cohorts[dt.date(2025, 6, 1)],
        cohorts[dt.date(2026, 1, 1)],
        cohorts[dt.date(2026, 2, 1)],
    )
    assert june["size"] == 1 and june["retained"] == [0] * 9 + [None] * 4
    assert january["size"] == 1 and january["retained"][:3] == [1, 1, None]
    assert february["size"] == 3 and february["retained"][:2] == [3, None]
    assert february["retention"][0] == 1.0


def test_the_seed_funnel_with_its_flagged_drops(report):
    funnel = report["funnel"]
    assert funnel["key"] == "visitor_to_pro"
    steps = funnel["steps"]
    # Visitors bob, carol, dave, x, y; signed up bob, carol, dave; verified bob, dave; a first
    # video bob, dave; Pro bob.
    assert [s["count"] for s in steps] == [5, 3, 2, 2, 1]
    assert [s["flagged"] for s in steps] == [False, True, True, False, True]


def test_a_subset_of_sections(history):
    report = business_report(**FEBRUARY, sections=["users"])
    assert "users" in report and "revenue" not in report


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2026, 3, 1), dt.date(2026, 2, 1)),  # reversed
        (dt.date(1999, 12, 31), dt.date(2000, 1, 2)),  # before 2000
        (dt.date(2025, 1, 1), dt.date(2025, 1, 1) + dt.timedelta(days=MAX_REPORT_DAYS)),
    ],
)
def test_ranges_it_refuses(db, start, end):
    with pytest.raises(ValueError):
        business_report(start=start, end=end)


def test_the_churn_drill_down_lists_alice(history):
    breakdown = movement_breakdown(**FEBRUARY, kind="churn")
    assert breakdown["total"] == -1200
    assert [
        (row["workspace_id"], row["amount"], row["first_day"]) for row in breakdown["workspaces"]
    ] == [(history.workspaces["alice"].pk, -1200, dt.date(2026, 2, 5))]


def test_the_new_drill_down_adds_up_to_the_movement(history, report):
    breakdown = movement_breakdown(**FEBRUARY, kind="new")
    amounts = {row["workspace_id"]: row["amount"] for row in breakdown["workspaces"]}
    assert amounts == {history.workspaces["bob"].pk: 1200, history.workspaces["carol"].pk: 1000}
    new = next(m for m in report["revenue"]["movements"] if m["kind"] == "new")
    assert breakdown["total"] == new["amount"]


def test_an_unknown_movement_is_refused(db):
    with pytest.raises(ValueError):
        movement_breakdown(**FEBRUARY, kind="growth")


def test_a_missing_exchange_rate_leaves_revenue_blank_and_names_it(history, ledger):
    from .conftest import utc

    ledger.clock.now = utc(2026, 2, 20, 12)
    ledger.subscribe(ledger.workspace(), currency="EUR")
    report = business_report(**FEBRUARY)
    # Rates are stored per euro: EUR to USD needs the day's USD rate, and none is stored.
    missing = {"currency": "USD", "day": dt.date(2026, 2, 20)}
    assert report["revenue"] == {"currency": "USD", "missing_rate": missing}
    assert report["growth"]["missing_rate"] == missing
    assert [row["mrr"] for row in report["growth"]["months"]][-1] is None
    assert report["users"]["total"] == 6  # the other sections are unaffected


def test_with_the_rate_stored_the_foreign_subscription_counts(history, ledger, rates):
    from .conftest import utc

    rates((dt.date(2026, 2, 20), "USD", "1.25"))  # 1 EUR = 1.25 USD
    ledger.clock.now = utc(2026, 2, 20, 12)
    ledger.subscribe(ledger.workspace(), currency="EUR")  # 11 EUR a month
    revenue = business_report(**FEBRUARY, sections=["revenue"])["revenue"]
    assert revenue["mrr"] == 2200 + 1375  # 11 EUR at 1.25
    assert {row["currency"]: row["mrr"] for row in revenue["by_currency"]} == {
        "EUR": 1100,
        "USD": 2200,
    }


def test_a_range_in_january_2000_has_no_months_before_it(db):
    report = business_report(start=dt.date(2000, 1, 1), end=dt.date(2000, 1, 31))
    assert [row["month"] for row in report["growth"]["months"]] == [dt.date(2000, 1, 1)]
    assert report["growth"]["months"][0]["mrr_change"] is None  # nothing before to compare
    assert [row["cohort"] for row in report["cohorts"]["cohorts"]] == [dt.date(2000, 1, 1)]
