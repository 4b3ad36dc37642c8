"""Funnels: ordered steps within a conversion window, against answers worked out by hand."""

import datetime as dt

import pytest

from analytics.events import EventName, record
from analytics.metrics import funnels
from analytics.metrics.funnels import StepSource, funnel, predefined_funnel
from analytics.metrics.funnels import steps as funnel_steps
from tests.factories import UserFactory

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
MARCH = {"start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 31)}
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)
# What the visitor tracking will record for a page view; any event with an anonymous id is a
# visit to the log-based "visitor" step.
PAGE_VIEW = "page.viewed"

SIGNED_UP, VERIFIED = EventName.USER_SIGNED_UP, EventName.USER_VERIFIED
CREATED, RENDERED = EventName.VIDEO_CREATED, EventName.VIDEO_RENDERED


def did(name, user, at, **kwargs):
    return record(name, actor=user, occurred_at=at, **kwargs)


def visit(anonymous_id, at):
    return record(PAGE_VIEW, anonymous_id=anonymous_id, occurred_at=at)


def counts(result):
    return [step["count"] for step in result["steps"]]


# -- the seed's funnel on a small history -------------------------------------------------------


@pytest.fixture
def seed_history(db):
    """Five visitors; four first seen in March.

    a1 → U1: visit T0, sign-up +1h, verified +2h, first video +1d, Pro +3d: every step.
    a2 → U2: visit T0+1d, sign-up T0+2d, verified T0+2d+1h; first video T0+20d, past the
             window (T0+1d + 14d = T0+15d): three steps.
    a3, a4: a visit each (T0+5d, T0+2d): one step.
    a5 → U5: first seen on 20 February, signs up in March: not a March visitor, not counted.
    """
    u1, u2, u5 = UserFactory(), UserFactory(), UserFactory()
    visit("a1", T0)
    did(SIGNED_UP, u1, T0 + HOUR, anonymous_id="a1")
    did(VERIFIED, u1, T0 + 2 * HOUR)
    did(CREATED, u1, T0 + DAY)
    did(EventName.SUBSCRIPTION_STARTED, u1, T0 + 3 * DAY)
    visit("a2", T0 + DAY)
    did(SIGNED_UP, u2, T0 + 2 * DAY, anonymous_id="a2")
    did(VERIFIED, u2, T0 + 2 * DAY + HOUR)
    did(CREATED, u2, T0 + 20 * DAY)
    visit("a3", T0 + 5 * DAY)
    visit("a4", T0 + 2 * DAY)
    visit("a5", dt.datetime(2026, 2, 20, tzinfo=dt.UTC))
    did(SIGNED_UP, u5, T0 + DAY, anonymous_id="a5")
    return u1, u2


def test_the_seed_funnel_counts_each_step_by_hand(seed_history):
    result = predefined_funnel(key="visitor_to_pro", **MARCH)
    # visitors a1–a4 = 4; signed up U1, U2 = 2; verified U1, U2 = 2; first video in the
    # window U1 = 1; Pro U1 = 1.
    assert counts(result) == [4, 2, 2, 1, 1]
    assert [s["step"] for s in result["steps"]] == [
        "visitor",
        "user.signed_up",
        "user.verified",
        "first_video",
        "pro",
    ]
    assert result["window_days"] == 14


def test_conversions_from_the_previous_step_and_from_the_first(seed_history):
    steps = predefined_funnel(key="visitor_to_pro", **MARCH)["steps"]
    # 2/4, 2/2, 1/2, 1/1; from the first: 4/4, 2/4, 2/4, 1/4, 1/4.
    assert [s["conversion_from_previous"] for s in steps] == [None, 0.5, 1.0, 0.5, 1.0]
    assert [s["conversion_from_first"] for s in steps] == [1.0, 0.5, 0.5, 0.25, 0.25]
    assert [s["dropped"] for s in steps] == [0, 2, 0, 1, 0]


