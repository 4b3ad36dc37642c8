"""The dashboard's funnel read from its rollup of entries: the funnel function's own figures,
with today (and any day not stored) computed live and each person counted once across both."""

import datetime as dt

import pytest
from django.core.management import call_command

from analytics.events import EventName, record
from analytics.metrics.funnels import (
    FUNNELS,
    funnel,
    funnel_entries_write,
    predefined_funnel,
)
from analytics.metrics.models import DailyMetric, FunnelEntry
from analytics.metrics.rollups import refresh_recent
from tests.factories import UserFactory

KEY = "visitor_to_pro"
STEPS = [str(step) for step in FUNNELS[KEY].steps]
MAR = dt.date(2026, 3, 1)
TODAY = dt.date(2026, 3, 26)
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)
SIGNED_UP, VERIFIED = EventName.USER_SIGNED_UP, EventName.USER_VERIFIED


def did(name, user, at, **kwargs):
    return record(name, actor=user, occurred_at=at, **kwargs)


def visit(anonymous_id, at):
    return record("page.viewed", anonymous_id=anonymous_id, occurred_at=at)


def counts(result):
    return [step["count"] for step in result["steps"]]


@pytest.fixture
def history(db):
    """u1: browser a1 on 2 March, every step; a second browser b1 on 20 March (one step).
    u2: browser a2 on 3 March, signs up and verifies; first video past the window.
    a3: a visit on 7 March. u3: browser c on 10 March, signs up; a second browser d today.
    u4: browser e on 4 March (signed in on it later), signs up on 20 March on browser f: the
    later entry gets further. The rollup holds 1–25 March; today (26 March) is live."""
    u1, u2, u3, u4 = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    visit("a1", T0)
    did(SIGNED_UP, u1, T0 + HOUR, anonymous_id="a1")
    did(VERIFIED, u1, T0 + 2 * HOUR)
    did(EventName.VIDEO_CREATED, u1, T0 + DAY)
    did(EventName.SUBSCRIPTION_STARTED, u1, T0 + 3 * DAY)
    did(EventName.USER_LOGGED_IN, u1, T0 + 18 * DAY, anonymous_id="b1")
    visit("a2", T0 + DAY)
    did(SIGNED_UP, u2, T0 + 2 * DAY, anonymous_id="a2")
    did(VERIFIED, u2, T0 + 2 * DAY + HOUR)
    did(EventName.VIDEO_CREATED, u2, T0 + 21 * DAY)
    visit("a3", T0 + 5 * DAY)
    visit("c", T0 + 8 * DAY)
    did(SIGNED_UP, u3, T0 + 8 * DAY + HOUR, anonymous_id="c")
    did(EventName.USER_LOGGED_IN, u3, T0 + 24 * DAY, anonymous_id="d")
    visit("e", T0 + 2 * DAY)
    visit("f", T0 + 18 * DAY)
    did(SIGNED_UP, u4, T0 + 18 * DAY + HOUR, anonymous_id="f")
    did(EventName.USER_LOGGED_IN, u4, T0 + 22 * DAY, anonymous_id="e")
    funnel_entries_write(start=MAR, end=dt.date(2026, 3, 25))
    return u1, u2, u3, u4


def stored(start, end):
    return predefined_funnel(key=KEY, start=start, end=end, today=TODAY)


def test_the_stored_funnel_counts_each_person_once_by_hand(history):
    result = stored(MAR, TODAY)
    # Visitors: u1 (a1 and b1), u2, a3, u3 (c stored, d live), u4 (e and f) = 5; signed up
    # u1, u2, u3, u4; verified u1, u2; first video in the window u1; Pro u1.
    assert counts(result) == [5, 4, 2, 1, 1]
    # Sign-up after 1 h, 1 day, 1 h, 1 h; verified after 1 h, 1 h; video 22 h; Pro 2 days.
    assert [s["median_seconds_to_convert"] for s in result["steps"]] == [
        None,
        3_600.0,
        3_600.0,
        22 * 3_600.0,
        2 * 86_400.0,
    ]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (MAR, TODAY),  # stored days and today
        (dt.date(2026, 3, 15), TODAY),  # u1's second browser only: one step for u1
        (dt.date(2026, 3, 5), dt.date(2026, 3, 12)),  # stored days only
        (dt.date(2026, 2, 1), TODAY),  # February never stored: computed live
        (MAR, dt.date(2026, 3, 31)),  # days after today
        (TODAY, TODAY),  # today alone
    ],
)
def test_the_stored_funnel_is_the_funnel_functions_own(history, start, end):
    assert stored(start, end) == funnel(steps=STEPS, start=start, end=end)


