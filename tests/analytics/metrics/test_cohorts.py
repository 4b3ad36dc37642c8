"""Monthly sign-up cohorts: retention in months 0–12 and revenue retention, by hand."""

import datetime as dt

import pytest

from analytics.events import EventName, record
from analytics.metrics.cohorts import retention_cohorts, revenue_cohorts
from teams.models import Team
from tests.factories import PaidInvoiceFactory, TeamFactory, UserFactory


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


AS_OF = utc(2026, 4, 15)  # January's month 3 (April) has begun; month 4 (May) has not
JAN_FEB = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 2, 28), "as_of": AS_OF}
NOT_YET = [None] * 9


def did(name, user, at):
    record(name, actor=user, occurred_at=at)


def personal(user) -> Team:
    return Team.objects.get(created_by=user, is_personal=True)


@pytest.fixture
def people(db):
    """January: A, B and C (C at 23:59 on the 31st); February: D; December: E (outside)."""
    return {
        "A": UserFactory(date_joined=utc(2026, 1, 5)),
        "B": UserFactory(date_joined=utc(2026, 1, 20)),
        "C": UserFactory(date_joined=utc(2026, 1, 31, 23, 59)),
        "D": UserFactory(date_joined=utc(2026, 2, 10)),
        "E": UserFactory(date_joined=utc(2025, 12, 30)),
    }


@pytest.fixture
def activity(people):
    """A: signs in 6 Jan (m0), creates a video 3 Feb (m1), renders 2 Apr (m3).
    B: signs in 21 Jan (m0), requests a render at 00:00 on 1 March (m2).
    C: only edits a video in February (`video.updated` is not a key action).
    D: signs in 11 and 12 Feb (m0, once), schedules a video 5 March (m1).
    E: active in January, but E's cohort (December) is not asked for."""
    A, B, C, D, E = (people[k] for k in "ABCDE")
    did(EventName.USER_LOGGED_IN, A, utc(2026, 1, 6))
    did(EventName.VIDEO_CREATED, A, utc(2026, 2, 3))
    did(EventName.VIDEO_RENDERED, A, utc(2026, 4, 2))
    did(EventName.USER_LOGGED_IN, B, utc(2026, 1, 21))
    did(EventName.VIDEO_RENDER_REQUESTED, B, utc(2026, 3, 1))
    did(EventName.VIDEO_UPDATED, C, utc(2026, 2, 2))
    did(EventName.USER_LOGGED_IN, D, utc(2026, 2, 11))
    did(EventName.USER_LOGGED_IN, D, utc(2026, 2, 12))
    did(EventName.VIDEO_SCHEDULED, D, utc(2026, 3, 5))
    did(EventName.USER_LOGGED_IN, E, utc(2026, 1, 2))
    return people


def test_retention_counts_each_cohort_by_hand(activity):
    january, february = retention_cohorts(**JAN_FEB)
    # January (A, B, C): m0 A+B = 2, m1 A = 1, m2 B = 1, m3 A = 1; May onwards not yet.
    assert (january["cohort"], january["size"]) == (dt.date(2026, 1, 1), 3)
    assert january["retained"] == [2, 1, 1, 1, *NOT_YET]
    # February (D): m0 1, m1 (March) 1, m2 (April) 0; m3 is May.
    assert (february["cohort"], february["size"]) == (dt.date(2026, 2, 1), 1)
    assert february["retained"] == [1, 1, 0, *[None] * 10]


def test_retention_shares_are_of_the_cohort_size(activity):
    january, february = retention_cohorts(**JAN_FEB)
    assert january["retention"] == [2 / 3, 1 / 3, 1 / 3, 1 / 3, *NOT_YET]
    assert february["retention"] == [1.0, 1.0, 0.0, *[None] * 10]


def test_a_month_without_sign_ups_is_an_empty_cohort(activity):
    march = retention_cohorts(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), as_of=AS_OF)
    # March and April have begun (0 each); nobody signed up, so no shares.
    assert march == [
        {
            "cohort": dt.date(2026, 3, 1),
            "size": 0,
            "retained": [0, 0, *[None] * 11],
            "retention": [None] * 13,
        }
    ]


def test_month_twelve_counts_and_month_thirteen_does_not(db):
    user = UserFactory(date_joined=utc(2025, 1, 15))
    did(EventName.USER_LOGGED_IN, user, utc(2026, 1, 31, 23, 59))  # month 12
    did(EventName.USER_LOGGED_IN, user, utc(2026, 2, 1))  # month 13: outside the table
    (cohort,) = retention_cohorts(start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31), as_of=AS_OF)
    assert cohort["retained"] == [0] * 12 + [1]


def test_a_month_boundary_is_utc_midnight(db):
    user = UserFactory(date_joined=utc(2026, 1, 31, 23, 59, 59))
    did(EventName.USER_LOGGED_IN, user, utc(2026, 1, 31, 23, 59, 59, 999999))  # m0
    did(EventName.VIDEO_CREATED, user, utc(2026, 3, 1))  # m2, not m1
    (cohort,) = retention_cohorts(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 1), as_of=AS_OF)
    assert cohort["retained"][:4] == [1, 0, 1, 0]


# -- revenue ------------------------------------------------------------------------------------