def test_median_time_to_convert_from_the_step_before(seed_history):
    steps = predefined_funnel(key="visitor_to_pro", **MARCH)["steps"]
    # sign-up: U1 1 h, U2 1 d → (3,600 + 86,400) / 2 = 45,000 s; verified: 1 h and 1 h;
    # first video: U1's T0+2h → T0+1d = 22 h = 79,200 s; Pro: T0+1d → T0+3d = 172,800 s.
    assert [s["median_seconds_to_convert"] for s in steps] == [
        None,
        45_000.0,
        3_600.0,
        79_200.0,
        172_800.0,
    ]


def test_a_drop_over_20_percent_is_flagged(seed_history):
    steps = predefined_funnel(key="visitor_to_pro", **MARCH)["steps"]
    # drops: 50 % (4 → 2), 0 %, 50 % (2 → 1), 0 %.
    assert [s["flagged"] for s in steps] == [False, True, False, True, False]


def test_steps_have_translated_labels(seed_history):
    steps = predefined_funnel(key="visitor_to_pro", **MARCH)["steps"]
    assert [s["label"] for s in steps] == [
        "Visitor",
        "Sign-up",
        "Verified e-mail",
        "First video",
        "Pro",
    ]


# -- order and window ---------------------------------------------------------------------------


def test_a_step_before_the_one_it_follows_does_not_count(db):
    user = UserFactory()
    did(SIGNED_UP, user, T0)
    did(CREATED, user, T0 + HOUR)  # the video before the verification
    did(VERIFIED, user, T0 + 2 * HOUR)
    # signed up → verified → first video: the first video came before the verification.
    result = funnel(steps=[SIGNED_UP, VERIFIED, "first_video"], **MARCH)
    assert counts(result) == [1, 1, 0]


def test_a_later_occurrence_of_a_step_counts_when_an_earlier_one_was_out_of_order(db):
    user = UserFactory()
    did(SIGNED_UP, user, T0)
    did(CREATED, user, T0 + HOUR)
    did(VERIFIED, user, T0 + 2 * HOUR)
    did(CREATED, user, T0 + 3 * HOUR)  # a second video, after the verification
    # any video (not the first) after verifying: the 3 h one; 1 h after the verification.
    result = funnel(steps=[SIGNED_UP, VERIFIED, CREATED], **MARCH)
    assert counts(result) == [1, 1, 1]
    assert result["steps"][2]["median_seconds_to_convert"] == 3_600.0


def test_steps_at_the_same_instant_are_in_order(db):
    user = UserFactory()
    did(SIGNED_UP, user, T0)
    did(VERIFIED, user, T0)  # a sign-up by invitation proves the address at once
    assert counts(funnel(steps=[SIGNED_UP, VERIFIED], **MARCH)) == [1, 1]


def test_a_step_exactly_at_the_window_edge_converts_and_a_second_later_does_not(db):
    on_time, late = UserFactory(), UserFactory()
    did(SIGNED_UP, on_time, T0)
    did(CREATED, on_time, T0 + 14 * DAY)  # exactly 14 days after the first step
    did(SIGNED_UP, late, T0)
    did(CREATED, late, T0 + 14 * DAY + dt.timedelta(seconds=1))
    result = funnel(steps=[SIGNED_UP, CREATED], window_days=14, **MARCH)
    assert counts(result) == [2, 1]
    assert result["steps"][1]["median_seconds_to_convert"] == 14 * 86_400.0


def test_the_window_is_measured_from_the_first_step_not_the_previous_one(db):
    user = UserFactory()
    did(SIGNED_UP, user, T0)
    did(VERIFIED, user, T0 + 10 * DAY)
    did(CREATED, user, T0 + 15 * DAY)  # 5 days after verifying, 15 after signing up
    assert counts(funnel(steps=[SIGNED_UP, VERIFIED, CREATED], **MARCH)) == [1, 1, 0]


def test_a_repeated_step_needs_another_occurrence(db):
    one, two, twins = UserFactory(), UserFactory(), UserFactory()
    did(CREATED, one, T0)
    did(CREATED, two, T0)
    did(CREATED, two, T0 + DAY)
    did(CREATED, twins, T0)
    did(CREATED, twins, T0)  # two videos at the same instant: two occurrences
    # video → another video: `one` has a single video; `two` and `twins` have two.
    assert counts(funnel(steps=[CREATED, CREATED], **MARCH)) == [3, 2]
    assert counts(funnel(steps=[CREATED, CREATED, CREATED], **MARCH)) == [3, 2, 0]


