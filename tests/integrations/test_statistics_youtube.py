"""YouTube statistics against a local server speaking the Data API's videos.list and the
Analytics API's reports.query: the request, the mapping, batching, a deleted video, a rate
limit, a refreshed token and a scope not granted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from werkzeug import Response

from integrations.http import AUTH, RATE_LIMIT, PlatformError
from integrations.models import AccountStatus
from integrations.publishers import STATS_BATCH_SIZE, PostStatistics, fetch_statistics
from tests.integrations.conftest import account_with_tokens, form_of, json_response

VIDEOS = "/youtube/v3/videos"
REPORTS = "/v2/reports"
ANALYTICS = "https://www.googleapis.com/auth/yt-analytics.readonly"
GRANTED = f"https://www.googleapis.com/auth/youtube.upload {ANALYTICS}"


@pytest.fixture(autouse=True)
def analytics_here(platforms, settings):
    """The Analytics API on the same local server (Google's own host by default)."""
    settings.SOCIAL_PLATFORMS["youtube"]["analytics_base"] = platforms.url_for("").rstrip("/")


def _videos(request) -> Response:
    """videos.list: every id asked except those starting "gone" (deleted videos are left out)."""
    items = [
        {
            "kind": "youtube#video",
            "id": video_id,
            "statistics": {"viewCount": "1500", "likeCount": "120", "commentCount": "7"},
        }
        for video_id in request.args["id"].split(",")
        if not video_id.startswith("gone")
    ]
    return json_response({"kind": "youtube#videoListResponse", "items": items})


def _requests(server, path: str) -> list:
    return [request for request, _response in server.log if request.path == path]


@pytest.mark.django_db
def test_views_likes_and_comments_come_from_videos_list(platforms, workspace):
    account = account_with_tokens(
        workspace, scopes="https://www.googleapis.com/auth/youtube.upload"
    )
    platforms.expect_request(VIDEOS, method="GET").respond_with_handler(_videos)

    found = fetch_statistics(account, ["abc", "def"])

    assert found == [
        PostStatistics("abc", views=1500, likes=120, comments=7, shares=None),
        PostStatistics("def", views=1500, likes=120, comments=7, shares=None),
    ]
    (request,) = _requests(platforms, VIDEOS)
    assert request.args["part"] == "statistics" and request.args["id"] == "abc,def"
    assert request.headers["Authorization"] == "Bearer old-access"


@pytest.mark.django_db
def test_without_the_analytics_scope_shares_and_watch_time_stay_unknown(platforms, workspace):
    account = account_with_tokens(
        workspace, scopes="https://www.googleapis.com/auth/youtube.upload"
    )
    platforms.expect_request(VIDEOS).respond_with_handler(_videos)

    (found,) = fetch_statistics(account, ["abc"])

    assert found.shares is None and found.average_watch_seconds is None
    assert _requests(platforms, REPORTS) == []


@pytest.mark.django_db
def test_with_the_analytics_scope_shares_and_watch_time_come_from_reports(platforms, workspace):
    account = account_with_tokens(workspace, scopes=GRANTED)
    platforms.expect_request(VIDEOS).respond_with_handler(_videos)
    platforms.expect_request(REPORTS).respond_with_json(
        {
            "kind": "youtubeAnalytics#resultTable",
            "columnHeaders": [
                {"name": "video", "columnType": "DIMENSION", "dataType": "STRING"},
                {"name": "shares", "columnType": "METRIC", "dataType": "INTEGER"},
                {"name": "averageViewDuration", "columnType": "METRIC", "dataType": "INTEGER"},
            ],
            "rows": [["abc", 14, 37]],
        }
    )

    abc, quiet = fetch_statistics(account, ["abc", "quiet"])

    assert (abc.shares, abc.average_watch_seconds) == (14, 37.0)
    assert (quiet.shares, quiet.average_watch_seconds, quiet.views) == (None, None, 1500)
    (request,) = _requests(platforms, REPORTS)
    assert request.args["ids"] == "channel==MINE"
    assert request.args["metrics"] == "shares,averageViewDuration"
    assert request.args["dimensions"] == "video"
    assert request.args["filters"] == "video==abc,quiet"
    assert request.headers["Authorization"] == "Bearer old-access"


@pytest.mark.django_db
def test_a_video_missing_from_the_answer_was_deleted(platforms, workspace):
    account = account_with_tokens(workspace)
    platforms.expect_request(VIDEOS).respond_with_handler(_videos)

    kept, gone = fetch_statistics(account, ["abc", "gone1"])

    assert not kept.deleted and kept.views == 1500
    assert gone == PostStatistics("gone1", None, None, None, None, deleted=True)


@pytest.mark.django_db
def test_120_videos_take_three_requests_of_at_most_50(platforms, workspace):
    account = account_with_tokens(workspace)
    platforms.expect_request(VIDEOS).respond_with_handler(_videos)
    ids = [f"v{number}" for number in range(120)]

    found = fetch_statistics(account, ids)

    assert [numbers.remote_id for numbers in found] == ids
    sizes = [len(request.args["id"].split(",")) for request in _requests(platforms, VIDEOS)]
    assert sizes == [50, 50, 20] and STATS_BATCH_SIZE["youtube"] == 50


@pytest.mark.django_db
def test_a_quota_error_raises_a_rate_limit_with_its_retry_time(platforms, workspace):
    account = account_with_tokens(workspace)
    platforms.expect_request(VIDEOS).respond_with_json(
        {"error": {"code": 429, "message": "Too many requests"}},
        status=429,
        headers={"Retry-After": "120"},
    )

    with pytest.raises(PlatformError) as error:
        fetch_statistics(account, ["abc"])

    assert error.value.kind == RATE_LIMIT
    assert error.value.retry_at > timezone.now() + dt.timedelta(seconds=100)


@pytest.mark.django_db
def test_a_401_refreshes_the_token_and_asks_again(platforms, workspace):
    account = account_with_tokens(workspace)
    platforms.expect_oneshot_request(
        VIDEOS, headers={"Authorization": "Bearer old-access"}
    ).respond_with_json({"error": {"code": 401, "message": "Invalid Credentials"}}, status=401)
    platforms.expect_oneshot_request("/token", method="POST").respond_with_json(
        {"access_token": "new-access", "expires_in": 3599}
    )
    platforms.expect_request(
        VIDEOS, headers={"Authorization": "Bearer new-access"}
    ).respond_with_handler(_videos)

    (found,) = fetch_statistics(account, ["abc"])

    assert found.views == 1500
    account.refresh_from_db()
    assert account.access_token == "new-access"
    (refresh,) = _requests(platforms, "/token")
    assert form_of(refresh)["refresh_token"] == "refresh-1"


@pytest.mark.django_db
def test_a_second_401_asks_for_reconnecting(platforms, workspace):
    account = account_with_tokens(workspace)
    platforms.expect_request(VIDEOS).respond_with_json(
        {"error": {"code": 401, "message": "Invalid Credentials"}}, status=401
    )
    platforms.expect_oneshot_request("/token", method="POST").respond_with_json(
        {"access_token": "new-access", "expires_in": 3599}
    )

    with pytest.raises(PlatformError) as error:
        fetch_statistics(account, ["abc"])

    assert error.value.kind == AUTH
    assert len(_requests(platforms, VIDEOS)) == 2
    account.refresh_from_db()
    assert account.status == AccountStatus.RECONNECT
