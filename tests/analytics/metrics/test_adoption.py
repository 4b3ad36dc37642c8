"""Feature adoption: the share of active workspaces using each feature in 30 days, by hand."""

import datetime as dt

import pytest

from accounts.models import ApiToken
from analytics.events import EventName, record
from analytics.metrics import adoption
from analytics.metrics.adoption import Feature, feature_adoption, register_feature
from teams.models import Team
from tests.factories import MembershipFactory, TeamFactory, VideoFactory


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


DAY = dt.date(2026, 3, 31)  # the 30 days: 2 March 00:00 up to 1 April 00:00 (UTC)


def happened(name, workspace, at, **properties):
    record(name, workspace=workspace, occurred_at=at, properties=properties)


def token_used(workspace, at):
    member = MembershipFactory(team=workspace).user
    ApiToken.objects.create(user=member, name="ci", key_hash=f"{member.pk:064d}", last_used_at=at)


@pytest.fixture
def workspaces(db):
    """W1 uses nearly everything; W2 and W3 are active at the window's two edges; W4 used a
    feature but did no key action; W5's only key action is the minute after the window.

    W1: video created 10 Mar (with its own clip), template used, render with brand kit 5,
        version 2 of a video, export, review comment, scheduled a video, a member's API token
        used 20 Mar.
    W2: rendered at 23:59:59 on 31 Mar; a render without a kit (JSON null), version 1 only, an
        export on 1 Mar (before the window); a video made 5 Mar with an uploaded image.
    W3: scheduled a video at 00:00 on 2 Mar (the first instant of the window).
    W4: a review comment and a used API token; no key action.
    W5: video created at 00:00 on 1 April."""
    w1, w2, w3, w4, w5 = TeamFactory.create_batch(5)
    at = utc(2026, 3, 10)
    happened(EventName.VIDEO_CREATED, w1, at)
    VideoFactory(workspace=w1, created_at=at, source_clip=f"workspaces/{w1.pk}/uploads/clip.mp4")
    happened(EventName.TEMPLATE_USED, w1, at)
    happened(EventName.VIDEO_RENDER_REQUESTED, w1, at, brand_kit=5)
    happened(EventName.VIDEO_VERSION_CREATED, w1, at, number=2)
    happened(EventName.EXPORT_CREATED, w1, at)
    happened(EventName.COMMENT_CREATED, w1, at)
    happened(EventName.VIDEO_SCHEDULED, w1, at)
    token_used(w1, utc(2026, 3, 20))

    happened(EventName.VIDEO_RENDERED, w2, utc(2026, 3, 31, 23, 59, 59))
    happened(EventName.VIDEO_RENDER_REQUESTED, w2, at, brand_kit=None)
    happened(EventName.VIDEO_VERSION_CREATED, w2, at, number=1)
    happened(EventName.EXPORT_CREATED, w2, utc(2026, 3, 1, 23, 59))
    VideoFactory(
        workspace=w2,
        created_at=utc(2026, 3, 5),
        fields={"headline": "Hi", "photo": f"workspaces/{w2.pk}/uploads/2026/{'a' * 32}.png"},
    )
    VideoFactory(workspace=w2, created_at=at, fields={"headline": "No upload"})

    happened(EventName.VIDEO_SCHEDULED, w3, utc(2026, 3, 2))

    happened(EventName.COMMENT_CREATED, w4, at)
    token_used(w4, at)

    happened(EventName.VIDEO_CREATED, w5, utc(2026, 4, 1))
    return w1, w2, w3


def shares(result) -> dict:
    return {row["key"]: (row["workspaces"], row["share"]) for row in result["features"]}


def test_active_workspaces_are_those_with_a_key_action_in_the_30_days(workspaces):
    result = feature_adoption(day=DAY)
    # W1, W2 (last second) and W3 (first instant); not W4 (no key action) nor W5 (after).
    assert result["active_workspaces"] == 3
    assert (result["since"], result["until"]) == (utc(2026, 3, 2), utc(2026, 4, 1))


def test_each_feature_by_hand(workspaces):
    assert shares(feature_adoption(day=DAY)) == {
        "templates": (1, 1 / 3),  # W1
        "custom_uploads": (2, 2 / 3),  # W1's clip, W2's uploaded image
        "branding": (1, 1 / 3),  # W1's kit; W2's render had none
        "versions": (1, 1 / 3),  # W1's version 2; W2's version 1 is every render's
        "exports": (1, 1 / 3),  # W1; W2's export was the day before the window
        "review_comments": (1, 1 / 3),  # W1; W4 commented but is not active
        "scheduling": (2, 2 / 3),  # W1 and W3
        "api": (1, 1 / 3),  # W1's member; W4's is not active
    }


def test_features_are_ranked_by_share_ties_in_the_registry_order(workspaces):
    ranked = [row["key"] for row in feature_adoption(day=DAY)["features"]]
    assert ranked == [
        "custom_uploads",
        "scheduling",
        "templates",
        "branding",
        "versions",
        "exports",
        "review_comments",
        "api",
    ]


def test_features_have_translated_labels(workspaces):
    labels = {row["key"]: row["label"] for row in feature_adoption(day=DAY)["features"]}
    assert labels["review_comments"] == "Review comments"


def test_a_shorter_period(workspaces):
    # 7 days: 25 Mar to 31 Mar. Only W2 (rendered on the 31st) is active, and it used uploads
    # on 5 Mar — outside these 7 days — so nothing is adopted.
    result = feature_adoption(day=DAY, days=7)
    assert result["active_workspaces"] == 1
    assert all(row["workspaces"] == 0 for row in result["features"])


def test_no_active_workspaces_means_no_shares(db):
    result = feature_adoption(day=DAY)
    assert result["active_workspaces"] == 0
    assert {row["share"] for row in result["features"]} == {None}


def test_a_feature_can_be_registered(workspaces, monkeypatch):
    monkeypatch.setattr(adoption, "FEATURES", list(adoption.FEATURES))
    w3 = workspaces[2]

    def webhooks(since, until):
        return Team.objects.filter(pk=w3.pk).values("pk")

    register_feature(Feature("webhooks", "Webhooks", webhooks))
    assert shares(feature_adoption(day=DAY))["webhooks"] == (1, 1 / 3)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"days": 0}, "between 1 and 365"),
        ({"days": 366}, "between 1 and 365"),
        ({"days": "30"}, "between 1 and 365"),
        ({"day": dt.datetime(2026, 3, 31, tzinfo=dt.UTC)}, "without a time"),
        ({"day": dt.date(1, 1, 1)}, "Dates must be between"),
    ],
)
def test_bad_arguments_are_a_value_error_with_a_message(db, arguments, message):
    with pytest.raises(ValueError, match=message):
        feature_adoption(**{"day": DAY, **arguments})


@pytest.mark.parametrize("size", [2, 20])
def test_one_query_whatever_the_data(db, django_assert_max_num_queries, size):
    for n in range(size):
        workspace = TeamFactory()
        happened(EventName.VIDEO_CREATED, workspace, utc(2026, 3, 3 + n % 20))
        happened(EventName.VIDEO_SCHEDULED, workspace, utc(2026, 3, 3 + n % 20))
        VideoFactory(workspace=workspace, created_at=utc(2026, 3, 4), source_clip="x/uploads/y.mp4")
        token_used(workspace, utc(2026, 3, 5))
    with django_assert_max_num_queries(1):
        result = feature_adoption(day=DAY)
    assert result["active_workspaces"] == size
    assert shares(result)["scheduling"] == (size, 1.0)
