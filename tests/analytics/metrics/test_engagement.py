"""Engagement: active users, videos, activation, lengths, templates and platforms, by hand."""

import datetime as dt

import pytest

from analytics.events import EventName, record
from analytics.metrics.engagement import (
    activation_rate,
    active_users,
    active_users_series,
    average_video_length,
    platforms_by_posts,
    templates_by_use,
    videos_created_per_day,
    videos_per_user,
)
from tests.factories import TeamFactory, UserFactory, VideoFactory
from videos.models import Template


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


MARCH_31 = dt.date(2026, 3, 31)
MARCH = {"start": dt.date(2026, 3, 1), "end": MARCH_31}


def did(name, user, at, **kwargs):
    record(name, actor=user, occurred_at=at, **kwargs)


# -- active users -------------------------------------------------------------------------------


@pytest.fixture
def active_people(db):
    """U1 signs in on 31 Mar (and 30 Mar); U2 creates a video 25 Mar; U3 requests a render at
    00:00 on 2 Mar (the first instant of the 30 days); U4 signs in at 23:59 on 1 Mar (outside);
    U5 only edits a video on 31 Mar (not a key action); a publication by the dispatcher on
    31 Mar has no actor."""
    u1, u2, u3, u4, u5 = UserFactory.create_batch(5)
    did(EventName.USER_LOGGED_IN, u1, utc(2026, 3, 31, 10))
    did(EventName.USER_LOGGED_IN, u1, utc(2026, 3, 30, 10))
    did(EventName.VIDEO_CREATED, u2, utc(2026, 3, 25))
    did(EventName.VIDEO_RENDER_REQUESTED, u3, utc(2026, 3, 2))
    did(EventName.USER_LOGGED_IN, u4, utc(2026, 3, 1, 23, 59))
    did(EventName.VIDEO_UPDATED, u5, utc(2026, 3, 31, 12))
    record(EventName.VIDEO_PUBLISHED, occurred_at=utc(2026, 3, 31, 12))


def test_dau_wau_mau_by_hand(active_people):
    # DAU: U1. WAU (25–31 Mar): U1, U2. MAU (2–31 Mar): U1, U2, U3. DAU/MAU = 1/3.
    assert active_users(day=MARCH_31) == {
        "day": MARCH_31,
        "dau": 1,
        "wau": 2,
        "mau": 3,
        "dau_mau": 1 / 3,
    }


def test_the_series_equals_the_figure_day_by_day(active_people, django_assert_num_queries):
    # 1 Mar to 30 Apr: U4 alone on 1 Mar (DAU 1); MAU falls to 0 once 30 days have passed.
    days = [dt.date(2026, 3, 1) + dt.timedelta(days=n) for n in range(61)]
    with django_assert_num_queries(1):
        series = active_users_series(start=days[0], end=days[-1])
    assert series == [active_users(day=day) for day in days]
    assert series[0] == {"day": days[0], "dau": 1, "wau": 1, "mau": 1, "dau_mau": 1.0}
    assert series[-1]["mau"] == 0 and series[30]["dau"] == 1  # 31 Mar: U1


def test_the_week_starts_six_days_before_the_day(active_people):
    # On 1 April: DAU nobody; WAU (26 Mar – 1 Apr): U1; MAU (3 Mar – 1 Apr): U1, U2.
    figures = active_users(day=dt.date(2026, 4, 1))
    assert (figures["dau"], figures["wau"], figures["mau"], figures["dau_mau"]) == (0, 1, 2, 0.0)


def test_nobody_active_has_no_stickiness(db):
    assert active_users(day=MARCH_31)["dau_mau"] is None


# -- videos -------------------------------------------------------------------------------------


def test_videos_created_per_day_with_empty_days(db):
    user = UserFactory()
    for at in [utc(2026, 3, 1), utc(2026, 3, 1, 23), utc(2026, 3, 3, 23, 59, 59), utc(2026, 3, 4)]:
        did(EventName.VIDEO_CREATED, user, at)
    # 1 Mar: 2; 2 Mar: 0; 3 Mar: 1 (its last second); 4 Mar is outside.
    assert videos_created_per_day(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 3)) == [
        {"day": dt.date(2026, 3, 1), "videos": 2},
        {"day": dt.date(2026, 3, 2), "videos": 0},
        {"day": dt.date(2026, 3, 3), "videos": 1},
    ]


