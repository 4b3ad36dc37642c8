"""Per-video performance: the selector's figures against hand-computed answers, the series, the
page (and in German, and in the reader's time zone), the video page's card, the API's JSON,
who may see them, hostile ids, and query counts the same at two data sizes.

The fixed data (`published`): a YouTube post of version 1 and a TikTok and an X post of
version 2, published at T0 and a day later; a failed Instagram post and another video's post
that must not count.

    post      views  likes  comments  shares  avg watch  engagement       share of views
    YouTube   1000   30     15        5       12 s       50/1000 = 5 %    1000/5000 = 20 %
    TikTok    4000   320    40        40      6 s        400/4000 = 10 %  4000/5000 = 80 %
    X         —      10     2         1       —          —                —
    total     5000   360    57        46      (12·1000 + 6·4000)/5000 = 7.2 s
    engagement across the posts with views: (50 + 400) / 5000 = 9 %
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import client_for
from tests.videos.conftest import add_version, api_for
from videos.models import PlatformPost, PostSnapshot, PostStatus, PublishSchedule
from videos.performance_selectors import video_performance

T0 = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)
YOUTUBE_URL = "https://www.youtube.com/watch?v=abc123"


def publish(video, version, owner, platforms: dict[str, dict], *, at=T0) -> list[PlatformPost]:
    """One schedule of `version` with a published post per platform, with these counters."""
    schedule = PublishSchedule.objects.create(
        workspace=video.workspace,
        video=video,
        version=version,
        requested_by=owner,
        publish_at=at,
        status="published",
    )
    posts = []
    for platform, fields in platforms.items():
        fields = {"status": PostStatus.PUBLISHED, "published_at": at, **fields}
        posts.append(
            PlatformPost.objects.create(
                schedule=schedule, platform=platform, next_attempt_at=at, **fields
            )
        )
    return posts


def snapshots(post: PlatformPost, points: list[tuple[dt.datetime, int | None]]) -> None:
    PostSnapshot.objects.bulk_create(
        PostSnapshot(post=post, taken_at=taken_at, views=views, likes=1)
        for taken_at, views in points
    )


@pytest.fixture
def published(draft_video, owner):
    video = draft_video
    first, second = add_version(video, owner), add_version(video, owner)
    [youtube] = publish(
        video,
        first,
        owner,
        {
            "youtube": {
                "remote_url": YOUTUBE_URL,
                "views": 1000,
                "likes": 30,
                "comments": 15,
                "shares": 5,
                "average_watch_seconds": 12.0,
                "stats_taken_at": T0 + 2 * DAY,
            }
        },
    )
    tiktok, x, _failed = publish(
        video,
        second,
        owner,
        {
            "tiktok": {
                "remote_url": "https://www.tiktok.com/@acme/video/1",
                "views": 4000,
                "likes": 320,
                "comments": 40,
                "shares": 40,
                "average_watch_seconds": 6.0,
                "stats_taken_at": T0 + 2 * DAY,
            },
            "x": {
                "remote_url": "https://x.com/acme/status/1",
                "likes": 10,
                "comments": 2,
                "shares": 1,
                "stats_taken_at": T0 + 2 * DAY,
                "stats_deleted": True,
            },
            "instagram": {"status": PostStatus.FAILED, "published_at": None, "views": 99},
        },
        at=T0 + DAY,
    )
    snapshots(youtube, [(T0 + HOUR, 100), (T0 + 2 * HOUR, None), (T0 + DAY, 600)])
    snapshots(youtube, [(T0 + 2 * DAY, 1000)])
    snapshots(tiktok, [(T0 + DAY + HOUR, 500), (T0 + 2 * DAY, 4000)])
    snapshots(x, [(T0 + 2 * DAY, None)])
    return video


@pytest.fixture
def other_video_post(owner, workspace, draft_video):
    from tests.factories import VideoFactory

    other = VideoFactory(workspace=workspace)
    publish(other, None, owner, {"youtube": {"views": 7777, "likes": 1}})


# -- the selector ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_totals_engagement_and_weighted_watch_time_by_hand(published, other_video_post):
    totals = video_performance(video=published).totals
    assert (totals.views, totals.likes, totals.comments, totals.shares) == (5000, 360, 57, 46)
    assert totals.engagement_rate == pytest.approx(0.09)
    assert totals.average_watch_seconds == pytest.approx(7.2)


@pytest.mark.django_db
def test_each_published_post_with_its_version_rate_and_share(published, other_video_post):
    posts = video_performance(video=published).posts
    assert [post.platform for post in posts] == ["youtube", "tiktok", "x"]  # not the failed one
    youtube, tiktok, x = posts
    assert (youtube.version_number, tiktok.version_number, x.version_number) == (1, 2, 2)
    assert (youtube.engagement_rate, tiktok.engagement_rate, x.engagement_rate) == (
        pytest.approx(0.05),
        pytest.approx(0.1),
        None,
    )
    assert (youtube.share_of_views, tiktok.share_of_views, x.share_of_views) == (
        pytest.approx(0.2),
        pytest.approx(0.8),
        None,
    )
    assert (youtube.deleted, x.deleted) == (False, True)
    assert youtube.remote_url == YOUTUBE_URL and youtube.published_at == T0
    assert youtube.stats_taken_at == T0 + 2 * DAY and youtube.platform_label == "YouTube"


@pytest.mark.django_db
def test_the_series_skip_snapshots_without_views(published):
    youtube, tiktok, x = video_performance(video=published).posts
    assert [(p.taken_at, p.views) for p in youtube.series] == [
        (T0 + HOUR, 100),
        (T0 + DAY, 600),
        (T0 + 2 * DAY, 1000),
    ]
    assert [(p.taken_at, p.views) for p in tiktok.series] == [
        (T0 + DAY + HOUR, 500),
        (T0 + 2 * DAY, 4000),
    ]
    assert x.series == []


@pytest.mark.django_db
def test_a_video_never_published_has_nothing(draft_video):
    performance = video_performance(video=draft_video)
    assert performance.posts == [] and not performance.has_statistics
    assert performance.totals.views is None and performance.totals.engagement_rate is None


def grow(video, owner, *, schedules: int, snapshots_each: int) -> None:
    """`schedules` schedules of five published posts, each with `snapshots_each` snapshots."""
    version = add_version(video, owner)
    for n in range(schedules):
        posts = publish(
            video,
            version,
            owner,
            {
                p: {"views": 10 * n, "likes": n, "stats_taken_at": T0}
                for p in ("youtube", "instagram", "tiktok", "facebook", "x")
            },
            at=T0 + n * DAY,
        )
        for post in posts:
            snapshots(post, [(T0 + k * HOUR, k) for k in range(snapshots_each)])


@pytest.mark.django_db
@pytest.mark.parametrize("schedules, snapshots_each", [(1, 2), (6, 40)])
def test_the_selector_takes_two_queries_at_any_size(
    draft_video, owner, schedules, snapshots_each, django_assert_num_queries
):
    grow(draft_video, owner, schedules=schedules, snapshots_each=snapshots_each)
    with django_assert_num_queries(2):
        performance = video_performance(video=draft_video)
    assert len(performance.posts) == 5 * schedules
    assert all(len(post.series) == snapshots_each for post in performance.posts)
    with django_assert_num_queries(1):
        video_performance(video=draft_video, with_series=False)


# -- the page -------------------------------------------------------------------------------


def performance_url(video) -> str:
    return reverse("videos:performance", args=[video.pk])


@pytest.mark.django_db
def test_the_page_shows_the_summary_chart_and_comparison(published, owner, berlin):
    with translation.override("en"):
        response = client_for(owner).get(performance_url(published))
    assert response.status_code == 200
    html = response.content.decode()
    summary = {item["label"]: item["text"] for item in response.context["summary"]}
    assert summary == {
        "Views": "5,000",
        "Likes": "360",
        "Comments": "57",
        "Shares": "46",
        "Engagement rate": "9%",
        "Average watch time": "7.2 s",
    }
    figure = response.context["chart"]
    assert [trace["name"] for trace in figure["data"]] == ["YouTube", "TikTok"]  # X: no views
    assert list(figure["data"][0]["y"]) == [100, 600, 1000]
    # T0 + 1 hour, 11:00 UTC, in the reader's zone (Berlin: UTC+1 in March).
    assert figure["data"][0]["x"][0] == "2026-03-01T12:00:00"
    assert "Views over time as a table" in html and "chart-views" in html
    [row] = [row for row in response.context["rows"] if row["post"].platform == "youtube"]
    assert (row["engagement_rate"], row["share_of_views"], row["average_watch"]) == (
        "5%",
        "20%",
        "12 s",
    )
    assert row["version"] == "1" and f'href="{YOUTUBE_URL}"' in html
    assert "Deleted on the platform" in html  # the X post
    assert published.template.name in html


@pytest.fixture
def berlin(owner):
    """The owner reads times in Berlin (UTC+1 in March)."""
    owner.profile.time_zone = "Europe/Berlin"
    owner.profile.save(update_fields=["time_zone"])


@pytest.mark.django_db
def test_published_times_are_in_the_readers_time_zone(published, owner, berlin):
    with translation.override("en"):
        response = client_for(owner).get(performance_url(published))
    [row] = [row for row in response.context["rows"] if row["post"].platform == "youtube"]
    assert row["published"] == "March 1, 2026, 11 a.m."


@pytest.mark.django_db
def test_the_page_in_german(published, owner):
    owner.profile.language = "de"
    owner.profile.save(update_fields=["language"])
    response = client_for(owner).get(performance_url(published))
    assert response.status_code == 200
    summary = [item["text"].replace("\xa0", " ") for item in response.context["summary"]]
    assert (summary[0], summary[4], summary[5]) == ("5.000", "9 %", "7,2 s")
    assert '<html lang="de"' in response.content.decode()


@pytest.mark.django_db
def test_a_video_never_published_says_so(draft_video, owner):
    response = client_for(owner).get(performance_url(draft_video))
    assert response.status_code == 200
    assert "has not been published to any platform yet" in response.content.decode()
    assert response.context["chart"] is None


@pytest.mark.django_db
def test_published_without_statistics_says_so(draft_video, owner):
    publish(draft_video, add_version(draft_video, owner), owner, {"youtube": {}})
    response = client_for(owner).get(performance_url(draft_video))
    html = response.content.decode()
    assert "No statistics have come in yet." in html and "data-comparison" in html
    assert response.context["chart"] is None


@pytest.mark.django_db
def test_a_viewer_sees_the_page_and_an_outsider_gets_404(published, viewer, outsider):
    assert client_for(viewer).get(performance_url(published)).status_code == 200
    assert client_for(outsider).get(performance_url(published)).status_code == 404


@pytest.mark.django_db
def test_hostile_ids_get_404(owner, published):
    client, api = client_for(owner), api_for(owner)
    for video_id in (0, 99999999, 2**63, 10**30):
        assert client.get(f"/videos/{video_id}/performance/").status_code == 404
        assert api.get(f"/api/v1/videos/{video_id}/performance/").status_code == 404
    for raw in ("abc", "-1", "1.5", "%00"):
        assert client.get(f"/videos/{raw}/performance/").status_code == 404
        assert api.get(f"/api/v1/videos/{raw}/performance/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("schedules, snapshots_each", [(1, 2), (6, 40)])
def test_the_page_query_count_does_not_grow(
    draft_video, owner, schedules, snapshots_each, django_assert_max_num_queries
):
    grow(draft_video, owner, schedules=schedules, snapshots_each=snapshots_each)
    client = client_for(owner)
    # Session, user, video, posts, snapshots, and the header's workspaces.
    with django_assert_max_num_queries(6):
        response = client.get(performance_url(draft_video))
    assert len(response.context["rows"]) == 5 * schedules


# -- the video page's card ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_video_page_has_a_card_with_each_posts_numbers(published, owner):
    with translation.override("en"):
        response = client_for(owner).get(reverse("videos:detail", args=[published.pk]))
    rows = {row["label"]: row for row in response.context["performance_rows"]}
    assert (rows["YouTube"]["views"], rows["YouTube"]["engagement_rate"]) == ("1,000", "5%")
    assert (rows["TikTok"]["views"], rows["TikTok"]["engagement_rate"]) == ("4,000", "10%")
    assert (rows["X"]["views"], rows["X"]["engagement_rate"]) == ("—", "—")
    assert performance_url(published) in response.content.decode()


@pytest.mark.django_db
def test_the_video_page_has_no_card_before_anything_is_published(draft_video, owner):
    response = client_for(owner).get(reverse("videos:detail", args=[draft_video.pk]))
    assert response.context["performance_rows"] == []
    assert performance_url(draft_video) not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("schedules", [1, 6])
def test_the_video_page_query_count_does_not_grow(
    draft_video, owner, schedules, django_assert_max_num_queries
):
    grow(draft_video, owner, schedules=schedules, snapshots_each=3)
    client = client_for(owner)
    with django_assert_max_num_queries(7):  # 6 without the card, and its one for the posts
        response = client.get(reverse("videos:detail", args=[draft_video.pk]))
    assert len(response.context["performance_rows"]) == 5 * schedules


# -- the API --------------------------------------------------------------------------------


def api_url(video) -> str:
    return reverse("api:video-performance", args=[video.pk])


@pytest.mark.django_db
def test_the_api_returns_the_figures(published, owner):
    body = json.loads(api_for(owner).get(api_url(published)).content)
    assert body["video"] == published.pk and body["template"] == published.template.key
    assert body["engagement_rate"] == pytest.approx(0.09)
    totals = body["totals"]
    assert (totals["views"], totals["likes"], totals["comments"], totals["shares"]) == (
        5000,
        360,
        57,
        46,
    )
    assert totals["average_watch_seconds"] == pytest.approx(7.2)
    youtube, tiktok, x = body["posts"]
    assert youtube["platform"] == "youtube" and youtube["remote_url"] == YOUTUBE_URL
    assert youtube["version"] == 1 and tiktok["version"] == 2
    assert youtube["published_at"] == "2026-03-01T10:00:00Z"
    assert youtube["stats_taken_at"] == "2026-03-03T10:00:00Z"
    assert (youtube["views"], youtube["likes"], youtube["average_watch_seconds"]) == (
        1000,
        30,
        12.0,
    )
    assert youtube["engagement_rate"] == pytest.approx(0.05)
    assert youtube["share_of_views"] == pytest.approx(0.2)
    assert youtube["series"] == [
        {"taken_at": "2026-03-01T11:00:00Z", "views": 100},
        {"taken_at": "2026-03-02T10:00:00Z", "views": 600},
        {"taken_at": "2026-03-03T10:00:00Z", "views": 1000},
    ]
    assert x["views"] is None and x["engagement_rate"] is None and x["deleted"] is True
    assert x["series"] == []


@pytest.mark.django_db
def test_the_api_for_a_viewer_and_an_outsider(published, viewer, outsider):
    assert api_for(viewer).get(api_url(published)).status_code == 200
    assert api_for(outsider).get(api_url(published)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("schedules, snapshots_each", [(1, 2), (6, 40)])
def test_the_api_query_count_does_not_grow(
    draft_video, owner, schedules, snapshots_each, django_assert_max_num_queries
):
    grow(draft_video, owner, schedules=schedules, snapshots_each=snapshots_each)
    with django_assert_max_num_queries(3):  # the video, the posts, the snapshots
        response = api_for(owner).get(api_url(draft_video))
    assert len(response.json()["posts"]) == 5 * schedules
