"""`read()`: the one way consumers walk the event log."""

import datetime as dt
import uuid

import pytest

from analytics.events import EventName, read, record
from analytics.models import Event

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def log(owner, workspace):
    """Five events a minute apart; the third and fourth share a timestamp."""
    Event.objects.all().delete()  # the workspace's own creation event
    at = [T0, T0 + dt.timedelta(minutes=1), T0 + dt.timedelta(minutes=2)]
    return [
        record(EventName.VIDEO_CREATED, workspace=workspace, occurred_at=at[0]),
        record(EventName.VIDEO_RENDERED, workspace=workspace, occurred_at=at[1]),
        record(EventName.PAYMENT_SUCCEEDED, workspace=workspace, occurred_at=at[2]),
        record(EventName.VIDEO_RENDERED, workspace=workspace, occurred_at=at[2]),
        record(EventName.VIDEO_RENDERED, occurred_at=at[2] + dt.timedelta(minutes=1)),
    ]


def _ordered(events):
    return sorted(events, key=lambda event: (event.occurred_at, event.pk))


@pytest.mark.django_db
def test_read_returns_everything_in_occurred_at_then_id_order(log):
    assert list(read()) == _ordered(log)


@pytest.mark.django_db
def test_read_filters_by_name(log):
    rendered = list(read(names=[EventName.VIDEO_RENDERED]))
    assert rendered == _ordered([log[1], log[3], log[4]])


@pytest.mark.django_db
def test_one_name_may_be_given_without_a_list(log):
    assert list(read(names=EventName.VIDEO_RENDERED)) == _ordered([log[1], log[3], log[4]])


@pytest.mark.django_db
def test_since_is_inclusive(log):
    since = T0 + dt.timedelta(minutes=2)
    assert list(read(since=since)) == _ordered(log[2:])


@pytest.mark.django_db
def test_after_id_continues_behind_that_event_even_at_the_same_timestamp(log):
    ordered = _ordered(log)
    for position, event in enumerate(ordered):
        assert list(read(after_id=event.pk)) == ordered[position + 1 :]


@pytest.mark.django_db
def test_after_id_pages_through_the_log_without_gaps_or_repeats(log):
    seen, cursor = [], None
    while page := list(read(after_id=cursor)[:2]):
        seen.extend(page)
        cursor = page[-1].pk
    assert seen == _ordered(log)


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [uuid.UUID(int=0), "not-a-uuid"])
def test_an_unknown_after_id_reads_nothing_instead_of_starting_over(log, bad):
    assert list(read(after_id=bad)) == []


@pytest.mark.django_db
def test_read_by_workspace(log, workspace):
    assert list(read(workspace_id=workspace.pk)) == _ordered(log[:4])


@pytest.mark.django_db
def test_read_is_one_query(log, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(read(names=[EventName.VIDEO_RENDERED], since=T0))