def test_videos_per_user_and_per_creator(db):
    a, b = UserFactory(date_joined=utc(2026, 1, 1)), UserFactory(date_joined=utc(2026, 2, 1))
    UserFactory(date_joined=utc(2026, 3, 1)), UserFactory(date_joined=utc(2026, 3, 31, 23))
    UserFactory(date_joined=utc(2026, 4, 1))  # joined after the day
    did(EventName.VIDEO_CREATED, a, utc(2026, 2, 1))
    did(EventName.VIDEO_CREATED, a, utc(2026, 3, 1))
    did(EventName.VIDEO_CREATED, b, utc(2026, 3, 31, 23, 59))
    did(EventName.VIDEO_CREATED, b, utc(2026, 4, 1))  # after the day
    # 3 videos by 2 creators; 4 accounts by the end of 31 Mar: 3/4 per user, 3/2 per creator.
    assert videos_per_user(day=MARCH_31) == {
        "day": MARCH_31,
        "videos": 3,
        "users": 4,
        "creators": 2,
        "per_user": 0.75,
        "per_creator": 1.5,
    }


def test_activation_is_a_first_video_within_seven_days_of_signing_up(db):
    on_edge = UserFactory(date_joined=utc(2026, 3, 1))
    late = UserFactory(date_joined=utc(2026, 3, 10))
    last_day = UserFactory(date_joined=utc(2026, 3, 31, 23))
    UserFactory(date_joined=utc(2026, 3, 15))  # never makes a video
    next_month = UserFactory(date_joined=utc(2026, 4, 1))
    did(EventName.VIDEO_CREATED, on_edge, utc(2026, 3, 8))  # exactly 7 days later
    did(EventName.VIDEO_CREATED, late, utc(2026, 3, 17, 0, 0, 1))  # 7 days and a second
    did(EventName.VIDEO_CREATED, last_day, utc(2026, 4, 2))  # after the range, within 7 days
    did(EventName.VIDEO_CREATED, next_month, utc(2026, 4, 1, 1))  # signed up outside
    # 4 March sign-ups; activated: on_edge and last_day → 2/4.
    assert activation_rate(**MARCH) == {
        **MARCH,
        "days": 7,
        "signed_up": 4,
        "activated": 2,
        "rate": 0.5,
    }


def test_activation_counts_the_persons_own_videos_only(db):
    UserFactory(date_joined=utc(2026, 3, 1))  # Alice
    bob = UserFactory(date_joined=utc(2026, 1, 1))
    did(EventName.VIDEO_CREATED, bob, utc(2026, 3, 2))  # Bob's video, in Alice's week
    result = activation_rate(**MARCH)
    assert (result["signed_up"], result["activated"]) == (1, 0)


def test_average_video_length(db):
    workspace = TeamFactory()
    for seconds, at in [(10, utc(2026, 3, 1)), (20, utc(2026, 3, 15)), (45, utc(2026, 3, 31, 23))]:
        VideoFactory(workspace=workspace, duration_seconds=seconds, created_at=at)
    VideoFactory(workspace=workspace, duration_seconds=600, created_at=utc(2026, 4, 1))
    # (10 + 20 + 45) / 3 = 25 s; April's video is outside.
    assert average_video_length(**MARCH) == {**MARCH, "videos": 3, "average_seconds": 25.0}


def test_average_video_length_without_videos(db):
    assert average_video_length(**MARCH)["average_seconds"] is None


def test_templates_by_use(db):
    quote, stats, demo = (
        Template.objects.get(key=key)
        for key in ["youtube-quote", "animated-statistics", "product-demo-60"]
    )
    for template, at in [
        (quote, utc(2026, 3, 2)),
        (quote, utc(2026, 3, 3)),
        (quote, utc(2026, 3, 4)),
        (stats, utc(2026, 3, 5)),
        (demo, utc(2026, 3, 5)),
        (stats, utc(2026, 4, 1)),  # outside
    ]:
        record(EventName.TEMPLATE_USED, subject=template, occurred_at=at)
    # quote 3; then stats and demo 1 each, by key: animated-statistics before product-demo-60.
    rows = templates_by_use(**MARCH)
    assert [(row["key"], row["videos"]) for row in rows] == [
        ("youtube-quote", 3),
        ("animated-statistics", 1),
        ("product-demo-60", 1),
    ]
    assert rows[0]["name"] == str(quote.name)
    assert [row["key"] for row in templates_by_use(**MARCH, limit=1)] == ["youtube-quote"]