@pytest.fixture
def invoices(people):
    """A's personal workspace pays USD 10.00 on 10 Jan (m0) and 10 Feb (m1), USD 5.00 on
    10 Mar (m2); a team B started in January pays GBP 7.00 on 15 Feb (m1); D's workspace pays
    EUR 9.00 on 15 Feb (m0). An open invoice and E's (December) are not counted."""
    A, B, D, E = (people[k] for k in "ABDE")
    for paid_at, total in [
        (utc(2026, 1, 10), 1000),
        (utc(2026, 2, 10), 1000),
        (utc(2026, 3, 10), 500),
    ]:
        PaidInvoiceFactory(workspace=personal(A), paid_at=paid_at, total=total)
    PaidInvoiceFactory(
        workspace=TeamFactory(created_by=B), paid_at=utc(2026, 2, 15), total=700, currency="GBP"
    )
    PaidInvoiceFactory(workspace=personal(D), paid_at=utc(2026, 2, 15), total=900, currency="EUR")
    PaidInvoiceFactory(workspace=personal(A), paid_at=utc(2026, 3, 20), total=999, status="open")
    PaidInvoiceFactory(workspace=personal(E), paid_at=utc(2026, 1, 20), total=5000)


def test_revenue_per_cohort_month_and_currency(invoices):
    january, february = revenue_cohorts(**JAN_FEB)
    # January: USD 1000, 1000, 500, then 0 in April; GBP 0, 700, 0, 0. February: EUR 900, 0, 0.
    assert january["revenue"] == {
        "GBP": [0, 700, 0, 0, *NOT_YET],
        "USD": [1000, 1000, 500, 0, *NOT_YET],
    }
    assert february["revenue"] == {"EUR": [900, 0, 0, *[None] * 10]}


def test_revenue_retention_is_relative_to_month_zero(invoices):
    january, february = revenue_cohorts(**JAN_FEB)
    # USD: 1000/1000, 1000/1000, 500/1000, 0/1000. GBP had nothing in month 0: no ratio.
    assert january["retention"]["USD"] == [1.0, 1.0, 0.5, 0.0, *NOT_YET]
    assert january["retention"]["GBP"] == [None] * 13
    assert february["retention"]["EUR"] == [1.0, 0.0, 0.0, *[None] * 10]


def test_revenue_converted_into_one_currency(invoices):
    rates = {"USD": 1, "GBP": 2, "EUR": 1}
    calls = []

    def convert(amount, currency, month):
        calls.append((currency, month))
        return amount * rates[currency]

    january, _february = revenue_cohorts(**JAN_FEB, convert=convert, reporting_currency="USD")
    # January in USD: m0 1000; m1 1000 + 700 × 2 = 2400; m2 500; m3 0.
    assert january["revenue"] == {"USD": [1000, 2400, 500, 0, *NOT_YET]}
    assert january["retention"]["USD"] == [1.0, 2.4, 0.5, 0.0, *NOT_YET]
    assert ("GBP", dt.date(2026, 2, 1)) in calls  # converted at the first of the paid month


def test_a_cohort_without_revenue_has_no_currencies(people):
    january, _february = revenue_cohorts(**JAN_FEB)
    assert (january["revenue"], january["retention"]) == ({}, {})


# -- bad input and queries ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"start": dt.date(2026, 3, 1), "end": dt.date(2026, 1, 1)}, "must not be after"),
        ({"start": dt.date(2000, 1, 1), "end": dt.date(2026, 1, 1)}, "at most 120"),
        ({"start": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}, "without a time"),
        ({"end": dt.date(9999, 1, 1)}, "Dates must be between"),
        ({"as_of": dt.datetime(2026, 4, 1)}, "time zone"),  # naive
    ],
)
@pytest.mark.parametrize("metric", [retention_cohorts, revenue_cohorts])
def test_bad_arguments_are_a_value_error_with_a_message(db, metric, arguments, message):
    with pytest.raises(ValueError, match=message):
        metric(**{**JAN_FEB, **arguments})


def test_converting_needs_a_reporting_currency(db):
    with pytest.raises(ValueError, match="currency"):
        revenue_cohorts(**JAN_FEB, convert=lambda amount, currency, month: amount)


def _history(people: int) -> None:
    for n in range(people):
        user = UserFactory(date_joined=utc(2026, 1 + n % 2, 1 + n % 28))
        did(EventName.USER_LOGGED_IN, user, utc(2026, 2 + n % 2, 3))
        did(EventName.VIDEO_CREATED, user, utc(2026, 3, 1 + n % 28))
        PaidInvoiceFactory(
            workspace=personal(user), paid_at=utc(2026, 3, 2), currency=("USD", "EUR")[n % 2]
        )


@pytest.mark.parametrize("people", [2, 20])
def test_query_counts_do_not_grow_with_the_data(db, django_assert_max_num_queries, people):
    _history(people)
    with django_assert_max_num_queries(2):
        cohorts = retention_cohorts(**JAN_FEB)
    assert sum(cohort["size"] for cohort in cohorts) == people
    with django_assert_max_num_queries(1):
        revenue = revenue_cohorts(**JAN_FEB)
    # everyone's workspace paid 10.00 once, in March
    paid = [amount or 0 for c in revenue for amounts in c["revenue"].values() for amount in amounts]
    assert sum(paid) == people * 1000