def test_past_days_are_read_from_the_rollup(history):
    u1 = history[0]
    FunnelEntry.objects.filter(person=str(u1.pk)).delete()
    # u1's entries are gone from the stored days; today has none of theirs.
    assert counts(stored(MAR, TODAY)) == [4, 3, 1, 0, 0]


def test_a_day_without_its_marker_is_computed_live(history):
    DailyMetric.objects.filter(key="funnel_entries:visitor_to_pro", day=T0.date()).delete()
    FunnelEntry.objects.filter(day=T0.date()).delete()
    assert counts(stored(MAR, TODAY)) == [5, 4, 2, 1, 1]


def test_a_later_step_shows_after_the_hourly_refresh(history):
    u3 = history[2]
    did(VERIFIED, u3, T0 + 9 * DAY)  # within u3's window, recorded after the rollup
    assert counts(stored(MAR, TODAY))[2] == 2
    refresh_recent(today=TODAY)
    assert counts(stored(MAR, TODAY))[2] == 3
    assert stored(MAR, TODAY) == funnel(steps=STEPS, start=MAR, end=TODAY)


def test_rebuilding_writes_the_entries_and_twice_changes_nothing(history):
    FunnelEntry.objects.all().delete()
    call_command("rebuild_metrics", "--since", "2026-03-01", "--until", "2026-03-25")
    rows = sorted(FunnelEntry.objects.values_list("person", "entered_at", "waits"))
    call_command("rebuild_metrics", "--since", "2026-03-01", "--until", "2026-03-25")
    assert sorted(FunnelEntry.objects.values_list("person", "entered_at", "waits")) == rows
    # a1, b1, a2, a3, c, e and f: one row per entry, not per person.
    assert len(rows) == 7
    # Only u1's and u4's rows need a best chosen when read.
    u1, _u2, _u3, u4 = history
    shared = FunnelEntry.objects.filter(shared=True).values_list("person", flat=True)
    assert set(shared) == {str(u1.pk), str(u4.pk)}
    markers = DailyMetric.objects.filter(key="funnel_entries:visitor_to_pro")
    assert markers.count() == 25
    assert markers.get(day=T0.date()).value == 1


def test_another_window_or_a_part_of_a_day_is_computed_live(history):
    FunnelEntry.objects.all().delete()  # the rollup would say nobody entered
    wider = predefined_funnel(key=KEY, start=MAR, end=TODAY, window_days=30, today=TODAY)
    assert counts(wider) == [5, 4, 2, 2, 1]  # u2's first video, 20 days on, is in a 30-day window
    since = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    assert counts(predefined_funnel(key=KEY, start=since, end=TODAY, today=TODAY))[0] == 5


def _more_people(n: int) -> None:
    for index in range(n):
        user = UserFactory()
        at = T0 + dt.timedelta(days=index % 20, hours=index % 7)
        visit(f"m{index}", at)
        did(SIGNED_UP, user, at + HOUR, anonymous_id=f"m{index}")
        did(VERIFIED, user, at + 2 * HOUR)


def test_the_stored_funnel_takes_the_same_queries_at_two_sizes(
    history, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as small:
        stored(MAR, TODAY)
    _more_people(30)
    funnel_entries_write(start=MAR, end=dt.date(2026, 3, 25))
    with django_assert_max_num_queries(20) as large:
        result = stored(MAR, TODAY)
    assert counts(result)[0] == 35
    assert len(large.captured_queries) == len(small.captured_queries)
