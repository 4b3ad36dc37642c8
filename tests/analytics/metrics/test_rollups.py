"""The daily rollup stores exactly what the metric functions compute, can be rebuilt and
refreshed any number of times, and is what the dashboards read (today live)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from analytics.events import EventName, record
from analytics.metrics import rollups
from analytics.metrics.engagement import active_users
from analytics.metrics.models import DailyMetric
from analytics.metrics.revenue import Movement, mrr_movements, mrr_on
from analytics.metrics.tasks import refresh_rollups
from tests.factories import UserFactory

D = datetime.date
JAN_5, FEB_20 = D(2026, 1, 5), D(2026, 2, 20)


@pytest.fixture
def history(ledger, clock, rates):
    """A: Pro monthly USD from 5 Jan; B: Pro monthly EUR from 5 Jan (USD 1.10, then 1.20 per
    euro from 5 Feb); C: Pro monthly from 5 Jan, cancels on 8 Jan, ends on 5 Feb; D: new on
    12 Feb, Pro annual. Sign-ins and videos on a few days."""
    rates((JAN_5, "USD", "1.10"))
    a, b, c, d = (ledger.workspace() for _ in range(4))
    ledger.subscribe(a)
    ledger.subscribe(b, currency="EUR")
    ledger.subscribe(c)
    people = [ledger.owners[w.pk] for w in (a, b, c)]
    for offset, person in enumerate(people):
        record(EventName.USER_LOGGED_IN, actor=person, occurred_at=clock.now)
        record(
            EventName.VIDEO_CREATED,
            actor=person,
            occurred_at=clock.now + datetime.timedelta(days=offset),
        )
    ledger.days_pass(3)
    ledger.cancel(c)
    rates((D(2026, 2, 5), "USD", "1.20"))
    ledger.days_pass((D(2026, 2, 12) - clock.today).days)
    ledger.subscribe(d, plan="pro-annual")
    record(EventName.USER_LOGGED_IN, actor=people[0], occurred_at=clock.now)
    ledger.days_pass((FEB_20 - clock.today).days)
    return {"a": a, "b": b, "c": c, "d": d}


def _stored() -> dict[tuple, int]:
    return {(m.day, m.key, m.currency): m.value for m in DailyMetric.objects.all()}


def test_a_rebuild_stores_what_the_functions_compute(history):
    call_command("rebuild_metrics", "--since", "2026-01-01", "--until", "2026-02-20")
    stored = _stored()
    day = D(2026, 1, 1)
    while day <= FEB_20:
        snapshot = mrr_on(day=day)
        assert stored[(day, "mrr", "USD")] == snapshot.mrr
        assert stored[(day, "cmrr", "USD")] == snapshot.cmrr
        assert stored[(day, "paying", "")] == snapshot.paying
        moved = mrr_movements(start=day, end=day)
        for kind in Movement:
            assert stored[(day, f"mrr_{kind}", "USD")] == moved.amounts.get(kind, 0), (day, kind)
        active = active_users(day=day)
        for key in ("dau", "wau", "mau"):
            assert stored[(day, key, "")] == active[key], (day, key)
        day += datetime.timedelta(days=1)
    # By hand: on 20 Feb A 1200 + B 1100 € × 1.20 = 1320 + D 12000 / 12 = 1000 → 3520 USD;
    # C churned on 5 Feb (−1200); B's renewal on 5 Feb moved +110 by the rate alone.
    assert stored[(FEB_20, "mrr", "USD")] == 3520
    assert stored[(D(2026, 2, 5), "mrr_churn", "USD")] == -1200
    assert stored[(D(2026, 2, 5), "mrr_fx", "USD")] == 110
    assert stored[(FEB_20, "mrr_native", "EUR")] == 1100
    assert stored[(JAN_5, "videos_created", "")] == 1
    assert stored[(JAN_5, "signups", "")] == 4


def test_rebuilding_twice_changes_nothing(history):
    call_command("rebuild_metrics", "--since", "2026-01-01", "--until", "2026-02-20")
    first = _stored()
    call_command("rebuild_metrics", "--since", "2026-01-01", "--until", "2026-02-20")
    assert _stored() == first


def test_a_dry_run_stores_nothing(history, capsys):
    call_command("rebuild_metrics", "--since", "2026-02-01", "--until", "2026-02-20", "--dry-run")
    assert DailyMetric.objects.count() == 0
    assert "nothing stored" in capsys.readouterr().out


def test_the_hourly_refresh_rewrites_the_last_days_and_today(history, clock):
    assert refresh_rollups() == refresh_rollups()
    days = set(DailyMetric.objects.filter(key__in=rollups.KEYS).values_list("day", flat=True))
    assert days == {FEB_20 - datetime.timedelta(days=n) for n in range(4)}
    # The dashboard funnel's entries: its 14-day window and the same 3 late days, and today.
    funnel_days = set(
        DailyMetric.objects.filter(key="funnel_entries:visitor_to_pro").values_list(
            "day", flat=True
        )
    )
    assert funnel_days == {FEB_20 - datetime.timedelta(days=n) for n in range(18)}


def test_dashboards_read_the_rollup_and_compute_today_live(
    history, clock, django_assert_max_num_queries
):
    call_command("rebuild_metrics", "--since", "2026-02-01", "--until", "2026-02-19")
    # A stored figure that differs from the truth shows the read comes from the rollup.
    DailyMetric.objects.filter(day=D(2026, 2, 10), key="mrr").update(value=1)
    with django_assert_max_num_queries(12):  # the rows, then today's figures computed live
        series = rollups.daily_series(keys=["mrr", "dau"], start=D(2026, 2, 1), end=FEB_20)
    assert series["mrr"][D(2026, 2, 10)] == 1
    assert series["mrr"][FEB_20] == mrr_on(day=FEB_20).mrr == 3520
    assert len(series["mrr"]) == len(series["dau"]) == 20


def test_days_no_rollup_reached_are_computed(history):
    series = rollups.daily_series(keys=["mrr"], start=D(2026, 2, 1), end=D(2026, 2, 3))
    assert series["mrr"] == {D(2026, 2, n): mrr_on(day=D(2026, 2, n)).mrr for n in (1, 2, 3)}


def test_reading_needs_few_queries_whatever_the_range(history, django_assert_max_num_queries):
    call_command("rebuild_metrics", "--since", "2026-01-01", "--until", "2026-02-19")
    for start in (D(2026, 2, 13), D(2026, 1, 1)):
        with django_assert_max_num_queries(12):
            rollups.daily_series(keys=list(rollups.MONEY_KEYS), start=start, end=FEB_20)


def test_unknown_keys_are_refused(db):
    with pytest.raises(ValueError):
        rollups.daily_series(keys=["mrr_native"], start=JAN_5, end=JAN_5)
    with pytest.raises(ValueError):
        rollups.daily_series(keys=["nope"], start=JAN_5, end=JAN_5)


@pytest.mark.parametrize(
    "arguments",
    [["--since", "yesterday"], ["--since", "2026-02-02", "--until", "2026-02-01"]],
)
def test_the_command_refuses_bad_dates(db, arguments):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rebuild_metrics", *arguments)


def test_a_person_signing_up_counts_on_their_day(db, clock):
    UserFactory(date_joined=clock.now)
    figures = rollups.daily_figures(start=clock.today, end=clock.today)
    assert ("signups", 1) in {(f.key, f.value) for f in figures}


@pytest.mark.parametrize("keys", [["mrr"], ["dau", "mau"], ["signups"], ["mrr", "videos_created"]])
def test_figures_for_some_keys_are_those_of_the_whole_computation(history, keys):
    everything = rollups.daily_figures(start=JAN_5, end=FEB_20)
    some = rollups.daily_figures(start=JAN_5, end=FEB_20, keys=keys)
    assert {f for f in everything if f.key in keys} == {f for f in some if f.key in keys}
    assert {f.key for f in some if f.key in keys} == set(keys)


def test_a_series_of_mrr_does_not_read_the_event_log(history, clock, django_assert_max_num_queries):
    # Today is computed live: MRR alone needs the ledger, not the active users' events, and
    # sign-ups need no ledger.
    with django_assert_max_num_queries(5) as counted:
        rollups.daily_figures(start=clock.today, end=clock.today, keys=["mrr"])
    assert not any("analytics_event" in q["sql"] for q in counted.captured_queries)
    with django_assert_max_num_queries(2) as counted:
        rollups.daily_figures(start=clock.today, end=clock.today, keys=["signups"])
    assert not any("billing_invoice" in q["sql"] for q in counted.captured_queries)
