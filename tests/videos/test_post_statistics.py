"""Polling published posts' statistics: the schedule by post age, engagement rate, snapshots
from the sandbox channel (published through the real path), YouTube's batching against a local
server, a deleted video and a rate limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from integrations.http import RATE_LIMIT
from integrations.publishers import STATS_BATCH_SIZE
from tests.integrations.conftest import (  # noqa: F401 - fixtures
    account_with_tokens,
    json_response,
    platforms,
)
from tests.videos.publishing.conftest import (  # noqa: F401 - fixtures
    ready,
    sandbox,
    sandbox_schedule,
)
from videos.models import PlatformPost, PostSnapshot, PublishSchedule
from videos.performance import engagement_rate, next_stats_poll
from videos.publishing.statistics import collect_post_statistics

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
VIDEOS = "/youtube/v3/videos"


@pytest.mark.parametrize(
    "age, wait",
    [
        (dt.timedelta(hours=47), dt.timedelta(hours=1)),
        (dt.timedelta(hours=49), dt.timedelta(days=1)),
        (dt.timedelta(days=89), dt.timedelta(days=1)),
        (dt.timedelta(days=91), dt.timedelta(weeks=1)),
    ],
)
def test_polling_is_hourly_then_daily_then_weekly(age, wait):
    assert next_stats_poll(published_at=NOW - age, now=NOW) == NOW + wait


def test_engagement_rate_by_hand():
    assert engagement_rate(likes=30, comments=15, shares=5, views=1000) == 0.05
    assert engagement_rate(likes=7, comments=None, shares=None, views=100) == 0.07
    assert engagement_rate(likes=7, comments=1, shares=1, views=0) is None
    assert engagement_rate(likes=7, comments=1, shares=1, views=None) is None


@pytest.mark.django_db
def test_sandbox_posts_get_one_snapshot_each_and_their_latest_numbers(
    ready,  # noqa: F811
    owner,
    sandbox,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):  # the dispatcher runs on commit
        schedule = sandbox_schedule(ready, owner, sandbox, publish_at=None)
    post = schedule.posts.get()
    assert post.status == "published" and post.next_stats_at == post.published_at

    now = timezone.now()
    summary = collect_post_statistics(now=now)

    [snapshot] = PostSnapshot.objects.filter(post=post)
    post.refresh_from_db()
    assert summary == {"posts": 1, "snapshots": 1}
    assert snapshot.views is not None and snapshot.views >= 0
    assert (post.views, post.likes, post.comments) == (
        snapshot.views,
        snapshot.likes,
        snapshot.comments,
    )
    assert post.stats_taken_at == snapshot.taken_at == now
    assert post.next_stats_at == now + dt.timedelta(hours=1)  # its first 48 hours: hourly

    # Before the next poll is due, a run does nothing.
    assert collect_post_statistics(now=now + dt.timedelta(minutes=30)) == {}
    assert PostSnapshot.objects.filter(post=post).count() == 1


def _posts(workspace, video, account, count: int, *, prefix="v") -> list[PlatformPost]:
    published = timezone.now() - dt.timedelta(hours=2)
    posts = []
    for n in range(count):
        schedule = PublishSchedule.objects.create(
            workspace=workspace, video=video, publish_at=published, status="published"
        )
        posts.append(
            PlatformPost(
                schedule=schedule,
                platform="youtube",
                account=account,
                status="published",
                next_attempt_at=published,
                remote_id=f"{prefix}{n}",
                published_at=published,
                next_stats_at=published,
            )
        )
    return PlatformPost.objects.bulk_create(posts)


def _videos(request):
    """videos.list: every id asked except those starting "gone" (deleted videos are left out)."""
    items = [
        {"id": video_id, "statistics": {"viewCount": "200", "likeCount": "10", "commentCount": "2"}}
        for video_id in request.args["id"].split(",")
        if not video_id.startswith("gone")
    ]
    return json_response({"items": items})


def _asked(server) -> list:
    return [request for request, _response in server.log if request.path == VIDEOS]


@pytest.mark.django_db
def test_120_youtube_posts_take_three_requests(platforms, workspace, video):  # noqa: F811
    account = account_with_tokens(
        workspace, scopes="https://www.googleapis.com/auth/youtube.upload"
    )
    posts = _posts(workspace, video, account, 120)
    platforms.expect_request(VIDEOS, method="GET").respond_with_handler(_videos)

    summary = collect_post_statistics()

    assert STATS_BATCH_SIZE["youtube"] == 50 and len(_asked(platforms)) == 3  # ⌈120 ÷ 50⌉
    assert summary == {"posts": 120, "snapshots": 120}
    assert PostSnapshot.objects.filter(post__in=posts).count() == 120
    assert set(PlatformPost.objects.values_list("views", "likes", "comments")) == {(200, 10, 2)}


@pytest.mark.django_db
def test_a_deleted_video_stops_being_polled(platforms, workspace, video):  # noqa: F811
    account = account_with_tokens(
        workspace, scopes="https://www.googleapis.com/auth/youtube.upload"
    )
    [kept] = _posts(workspace, video, account, 1)
    [gone] = _posts(workspace, video, account, 1, prefix="gone")
    platforms.expect_request(VIDEOS, method="GET").respond_with_handler(_videos)

    summary = collect_post_statistics()

    gone.refresh_from_db()
    assert summary == {"posts": 2, "snapshots": 1, "deleted": 1}
    assert gone.stats_deleted and gone.next_stats_at is None
    assert not PostSnapshot.objects.filter(post=gone).exists()
    assert PostSnapshot.objects.filter(post=kept).count() == 1

    later = timezone.now() + dt.timedelta(days=30)
    collect_post_statistics(now=later)
    assert PostSnapshot.objects.filter(post=gone).count() == 0
    assert all("gone0" not in request.args["id"] for request in _asked(platforms)[1:])


@pytest.mark.django_db
def test_a_rate_limit_moves_the_accounts_posts_to_its_retry_time(platforms, workspace, video):  # noqa: F811
    account = account_with_tokens(
        workspace, scopes="https://www.googleapis.com/auth/youtube.upload"
    )
    posts = _posts(workspace, video, account, 3)
    platforms.expect_request(VIDEOS).respond_with_json(
        {"error": {"code": 429, "message": "Too many requests"}},
        status=429,
        headers={"Retry-After": "600"},
    )
    now = timezone.now()

    summary = collect_post_statistics(now=now)

    assert summary == {"posts": 3, "failed": 3} and not PostSnapshot.objects.exists()
    retry = {
        post.next_stats_at for post in PlatformPost.objects.filter(pk__in=[p.pk for p in posts])
    }
    [retry_at] = retry
    assert now + dt.timedelta(seconds=590) <= retry_at <= now + dt.timedelta(seconds=620)
    assert RATE_LIMIT == "rate_limit"


@pytest.mark.django_db
def test_a_counter_not_reported_keeps_its_last_known_value(platforms, workspace, video):  # noqa: F811
    account = account_with_tokens(
        workspace, scopes="https://www.googleapis.com/auth/youtube.upload"
    )
    (post,) = _posts(workspace, video, account, 1)
    PlatformPost.objects.filter(pk=post.pk).update(shares=7, views=150)
    platforms.expect_request(VIDEOS, method="GET").respond_with_handler(_videos)

    collect_post_statistics()

    post.refresh_from_db()
    assert (post.views, post.shares) == (200, 7)  # views reported; shares not (no Analytics)
    snapshot = PostSnapshot.objects.get(post=post)
    assert (snapshot.views, snapshot.shares) == (200, None)
