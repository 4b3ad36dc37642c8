"""A range's MRR movements read from the daily rollup are `mrr_movements`' own: on the rich
history with every movement, and on generated ones, for ranges that end today or before."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.metrics import rollups
from analytics.metrics.business import revenue_section
from analytics.metrics.models import DailyMetric, MrrMovementEntry
from analytics.metrics.revenue import Movement, mrr_movements
from analytics.metrics.revenue.stored import MOVEMENTS_STORED, stored_mrr_movements

from .conftest import START
from .ledger_histories import RICH_HISTORY, act, draw_step, move_rate, world

DAY = datetime.timedelta(days=1)
FIRST = START.date() - DAY


def _rich(clock):
    ledger, workspaces = world(clock)
    move_rate(START.date() + 31 * DAY, "USD", Decimal("1.2"))
    move_rate(START.date() + 31 * DAY, "GBP", Decimal("0.9"))
    for gap, step in RICH_HISTORY:
        ledger.days_pass(gap)
        clock.advance(minutes=7)
        assert act(ledger, workspaces, step), step
    ledger.days_pass(45)
    return ledger, workspaces


def _assert_same(ranges, today):
    for start, end in ranges:
        stored = stored_mrr_movements(start=start, end=end, today=today)
        assert stored == mrr_movements(start=start, end=end), (start, end)


def _ranges(today: datetime.date, offsets) -> list[tuple[datetime.date, datetime.date]]:
    days = (today - FIRST).days
    cut = [sorted((a % days, b % days)) for a, b in offsets]
    return [(FIRST + DAY + a * DAY, FIRST + DAY + b * DAY) for a, b in cut] + [
        (FIRST + DAY, today),
        (today, today),
        (max(FIRST + DAY, today - 29 * DAY), today),
    ]


@pytest.mark.django_db
def test_the_rich_historys_movements_from_the_rollup(clock):
    _rich(clock)
    today = clock.today
    rollups.rollups_write(start=FIRST, end=today)
    whole = stored_mrr_movements(start=FIRST + DAY, end=today, today=today)
    assert all(whole.amounts[kind] for kind in Movement), whole.amounts
    _assert_same(_ranges(today, [(10, 40), (30, 31), (0, 90), (60, 200), (5, 5)]), today)


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_generated_histories_movements_from_the_rollup(clock, data):
    with transaction.atomic():
        ledger, workspaces = world(clock)
        for _ in range(data.draw(st.integers(3, 14), label="steps")):
            ledger.days_pass(data.draw(st.integers(0, 40), label="days"))
            clock.advance(minutes=7)
            act(ledger, workspaces, draw_step(data, ledger, workspaces))
        ledger.days_pass(data.draw(st.integers(0, 30), label="tail"))
        today = clock.today
        rollups.rollups_write(start=FIRST, end=today)
        offsets = data.draw(
            st.lists(st.tuples(st.integers(0, 800), st.integers(0, 800)), min_size=1, max_size=4),
            label="ranges",
        )
        _assert_same(_ranges(today, offsets), today)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_stored_entries_are_what_is_read(clock):
    _rich(clock)
    today = clock.today
    rollups.rollups_write(start=FIRST, end=today)
    entry = MrrMovementEntry.objects.filter(kind=Movement.EXPANSION).first()
    MrrMovementEntry.objects.filter(pk=entry.pk).update(amount=entry.amount + 1)
    start = FIRST + DAY
    stored = stored_mrr_movements(start=start, end=today, today=today)
    replayed = mrr_movements(start=start, end=today)
    assert stored.amounts[Movement.EXPANSION] == replayed.amounts[Movement.EXPANSION] + 1


@pytest.mark.django_db
def test_without_the_days_it_needs_the_range_is_replayed(clock):
    _rich(clock)
    today = clock.today
    rollups.rollups_write(start=FIRST, end=today - 10 * DAY)
    start = FIRST + DAY
    # The days before the last are not all stored, or the day before the start is not, or
    # the range ends after today: nothing from the rollup.
    assert stored_mrr_movements(start=start, end=today, today=today) is None
    assert stored_mrr_movements(start=FIRST, end=today - 20 * DAY, today=today) is None
    assert stored_mrr_movements(start=start, end=today + DAY, today=today + DAY) is None
    assert stored_mrr_movements(start=start, end=today - 9 * DAY, today=today) is not None
    DailyMetric.objects.filter(key=MOVEMENTS_STORED, day=start + DAY).delete()
    assert stored_mrr_movements(start=start, end=today - 9 * DAY, today=today) is None
    # The dashboard then replays: the same section either way.
    rollups.rollups_write(start=FIRST, end=today)
    from_rollup = revenue_section(start=start, end=today)
    MrrMovementEntry.objects.all().delete()
    DailyMetric.objects.filter(key=MOVEMENTS_STORED).delete()
    assert revenue_section(start=start, end=today) == from_rollup


@pytest.mark.django_db
def test_reading_from_the_rollup_costs_the_same_at_two_sizes(clock, django_assert_max_num_queries):
    ledger, _workspaces = _rich(clock)
    today = clock.today
    rollups.rollups_write(start=FIRST, end=today)
    with django_assert_max_num_queries(12) as small:
        stored_mrr_movements(start=FIRST + DAY, end=today, today=today)
    for _ in range(6):
        ledger.subscribe(ledger.workspace())
    ledger.days_pass(40)
    today = clock.today
    rollups.rollups_write(start=FIRST, end=today)
    with django_assert_max_num_queries(12) as large:
        assert stored_mrr_movements(start=FIRST + DAY, end=today, today=today)
    assert len(large.captured_queries) == len(small.captured_queries)