def test_repeated_occurrences_of_a_step_count_a_person_once(db):
    user = UserFactory()
    for hours in range(5):
        did(EventName.USER_LOGGED_IN, user, T0 + hours * HOUR)
    did(CREATED, user, T0 + 6 * HOUR)
    assert counts(funnel(steps=[EventName.USER_LOGGED_IN, CREATED], **MARCH)) == [1, 1]


def test_a_later_entry_that_converts_wins_over_an_earlier_one_that_did_not(db):
    user = UserFactory()
    did(EventName.USER_LOGGED_IN, user, T0)  # no video within 14 days of this one
    did(EventName.USER_LOGGED_IN, user, T0 + 20 * DAY)
    did(CREATED, user, T0 + 22 * DAY)
    result = funnel(steps=[EventName.USER_LOGGED_IN, CREATED], **MARCH)
    assert counts(result) == [1, 1]
    assert result["steps"][1]["median_seconds_to_convert"] == 2 * 86_400.0  # from day 20


def test_people_enter_only_within_the_range_but_may_convert_after_it(db):
    before, inside, last_minute = UserFactory(), UserFactory(), UserFactory()
    did(SIGNED_UP, before, dt.datetime(2026, 2, 28, 23, 59, tzinfo=dt.UTC))
    did(CREATED, before, T0)
    did(SIGNED_UP, inside, T0)
    did(SIGNED_UP, last_minute, dt.datetime(2026, 3, 31, 23, 59, tzinfo=dt.UTC))
    did(CREATED, last_minute, dt.datetime(2026, 4, 5, tzinfo=dt.UTC))  # after the range
    assert counts(funnel(steps=[SIGNED_UP, CREATED], **MARCH)) == [2, 1]


def test_a_datetime_end_is_excluded(db):
    user = UserFactory()
    did(SIGNED_UP, user, T0)
    did(VERIFIED, user, T0)
    assert counts(funnel(steps=[SIGNED_UP, VERIFIED], start=T0 - DAY, end=T0)) == [0, 0]
    assert counts(funnel(steps=[SIGNED_UP, VERIFIED], start=T0, end=T0 + DAY)) == [1, 1]


def test_events_are_followed_across_other_people(db):
    alice, bob = UserFactory(), UserFactory()
    did(SIGNED_UP, alice, T0)
    did(CREATED, bob, T0 + HOUR)  # someone else's video is not Alice's
    assert counts(funnel(steps=[SIGNED_UP, CREATED], **MARCH)) == [1, 0]


# -- visitors and step sources ------------------------------------------------------------------


def test_an_anonymous_event_belongs_to_the_account_its_visitor_became(db):
    user = UserFactory()
    record(EventName.CHECKOUT_STARTED, anonymous_id="v9", occurred_at=T0)  # before signing in
    did(SIGNED_UP, user, T0 + HOUR, anonymous_id="v9")
    # the checkout event has no actor, but v9 is the user's: checkout → sign-up converts.
    result = funnel(steps=[EventName.CHECKOUT_STARTED, SIGNED_UP], **MARCH)
    assert counts(result) == [1, 1]


def test_a_visitor_never_linked_stays_a_visitor(db):
    visit("lonely", T0)
    result = funnel(steps=["visitor", SIGNED_UP], **MARCH)
    assert counts(result) == [1, 0]


