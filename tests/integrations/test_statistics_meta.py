"""Instagram and Facebook statistics against a local Graph API: media and video insights,
one post a request, the public counts when insights are not granted, a deleted post, the
Graph API's throttling codes and a Page token that stopped working."""

from __future__ import annotations

import pytest

from integrations.http import AUTH, RATE_LIMIT, PlatformError
from integrations.models import AccountStatus
from integrations.publishers import STATS_BATCH_SIZE, PostStatistics, fetch_statistics
from tests.integrations.conftest import IG, PAGE, account_with_tokens

GRAPH = "/v21.0"
REEL, OTHER_REEL = "17889455560051444", "17889455560051445"
VIDEO = "323790578640877"
GONE = {
    "error": {
        "message": f"Unsupported get request. Object with ID '{REEL}' does not exist",
        "type": "GraphMethodException",
        "code": 100,
        "error_subcode": 33,
    }
}


def _requests(server, path: str) -> list:
    return [request for request, _response in server.log if request.path == path]


def _metric(name: str, value) -> dict:
    return {"name": name, "period": "lifetime", "values": [{"value": value}], "id": name}


def _instagram(workspace, scopes="instagram_basic,instagram_manage_insights"):
    return account_with_tokens(
        workspace,
        platform="instagram",
        external_id=IG,
        access_token="page-token",
        refresh_token="",
        expires_at=None,
        scopes=scopes,
    )


def _facebook(workspace):
    return account_with_tokens(
        workspace,
        platform="facebook",
        external_id=PAGE,
        access_token="page-token",
        refresh_token="",
        expires_at=None,
    )


# -- Instagram ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_instagram_reel_insights_map_to_the_statistics(platforms, workspace):
    platforms.expect_request(f"{GRAPH}/{REEL}/insights").respond_with_json(
        {
            "data": [
                _metric("views", 5400),
                _metric("likes", 320),
                _metric("comments", 18),
                _metric("shares", 27),
                _metric("saved", 44),
                _metric("ig_reels_avg_watch_time", 8450),  # milliseconds
            ]
        }
    )

    (found,) = fetch_statistics(_instagram(workspace), [REEL])

    assert found == PostStatistics(
        REEL, views=5400, likes=320, comments=18, shares=27, saves=44, average_watch_seconds=8.45
    )
    (request,) = _requests(platforms, f"{GRAPH}/{REEL}/insights")
    assert set(request.args["metric"].split(",")) == {
        "views",
        "likes",
        "comments",
        "shares",
        "saved",
        "ig_reels_avg_watch_time",
    }
    assert request.args["access_token"] == "page-token"


@pytest.mark.django_db
def test_instagram_asks_one_media_a_request(platforms, workspace):
    for media in (REEL, OTHER_REEL):
        platforms.expect_request(f"{GRAPH}/{media}/insights").respond_with_json(
            {"data": [_metric("views", 10)]}
        )

    found = fetch_statistics(_instagram(workspace), [REEL, OTHER_REEL])

    assert [numbers.views for numbers in found] == [10, 10]
    assert [numbers.likes for numbers in found] == [None, None]  # not reported: not 0
    assert len(platforms.log) == 2 and STATS_BATCH_SIZE["instagram"] == 1


@pytest.mark.django_db
def test_instagram_without_insights_reads_the_public_counts(platforms, workspace):
    account = _instagram(workspace, scopes="instagram_basic,instagram_content_publish")
    platforms.expect_request(f"{GRAPH}/{REEL}").respond_with_json(
        {"like_count": 51, "comments_count": 4, "id": REEL}
    )

    (found,) = fetch_statistics(account, [REEL])

    assert found == PostStatistics(REEL, views=None, likes=51, comments=4, shares=None)
    assert _requests(platforms, f"{GRAPH}/{REEL}/insights") == []
    assert _requests(platforms, f"{GRAPH}/{REEL}")[0].args["fields"] == "like_count,comments_count"


@pytest.mark.django_db
def test_instagram_insights_refused_fall_back_to_the_public_counts(platforms, workspace):
    platforms.expect_request(f"{GRAPH}/{REEL}/insights").respond_with_json(
        {
            "error": {
                "message": "(#10) Not enough viewers for the media to show insights",
                "code": 10,
            }
        },
        status=400,
    )
    platforms.expect_request(f"{GRAPH}/{REEL}").respond_with_json(
        {"like_count": 3, "comments_count": 0, "id": REEL}
    )

    (found,) = fetch_statistics(_instagram(workspace), [REEL])

    assert (found.likes, found.comments, found.views, found.deleted) == (3, 0, None, False)


@pytest.mark.django_db
def test_instagram_a_deleted_reel_is_marked_deleted(platforms, workspace):
    platforms.expect_request(f"{GRAPH}/{REEL}/insights").respond_with_json(GONE, status=400)

    (found,) = fetch_statistics(_instagram(workspace), [REEL])

    assert found == PostStatistics.gone(REEL)


@pytest.mark.django_db
def test_instagram_throttling_raises_a_rate_limit(platforms, workspace):
    platforms.expect_request(f"{GRAPH}/{REEL}/insights").respond_with_json(
        {"error": {"message": "(#4) Application request limit reached", "code": 4}},
        status=400,
        headers={"Retry-After": "600"},
    )

    with pytest.raises(PlatformError) as error:
        fetch_statistics(_instagram(workspace), [REEL])

    assert error.value.kind == RATE_LIMIT and error.value.retry_at is not None


# -- Facebook -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_facebook_video_insights_map_to_the_statistics(platforms, workspace):
    platforms.expect_request(f"{GRAPH}/{VIDEO}/video_insights").respond_with_json(
        {
            "data": [
                _metric("total_video_views", 89),
                _metric("total_video_avg_time_watched", 12500),
                _metric("total_video_reactions_by_type_total", {"like": 10, "love": 3, "wow": 1}),
                _metric("total_video_stories_by_action_type", {"comment": 6, "share": 2}),
            ]
        }
    )

    (found,) = fetch_statistics(_facebook(workspace), [VIDEO])

    assert found == PostStatistics(
        VIDEO, views=89, likes=14, comments=6, shares=2, average_watch_seconds=12.5
    )
    (request,) = _requests(platforms, f"{GRAPH}/{VIDEO}/video_insights")
    assert request.args["access_token"] == "page-token"
    assert set(request.args["metric"].split(",")) == {
        "total_video_views",
        "total_video_avg_time_watched",
        "total_video_reactions_by_type_total",
        "total_video_stories_by_action_type",
    }


@pytest.mark.django_db
def test_facebook_a_video_that_is_gone_is_marked_deleted(platforms, workspace):
    platforms.expect_request(f"{GRAPH}/{VIDEO}/video_insights").respond_with_json(
        {"error": {"message": "Not found", "code": 803}}, status=404
    )

    (found,) = fetch_statistics(_facebook(workspace), [VIDEO])

    assert found.deleted and found.views is None


@pytest.mark.django_db
def test_facebook_a_page_token_that_stopped_working_asks_for_reconnecting(platforms, workspace):
    account = _facebook(workspace)
    platforms.expect_request(f"{GRAPH}/{VIDEO}/video_insights").respond_with_json(
        {"error": {"message": "Error validating access token", "code": 190}}, status=400
    )

    with pytest.raises(PlatformError) as error:
        fetch_statistics(account, [VIDEO])

    assert error.value.kind == AUTH
    account.refresh_from_db()
    assert account.status == AccountStatus.RECONNECT
