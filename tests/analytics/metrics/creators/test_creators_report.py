"""The creators' dashboard's figures against answers worked out by hand on a small fixed
workspace (the numbers in the comments), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from analytics.metrics.creators.report import creators_report, trend
from videos.models import Template

from .kit import at, counters, post, video

NOW = at("2026-03-20 12:00")


@pytest.mark.django_db
def test_overview_is_what_the_posts_gained_in_the_range(workspace, history):
    report = creators_report(
        workspace=workspace, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 20), now=NOW
    )
    overview = report["overview"]
    # YouTube gained 3000 − 1000 (its reading at Mar 1 is Feb 28's); X and TikTok all theirs.
    assert overview["views"] == 2000 + 1000 + 500
    assert overview["likes"] == 100 + 40 + 100
    assert overview["comments"] == 20 + 10 + 5
    assert overview["shares"] == 15 + 10 + 20
    assert overview["engagement_rate"] == pytest.approx(320 / 3500)
    # Weighted by views gained, over the posts that report it (X does not): YouTube's 30 s
    # over 2000 views and TikTok's 10 s over 500.
    assert overview["average_watch_seconds"] == pytest.approx((30 * 2000 + 10 * 500) / 2500)
    assert overview["videos"] == 3
    assert overview["videos_created"] == 2  # B and C
    assert overview["videos_published"] == 2  # A (on X) and B
    assert overview["posts_published"] == 2


@pytest.mark.django_db
def test_likes_without_views_count_but_do_not_raise_the_engagement_rate(workspace, history):
    post(
        history["b"],
        "instagram",
        published="2026-03-16 12:00",
        snapshots=[("2026-03-17 12:00", {"views": None, "likes": 80, "comments": 8})],
    )
    report = creators_report(
        workspace=workspace, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 20), now=NOW
    )
    assert report["overview"]["likes"] == 240 + 80
    assert report["overview"]["comments"] == 35 + 8
    assert report["overview"]["engagement_rate"] == pytest.approx(320 / 3500)
    instagram = next(row for row in report["platforms"] if row["platform"] == "instagram")
    assert instagram["likes"] == 80 and instagram["engagement_rate"] is None


@pytest.mark.django_db
def test_top_videos_and_platforms(workspace, history):
    report = creators_report(
        workspace=workspace, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 20), now=NOW
    )
    top = report["top_videos"]
    assert [row["title"] for row in top] == ["Launch teaser", "Quote of the week"]
    assert top[0]["views"] == 3000 and top[0]["platforms"] == ["x", "youtube"]
    assert top[0]["engagement_rate"] == pytest.approx((140 + 30 + 25) / 3000)
    assert top[1]["engagement_rate"] == pytest.approx(125 / 500)
    platforms = {row["platform"]: row for row in report["platforms"]}
    assert [row["platform"] for row in report["platforms"]] == ["youtube", "x", "tiktok"]
    assert (platforms["youtube"]["posts"], platforms["youtube"]["videos"]) == (0, 0)
    assert platforms["youtube"]["views"] == 2000
    assert platforms["youtube"]["share_of_views"] == pytest.approx(2000 / 3500)
    assert platforms["youtube"]["engagement_rate"] == pytest.approx(135 / 2000)
    assert (platforms["x"]["posts"], platforms["x"]["videos"], platforms["x"]["views"]) == (
        1,
        1,
        1000,
    )
    assert platforms["tiktok"]["engagement_rate"] == pytest.approx(125 / 500)


@pytest.mark.django_db
def test_a_past_range_reads_the_snapshots_at_its_ends(workspace, history):
    report = creators_report(
        workspace=workspace, start=dt.date(2026, 2, 20), end=dt.date(2026, 3, 10), now=NOW
    )
    overview = report["overview"]
    # YouTube: Mar 11 00:00 reads Feb 28's 1000, Feb 20 reads Feb 16's 300; X: Mar 6's 400.
    assert overview["views"] == (1000 - 300) + 400
    assert overview["likes"] == (50 - 10) + 20
    assert overview["videos_created"] == 1  # B
    assert [row["views"] for row in report["top_videos"]] == [1100]


@pytest.mark.django_db
def test_month_over_month_growth(workspace, history):
    report = creators_report(
        workspace=workspace, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 20), now=NOW
    )
    growth = report["growth"]
    # This month: Mar 1 to now (19.5 days); last month: as long from Feb 1, to Feb 20 12:00.
    assert growth["last_month"]["until"] == at("2026-02-20 12:00")
    assert growth["this_month"]["views"] == 3500
    assert growth["last_month"]["views"] == 300  # YouTube's Feb 16 reading
    assert growth["views"]["growth"] == pytest.approx((3500 - 300) / 300)
    assert growth["views"]["trend"] == "up"
    assert (growth["this_month"]["videos"], growth["last_month"]["videos"]) == (2, 1)
    assert growth["videos"]["growth"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "current, previous, expected",
    [(105, 100, "stable"), (106, 100, "up"), (94, 100, "down"), (5, 0, "up"), (0, 0, "stable")],
)
def test_trend(current, previous, expected):
    assert trend(current, previous) == expected


@pytest.mark.django_db
def test_seven_day_activity(workspace, history):
    report = creators_report(
        workspace=workspace, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 20), now=NOW
    )
    activity = {row["day"]: (row["created"], row["published"]) for row in report["activity"]}
    assert sorted(activity) == [dt.date(2026, 3, day) for day in range(14, 21)]
    assert activity[dt.date(2026, 3, 15)] == (0, 1)  # B on TikTok
    assert activity[dt.date(2026, 3, 18)] == (1, 0)  # C
    assert sum(created for created, _published in activity.values()) == 1


@pytest.mark.django_db
def test_another_workspace_sees_none_of_it(workspace, history, outsider):
    theirs = outsider.memberships.get().team
    report = creators_report(
        workspace=theirs, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 20), now=NOW
    )
    assert report["overview"]["views"] == 0 and report["overview"]["videos"] == 0
    assert report["overview"]["engagement_rate"] is None
    assert report["top_videos"] == [] and report["platforms"] == []


# -- insights ----------------------------------------------------------------------------------
# Twelve YouTube posts with known first-48-hour views (a reading at 47 h; the one at 5 days is
# later and does not count). Mondays 09:00: 100 200 300 400; Wednesdays 14:00: 1000 1200 800
# 1000; Fridays 20:00: 500 500 600 400 (UTC). The platform's median is 500, so the lifts are
# Monday .2 .4 .6 .8 (median .5), Wednesday 2 2.4 1.6 2 (median 2), Friday 1 1 1.2 .8 (1).
SLOTS = {
    "2026-01-05 09:00": 100,
    "2026-01-12 09:00": 200,
    "2026-01-19 09:00": 300,
    "2026-01-26 09:00": 400,
    "2026-01-07 14:00": 1000,
    "2026-01-14 14:00": 1200,
    "2026-01-21 14:00": 800,
    "2026-01-28 14:00": 1000,
    "2026-01-09 20:00": 500,
    "2026-01-16 20:00": 500,
    "2026-01-23 20:00": 600,
    "2026-01-30 20:00": 400,
}


@pytest.fixture
def slots(workspace):
    first, second = Template.objects.order_by("pk")[:2]
    for published, views in SLOTS.items():
        day = at(published)
        # Wednesdays' videos come from the second template, the rest from the first.
        template = second if day.weekday() == 2 else first
        made = video(workspace, created="2026-01-01 08:00", template=template)
        post(
            made,
            "youtube",
            published=published,
            snapshots=[
                ((day + dt.timedelta(hours=47)).isoformat()[:16], counters(views, 0, 0, 0)),
                ((day + dt.timedelta(days=5)).isoformat()[:16], counters(views * 10, 5, 0, 0)),
            ],
        )
    return first, second


def insights(workspace, zone=dt.UTC) -> dict:
    return creators_report(
        workspace=workspace, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 20), now=NOW, zone=zone
    )["insights"]


@pytest.mark.django_db
def test_best_weekday_hour_and_templates(workspace, slots):
    first, second = slots
    found = insights(workspace)
    assert found["enough"] and found["posts"] == 12
    assert found["best_weekday"] == {"key": 2, "posts": 4, "lift": pytest.approx(2.0)}
    lifts = {row["key"]: row["lift"] for row in found["weekdays"]}
    assert lifts == {
        0: pytest.approx(0.5),
        1: None,
        2: pytest.approx(2.0),
        3: None,
        4: pytest.approx(1.0),
        5: None,
        6: None,
    }
    assert found["best_hour"]["key"] == 14
    assert [row["template_id"] for row in found["templates"]] == [second.pk, first.pk]
    # The first template's eight lifts .2 .4 .6 .8 .8 1 1 1.2: median .8.
    assert found["templates"][1]["lift"] == pytest.approx(0.8)
    # Engagement from the latest numbers: 4 posts × 5 likes over 10 × (1000+1200+800+1000).
    assert found["templates"][0]["engagement_rate"] == pytest.approx(20 / 40000)


@pytest.mark.django_db
def test_best_times_are_in_the_readers_time_zone(workspace, slots):
    found = insights(workspace, ZoneInfo("Asia/Tokyo"))
    # 14:00 UTC is 23:00 in Tokyo; Friday 20:00 UTC is Saturday 05:00 there.
    assert found["best_hour"]["key"] == 23
    lifts = {row["key"]: row["lift"] for row in found["weekdays"]}
    assert lifts[4] is None and lifts[5] == pytest.approx(1.0)


@pytest.mark.django_db
def test_no_best_time_below_the_minimum(workspace, history):
    found = insights(workspace)
    assert not found["enough"]
    assert found["best_weekday"] is None and found["best_hour"] is None
    assert found["templates"] == []