def test_tracked_browsers_are_visitors_and_become_their_accounts(db):
    import uuid

    from analytics.models import Visitor

    user = UserFactory()
    # Browser A first seen 3 Mar, linked to the user, who signs up that day; browser B first
    # seen 4 Mar, never linked; browser C first seen in February (outside); and an anonymous
    # id that only an integration's event carries (5 Mar). Visitors in March: A, B and the
    # event's id = 3; signed up from them: the user = 1.
    Visitor.objects.create(id=uuid.uuid4(), user=user, first_seen=T0 + DAY, last_seen=T0 + DAY)
    Visitor.objects.create(id=uuid.uuid4(), first_seen=T0 + 2 * DAY, last_seen=T0 + 2 * DAY)
    february = dt.datetime(2026, 2, 20, tzinfo=dt.UTC)
    Visitor.objects.create(id=uuid.uuid4(), first_seen=february, last_seen=T0 + 3 * DAY)
    visit("integration-7", T0 + 3 * DAY)
    did(SIGNED_UP, user, T0 + DAY + HOUR)
    result = funnel(steps=["visitor", SIGNED_UP], **MARCH)
    assert counts(result) == [3, 1]


def test_first_video_is_the_first_ever_not_the_first_in_the_range(db):
    user = UserFactory()
    did(CREATED, user, dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    did(SIGNED_UP, user, T0)  # (a second sign-up event: the data is made up)
    did(CREATED, user, T0 + DAY)
    # the first video was in January: "first_video" never happens in March.
    assert counts(funnel(steps=[SIGNED_UP, "first_video"], **MARCH)) == [1, 0]
    assert counts(funnel(steps=[SIGNED_UP, CREATED], **MARCH)) == [1, 1]


def test_pro_is_the_first_paid_subscription(db):
    user = UserFactory()
    did(SIGNED_UP, user, T0)
    did(EventName.SUBSCRIPTION_STARTED, user, T0 + DAY)
    did(EventName.SUBSCRIPTION_STARTED, user, T0 + 2 * DAY)  # came back after churning
    result = funnel(steps=[SIGNED_UP, "pro"], **MARCH)
    assert counts(result) == [1, 1]
    assert result["steps"][1]["median_seconds_to_convert"] == 86_400.0


def test_a_step_source_can_be_plugged_in(db, monkeypatch):
    user = UserFactory()
    did(SIGNED_UP, user, T0 + HOUR)

    def tracked_visits(since, until):  # what the visitor tracking's table will answer
        return [(user.pk, T0), ("visitor:x", T0 + DAY)]

    monkeypatch.setitem(
        funnels.STEP_SOURCES, "visitor", StepSource("visitor", "Seen", tracked_visits)
    )
    result = funnel(steps=["visitor", SIGNED_UP], **MARCH)
    assert counts(result) == [2, 1]
    assert result["steps"][0]["label"] == "Seen"


def test_a_clients_own_event_name_is_a_step_once_registered(db, monkeypatch):
    monkeypatch.setattr(funnel_steps, "EVENT_STEPS", set(funnel_steps.EVENT_STEPS))
    visit("v1", T0)
    with pytest.raises(ValueError, match="is not a funnel step"):
        funnel(steps=[PAGE_VIEW, SIGNED_UP], **MARCH)
    funnel_steps.register_event_step(PAGE_VIEW)
    assert counts(funnel(steps=[PAGE_VIEW, SIGNED_UP], **MARCH)) == [1, 0]


def test_an_event_name_cannot_be_registered_as_a_step_source():
    with pytest.raises(ValueError, match="event name"):
        funnels.register_step_source(StepSource(SIGNED_UP, "x", lambda since, until: []))


# -- the flag -----------------------------------------------------------------------------------


@pytest.fixture
def five_sign_ups_four_verified(db):
    users = UserFactory.create_batch(5)
    for user in users:
        did(SIGNED_UP, user, T0)
    for user in users[:4]:
        did(VERIFIED, user, T0 + HOUR)


def test_a_drop_of_exactly_20_percent_is_not_flagged(five_sign_ups_four_verified):
    step = funnel(steps=[SIGNED_UP, VERIFIED], **MARCH)["steps"][1]
    assert (step["count"], step["conversion_from_previous"], step["flagged"]) == (4, 0.8, False)


def test_the_flag_threshold_is_a_setting(five_sign_ups_four_verified, settings):
    settings.ANALYTICS_FUNNEL_DROP_FLAG = 0.1
    result = funnel(steps=[SIGNED_UP, VERIFIED], **MARCH)
    assert (result["drop_flag"], result["steps"][1]["flagged"]) == (0.1, True)


def test_an_empty_funnel_has_no_conversions_and_no_flags(db):
    result = funnel(steps=[SIGNED_UP, VERIFIED], **MARCH)
    assert [(s["count"], s["conversion_from_previous"], s["flagged"]) for s in result["steps"]] == [
        (0, None, False),
        (0, None, False),
    ]


# -- predefined funnels -------------------------------------------------------------------------


def test_every_predefined_funnel_runs(seed_history):
    # the seed history: visitors a1–a4, two of whom signed up and verified; U1, U2 and U5
    # signed up in March, and only U1 made a first video within the window; nobody rendered.
    assert counts(predefined_funnel(key="signup", **MARCH)) == [4, 2, 2]
    assert counts(predefined_funnel(key="first_video", **MARCH)) == [3, 1, 0, 0]
    assert counts(predefined_funnel(key="activation", **MARCH)) == [3, 1, 0, 0]


def test_the_activation_funnel_has_a_seven_day_window(db):
    user = UserFactory()
    did(SIGNED_UP, user, T0)
    did(CREATED, user, T0 + 8 * DAY)
    assert predefined_funnel(key="activation", **MARCH)["window_days"] == 7
    assert counts(predefined_funnel(key="activation", **MARCH))[:2] == [1, 0]
    assert counts(predefined_funnel(key="activation", window_days=14, **MARCH))[:2] == [1, 1]


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"steps": ["user.signed_up", "no.such_event"]}, "is not a funnel step"),
        ({"steps": ["user.signed_up", "bad\x00name"]}, "is not a funnel step"),
        ({"steps": ["user.signed_up", 7]}, "is not a funnel step"),
        ({"steps": ["user.signed_up"]}, "between 2 and 10 steps"),
        ({"steps": ["user.signed_up"] * 11}, "between 2 and 10 steps"),
        ({"steps": "user.signed_up,user.verified"}, "List the funnel's steps"),
        ({"window_days": 0}, "conversion window"),
        ({"window_days": 91}, "conversion window"),
        ({"window_days": True}, "conversion window"),
        ({"window_days": "14"}, "conversion window"),
        ({"start": dt.datetime(2026, 3, 1)}, "time zone"),  # naive
        ({"start": dt.date(2026, 4, 1)}, "before the end"),
        ({"end": dt.date(9999, 12, 31)}, "Dates must be between"),
        ({"start": "2026-03-01"}, "without a time"),
        ({"drop_flag": 1.5}, "drop to flag"),
    ],
)
def test_bad_arguments_are_a_value_error_with_a_message(db, arguments, message):
    call = {"steps": [SIGNED_UP, VERIFIED], **MARCH, **arguments}
    with pytest.raises(ValueError, match=message):
        funnel(**call)