def test_platforms_by_posts(db):
    for platform, at in [
        ("youtube", utc(2026, 3, 2)),
        ("youtube", utc(2026, 3, 3)),
        ("x", utc(2026, 3, 4)),
        ("tiktok", utc(2026, 4, 1)),  # outside
    ]:
        record(EventName.VIDEO_PUBLISHED, occurred_at=at, properties={"platform": platform})
    record(
        EventName.VIDEO_PUBLISH_FAILED, occurred_at=utc(2026, 3, 5), properties={"platform": "x"}
    )
    assert platforms_by_posts(**MARCH) == [
        {"platform": "youtube", "label": "YouTube", "posts": 2},
        {"platform": "x", "label": "X", "posts": 1},
    ]


# -- bad input ----------------------------------------------------------------------------------


RANGED = [
    videos_created_per_day,
    activation_rate,
    average_video_length,
    templates_by_use,
    platforms_by_posts,
]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"start": dt.date(2026, 4, 1)}, "must not be after"),
        ({"start": dt.date(2000, 1, 1)}, "at most 3660 days"),
        ({"end": dt.date(9999, 12, 31)}, "Dates must be between"),
        ({"start": utc(2026, 3, 1)}, "without a time"),
        ({"end": "2026-03-31"}, "without a time"),
    ],
)
@pytest.mark.parametrize("metric", RANGED)
def test_bad_ranges_are_a_value_error_with_a_message(db, metric, arguments, message):
    with pytest.raises(ValueError, match=message):
        metric(**{**MARCH, **arguments})


@pytest.mark.parametrize("metric", [active_users, videos_per_user])
@pytest.mark.parametrize("day", [dt.date(9999, 12, 31), utc(2026, 3, 1), None])
def test_bad_days_are_a_value_error(db, metric, day):
    with pytest.raises(ValueError, match=r"Dates must be between|without a time"):
        metric(day=day)


@pytest.mark.parametrize(
    ("metric", "arguments", "message"),
    [
        (activation_rate, {"days": 0}, "between 1 and 90"),
        (activation_rate, {"days": True}, "between 1 and 90"),
        (templates_by_use, {"limit": 0}, "between 1 and 100"),
        (templates_by_use, {"limit": 10**12}, "between 1 and 100"),
    ],
)
def test_bad_counts_are_a_value_error(db, metric, arguments, message):
    with pytest.raises(ValueError, match=message):
        metric(**MARCH, **arguments)


# -- queries ------------------------------------------------------------------------------------


def _history(people: int) -> None:
    templates = list(Template.objects.order_by("pk")[:3])
    for n in range(people):
        user = UserFactory(date_joined=utc(2026, 3, 1 + n % 28))
        at = utc(2026, 3, 1 + n % 28, 12)
        did(EventName.USER_LOGGED_IN, user, at)
        did(EventName.VIDEO_CREATED, user, at)
        record(EventName.TEMPLATE_USED, subject=templates[n % 3], occurred_at=at)
        record(EventName.VIDEO_PUBLISHED, occurred_at=at, properties={"platform": "youtube"})
        VideoFactory(workspace=TeamFactory(created_by=user), created_at=at)


@pytest.mark.parametrize("people", [3, 30])
def test_query_counts_do_not_grow_with_the_data(db, django_assert_max_num_queries, people):
    _history(people)
    # everyone was active on 1 + n % 28 March; the 30 days to 31 March begin on the 2nd.
    with django_assert_max_num_queries(1):
        assert active_users(day=MARCH_31)["mau"] == sum(1 for n in range(people) if n % 28)
    with django_assert_max_num_queries(1):
        assert sum(d["videos"] for d in videos_created_per_day(**MARCH)) == people
    with django_assert_max_num_queries(2):
        assert videos_per_user(day=MARCH_31)["videos"] == people
    with django_assert_max_num_queries(1):
        assert activation_rate(**MARCH)["activated"] == people
    with django_assert_max_num_queries(1):
        assert average_video_length(**MARCH)["videos"] == people
    with django_assert_max_num_queries(2):
        assert sum(row["videos"] for row in templates_by_use(**MARCH)) == people
    with django_assert_max_num_queries(1):
        assert platforms_by_posts(**MARCH) == [
            {"platform": "youtube", "label": "YouTube", "posts": people}
        ]
