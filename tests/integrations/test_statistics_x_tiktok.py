"""X and TikTok statistics against local servers speaking X's tweets lookup and TikTok's
video/query: the requests, batching, the mapping, deleted posts, rate limits, a refreshed
token and TikTok's scope not granted."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone
from werkzeug import Response

from integrations.http import RATE_LIMIT, PlatformError
from integrations.models import AccountStatus
from integrations.publishers import STATS_BATCH_SIZE, PostStatistics, fetch_statistics
from tests.integrations.conftest import account_with_tokens, json_response

TWEETS = "/2/tweets"
VIDEO_QUERY = "/v2/video/query/"


def _requests(server, path: str) -> list:
    return [request for request, _response in server.log if request.path == path]


# -- X ------------------------------------------------------------------------------------------


def _tweets(request) -> Response:
    """The tweets lookup: posts whose id starts "gone" come back as errors, as X does."""
    ids = request.args["ids"].split(",")
    data = [
        {
            "id": post_id,
            "text": "Spring launch",
            "attachments": {"media_keys": [f"7_{post_id}"]},
            "public_metrics": {
                "retweet_count": 4,
                "reply_count": 3,
                "like_count": 40,
                "quote_count": 1,
                "bookmark_count": 2,
                "impression_count": 900,
            },
        }
        for post_id in ids
        if not post_id.startswith("gone")
    ]
    errors = [
        {
            "value": post_id,
            "detail": f"Could not find tweet with ids: [{post_id}].",
            "title": "Not Found Error",
            "resource_type": "tweet",
            "parameter": "ids",
            "resource_id": post_id,
            "type": "https://api.twitter.com/2/problems/resource-not-found",
        }
        for post_id in ids
        if post_id.startswith("gone")
    ]
    media = [
        {"media_key": f"7_{post['id']}", "type": "video", "public_metrics": {"view_count": 610}}
        for post in data
    ]
    body = {"data": data, "includes": {"media": media}} if data else {}
    return json_response({**body, **({"errors": errors} if errors else {})})


def _x_account(workspace):
    return account_with_tokens(workspace, platform="x", external_id="2244994945")


@pytest.mark.django_db
def test_x_public_metrics_and_the_video_views_map_to_the_statistics(platforms, workspace):
    platforms.expect_request(TWEETS, method="GET").respond_with_handler(_tweets)

    (found,) = fetch_statistics(_x_account(workspace), ["1460323737035677698"])

    assert found == PostStatistics(
        "1460323737035677698",
        views=610,
        likes=40,
        comments=3,
        shares=5,  # reposts and quotes
        saves=2,
        impressions=900,
    )
    (request,) = _requests(platforms, TWEETS)
    assert request.args["ids"] == "1460323737035677698"
    assert request.args["tweet.fields"] == "public_metrics"
    assert request.args["expansions"] == "attachments.media_keys"
    assert request.args["media.fields"] == "public_metrics"
    assert request.headers["Authorization"] == "Bearer old-access"


@pytest.mark.django_db
def test_x_asks_100_posts_a_request(platforms, workspace):
    platforms.expect_request(TWEETS).respond_with_handler(_tweets)
    ids = [str(10**18 + number) for number in range(120)]

    found = fetch_statistics(_x_account(workspace), ids)

    assert [numbers.remote_id for numbers in found] == ids
    sizes = [len(request.args["ids"].split(",")) for request in _requests(platforms, TWEETS)]
    assert sizes == [100, 20] and STATS_BATCH_SIZE["x"] == 100


@pytest.mark.django_db
def test_x_a_post_reported_not_found_was_deleted(platforms, workspace):
    platforms.expect_request(TWEETS).respond_with_handler(_tweets)

    kept, gone = fetch_statistics(_x_account(workspace), ["1460323737035677698", "gone7"])

    assert kept.likes == 40 and not kept.deleted
    assert gone.deleted and gone.views is None and gone.likes is None


@pytest.mark.django_db
def test_x_a_rate_limit_waits_for_its_reset(platforms, workspace):
    reset = int(timezone.now().timestamp()) + 900
    platforms.expect_request(TWEETS).respond_with_json(
        {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
        status=429,
        headers={"x-rate-limit-reset": str(reset)},
    )

    with pytest.raises(PlatformError) as error:
        fetch_statistics(_x_account(workspace), ["1460323737035677698"])

    assert error.value.kind == RATE_LIMIT
    assert int(error.value.retry_at.timestamp()) == reset


@pytest.mark.django_db
def test_x_a_401_refreshes_the_token_and_saves_it(platforms, workspace):
    account = _x_account(workspace)
    platforms.expect_oneshot_request(TWEETS).respond_with_json(
        {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}, status=401
    )
    platforms.expect_oneshot_request("/2/oauth2/token", method="POST").respond_with_json(
        {"access_token": "x-new", "refresh_token": "x-refresh-2", "expires_in": 7200}
    )
    platforms.expect_request(TWEETS).respond_with_handler(_tweets)

    (found,) = fetch_statistics(account, ["1460323737035677698"])

    assert found.likes == 40
    assert _requests(platforms, TWEETS)[-1].headers["Authorization"] == "Bearer x-new"
    account.refresh_from_db()
    assert (account.access_token, account.refresh_token) == ("x-new", "x-refresh-2")


# -- TikTok -------------------------------------------------------------------------------------


def _videos(request) -> Response:
    """video/query: the videos asked, except those whose id starts "gone" (deleted)."""
    asked = json.loads(request.get_data())["filters"]["video_ids"]
    videos = [
        {
            "id": video_id,
            "view_count": 2300,
            "like_count": 210,
            "comment_count": 12,
            "share_count": 9,
        }
        for video_id in asked
        if not video_id.startswith("gone")
    ]
    return json_response(
        {
            "data": {"videos": videos, "cursor": 0, "has_more": False},
            "error": {"code": "ok", "message": "", "log_id": "2022"},
        }
    )


def _tiktok_account(workspace, scopes="user.info.basic,video.publish,video.list"):
    return account_with_tokens(workspace, platform="tiktok", external_id="open-1", scopes=scopes)


@pytest.mark.django_db
def test_tiktok_video_query_counts_map_to_the_statistics(platforms, workspace):
    platforms.expect_request(VIDEO_QUERY, method="POST").respond_with_handler(_videos)

    found = fetch_statistics(_tiktok_account(workspace), ["7080213458555737986", "gone1"])

    assert found == [
        PostStatistics("7080213458555737986", views=2300, likes=210, comments=12, shares=9),
        PostStatistics.gone("gone1"),
    ]
    (request,) = _requests(platforms, VIDEO_QUERY)
    assert request.args["fields"] == "id,view_count,like_count,comment_count,share_count"
    assert json.loads(request.get_data()) == {
        "filters": {"video_ids": ["7080213458555737986", "gone1"]}
    }
    assert request.headers["Authorization"] == "Bearer old-access"


@pytest.mark.django_db
def test_tiktok_asks_20_videos_a_request(platforms, workspace):
    platforms.expect_request(VIDEO_QUERY, method="POST").respond_with_handler(_videos)
    ids = [str(7 * 10**18 + number) for number in range(45)]

    found = fetch_statistics(_tiktok_account(workspace), ids)

    assert [numbers.views for numbers in found] == [2300] * 45
    sizes = [
        len(json.loads(request.get_data())["filters"]["video_ids"])
        for request in _requests(platforms, VIDEO_QUERY)
    ]
    assert sizes == [20, 20, 5] and STATS_BATCH_SIZE["tiktok"] == 20


@pytest.mark.django_db
def test_tiktok_without_the_video_list_scope_asks_nothing(platforms, workspace):
    account = _tiktok_account(workspace, scopes="user.info.basic,video.publish")

    (found,) = fetch_statistics(account, ["7080213458555737986"])

    assert found == PostStatistics.unknown("7080213458555737986") and not found.deleted
    assert _requests(platforms, VIDEO_QUERY) == []


@pytest.mark.django_db
def test_tiktok_a_scope_refused_is_no_reason_to_reconnect(platforms, workspace):
    account = _tiktok_account(workspace, scopes="")  # what was granted is not known
    platforms.expect_request(VIDEO_QUERY, method="POST").respond_with_json(
        {
            "error": {
                "code": "scope_not_authorized",
                "message": "The user did not authorize the scope required for this request.",
                "log_id": "2023",
            }
        },
        status=401,
    )

    (found,) = fetch_statistics(account, ["7080213458555737986"])

    assert found == PostStatistics.unknown("7080213458555737986")
    assert len(_requests(platforms, VIDEO_QUERY)) == 1  # no refresh, no second try
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE and account.access_token == "old-access"


@pytest.mark.django_db
def test_tiktok_an_invalid_token_is_refreshed(platforms, workspace):
    account = _tiktok_account(workspace)
    platforms.expect_oneshot_request(VIDEO_QUERY, method="POST").respond_with_json(
        {"error": {"code": "access_token_invalid", "message": "expired", "log_id": "1"}},
        status=401,
    )
    platforms.expect_oneshot_request("/v2/oauth/token/", method="POST").respond_with_json(
        {"access_token": "tt-new", "refresh_token": "tt-refresh-2", "expires_in": 86400}
    )
    platforms.expect_request(VIDEO_QUERY, method="POST").respond_with_handler(_videos)

    (found,) = fetch_statistics(account, ["7080213458555737986"])

    assert found.views == 2300
    account.refresh_from_db()
    assert account.access_token == "tt-new"


@pytest.mark.django_db
def test_tiktok_a_rate_limit_raises_with_a_retry_time(platforms, workspace):
    platforms.expect_request(VIDEO_QUERY, method="POST").respond_with_json(
        {"error": {"code": "rate_limit_exceeded", "message": "slow down", "log_id": "3"}},
        status=429,
    )

    with pytest.raises(PlatformError) as error:
        fetch_statistics(_tiktok_account(workspace), ["7080213458555737986"])

    assert error.value.kind == RATE_LIMIT and error.value.retry_at > timezone.now()