def test_an_unknown_predefined_funnel_is_a_value_error(db):
    with pytest.raises(ValueError, match="is not a funnel"):
        predefined_funnel(key="nope", **MARCH)


# -- queries ------------------------------------------------------------------------------------


def _history(people: int) -> None:
    for n in range(people):
        user = UserFactory()
        at = T0 + n * HOUR
        visit(f"v{n}", at)
        did(SIGNED_UP, user, at + HOUR, anonymous_id=f"v{n}")
        did(VERIFIED, user, at + 2 * HOUR)
        if n % 2:
            did(CREATED, user, at + DAY)
        if n % 3 == 0:
            did(EventName.SUBSCRIPTION_STARTED, user, at + 2 * DAY)
        record(EventName.CHECKOUT_STARTED, anonymous_id=f"v{n}", occurred_at=at)


@pytest.mark.parametrize("people", [3, 30])
def test_query_count_does_not_grow_with_the_data(db, django_assert_max_num_queries, people):
    _history(people)
    # one for the event steps, one to link anonymous events, one per source (3), and the
    # visitor source a second one (tracked browsers, then ids only events carry).
    with django_assert_max_num_queries(6):
        result = funnel(
            steps=["visitor", EventName.CHECKOUT_STARTED, SIGNED_UP, "first_video", "pro"],
            **MARCH,
        )
    assert result["steps"][0]["count"] == people
