"""Issue 16's speed goal for collecting statistics: for 10,000 posts, at most
⌈10,000 ÷ batch size⌉ requests per platform that batches — YouTube 50 ids a request (200),
X 100 (100), TikTok 20 (500).

10,000 published posts on each of the three platforms (30,000 in all, about 20 s on SQLite),
as schedules to all three make them: each schedule's posts are neighbours, so every run of the
collector claims a mix of platforms, and a run that stopped at its limit in the middle of a
batch would cost an extra request (the collector takes whole batches instead). The platforms
are local servers speaking YouTube's videos.list, X's tweets lookup and TikTok's video/query
(pytest-httpserver); `collect_post_statistics` runs, 1,000 posts a run as the beat task runs
it, until nothing is due, and each platform's requests are counted.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from django.utils import timezone

from integrations.publishers import STATS_BATCH_SIZE
from tests.integrations.conftest import (  # noqa: F401 - the platforms fixture
    account_with_tokens,
    json_response,
    platforms,
)
from videos.models import PlatformPost, PostSnapshot, PublishSchedule
from videos.publishing.statistics import collect_post_statistics

POSTS = 10_000  # per platform
RUN_LIMIT = 1000  # what the beat task claims a run
YOUTUBE, TWEETS, VIDEO_QUERY = "/youtube/v3/videos", "/2/tweets", "/v2/video/query/"


def youtube_videos(request):
    items = [
        {"id": video_id, "statistics": {"viewCount": "500", "likeCount": "20"}}
        for video_id in request.args["id"].split(",")
    ]
    return json_response({"items": items})


def x_tweets(request):
    data = [
        {"id": post_id, "public_metrics": {"like_count": 7, "impression_count": 90}}
        for post_id in request.args["ids"].split(",")
    ]
    return json_response({"data": data})


def tiktok_videos(request):
    asked = json.loads(request.get_data())["filters"]["video_ids"]
    videos = [{"id": video_id, "view_count": 800, "like_count": 30} for video_id in asked]
    return json_response({"data": {"videos": videos}, "error": {"code": "ok"}})


def published_posts(workspace, video, accounts: dict, *, per_platform: int) -> None:
    published = timezone.now() - dt.timedelta(hours=2)
    schedules = PublishSchedule.objects.bulk_create(
        (
            PublishSchedule(
                workspace=workspace, video=video, publish_at=published, status="published"
            )
            for _ in range(per_platform)
        ),
        batch_size=2000,
    )
    PlatformPost.objects.bulk_create(
        (
            PlatformPost(
                schedule=schedule,
                platform=platform,
                account=account,
                status="published",
                next_attempt_at=published,
                remote_id=f"{platform}-{n}",
                published_at=published,
                next_stats_at=published,
            )
            for n, schedule in enumerate(schedules)
            for platform, account in accounts.items()
        ),
        batch_size=2000,
    )


def asked(server, path: str) -> int:
    return sum(1 for request, _response in server.log if request.path == path)


@pytest.mark.timeout(600)
@pytest.mark.django_db
def test_10000_posts_a_platform_take_one_request_a_batch(platforms, workspace, video):  # noqa: F811
    accounts = {
        "youtube": account_with_tokens(
            workspace, scopes="https://www.googleapis.com/auth/youtube.upload"
        ),
        "x": account_with_tokens(workspace, platform="x", external_id="2244994945"),
        "tiktok": account_with_tokens(
            workspace, platform="tiktok", external_id="open-1", scopes="video.list"
        ),
    }
    published_posts(workspace, video, accounts, per_platform=POSTS)
    platforms.expect_request(YOUTUBE, method="GET").respond_with_handler(youtube_videos)
    platforms.expect_request(TWEETS, method="GET").respond_with_handler(x_tweets)
    platforms.expect_request(VIDEO_QUERY, method="POST").respond_with_handler(tiktok_videos)

    now, polled = timezone.now(), 0
    while summary := collect_post_statistics(now=now, limit=RUN_LIMIT):
        polled += summary["posts"]

    assert polled == 3 * POSTS
    assert PostSnapshot.objects.count() == 3 * POSTS
    requests = {
        "youtube": asked(platforms, YOUTUBE),
        "x": asked(platforms, TWEETS),
        "tiktok": asked(platforms, VIDEO_QUERY),
    }
    most = {platform: math.ceil(POSTS / STATS_BATCH_SIZE[platform]) for platform in requests}
    assert most == {"youtube": 200, "x": 100, "tiktok": 500}
    assert requests == most


@pytest.mark.django_db
def test_a_run_takes_accounts_with_less_than_a_batch_whole(platforms, workspace, video):  # noqa: F811
    # Five channels with 10 due videos each, 20 a run: no channel has a whole batch (50) in a
    # run, and every run still polls what it took, so nothing is left behind.
    channels = [account_with_tokens(workspace, external_id=f"UC{n}") for n in range(5)]
    schedules = PublishSchedule.objects.bulk_create(
        PublishSchedule(workspace=workspace, video=video, publish_at=timezone.now())
        for _ in range(50)
    )
    published = timezone.now() - dt.timedelta(hours=2)
    PlatformPost.objects.bulk_create(
        PlatformPost(
            schedule=schedule,
            platform="youtube",
            account=channels[n % 5],  # the channels take turns
            status="published",
            next_attempt_at=published,
            remote_id=f"v{n}",
            published_at=published,
            next_stats_at=published,
        )
        for n, schedule in enumerate(schedules)
    )
    platforms.expect_request(YOUTUBE, method="GET").respond_with_handler(youtube_videos)

    now = timezone.now()
    polled = [collect_post_statistics(now=now, limit=20).get("posts", 0) for _ in range(4)]

    assert polled == [20, 20, 10, 0]
    assert PostSnapshot.objects.count() == 50
