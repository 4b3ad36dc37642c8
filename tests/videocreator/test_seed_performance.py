"""`seed_performance` writes a publishing history into one workspace: exactly the posts and
snapshots asked for, at the poller's times, with counters that never fall and the latest
numbers on each post; the same seed gives the same history, and a workspace takes one."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command

from integrations.models import ConnectedAccount
from teams.models import Membership, Role, Team
from videocreator.performance_data import (
    PerformanceDataExists,
    apportion,
    kept_polls,
    performance_seed,
    poll_times,
)
from videos.models import PlatformPost, PostSnapshot, PublishSchedule, Video
from videos.performance import next_stats_poll

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
COUNTERS = ("views", "likes", "comments", "shares", "saves", "impressions")
POSTS, DAYS = 60, 20


def seeded(workspace, *, snapshots: int, seed: int = 1):
    return performance_seed(
        workspace=workspace, posts=POSTS, snapshots=snapshots, days=DAYS, seed=seed, now=NOW
    )


def snapshots_by_post(workspace) -> dict[int, list[PostSnapshot]]:
    found = defaultdict(list)
    for snapshot in PostSnapshot.objects.filter(post__schedule__workspace=workspace).order_by(
        "post_id", "taken_at"
    ):
        found[snapshot.post_id].append(snapshot)
    return found


def history(workspace) -> list[tuple]:
    """What a history is, without its keys: each post's platform, time and numbers."""
    return [
        (post.platform, post.published_at, post.schedule.video.title, post.views, post.likes)
        for post in PlatformPost.objects.filter(schedule__workspace=workspace)
        .select_related("schedule__video")
        .order_by("published_at", "platform")
    ]


@pytest.fixture
def other_workspace(owner) -> Team:
    return Team.objects.create(name="Other Studio", created_by=owner)


def test_apportion_keeps_the_total_one_each_and_no_more_than_the_polls():
    polls = [1, 49, 120, 7, 300, 2]
    for total in (6, 100, 250, sum(polls)):
        keep = apportion(polls=polls, total=total)
        assert sum(keep) == total
        assert all(1 <= kept <= count for kept, count in zip(keep, polls, strict=True))


def test_kept_polls_are_spread_and_end_with_the_last():
    assert kept_polls(polls=10, keep=1) == [9]
    assert kept_polls(polls=10, keep=5) == [1, 3, 5, 7, 9]
    assert kept_polls(polls=4, keep=4) == [0, 1, 2, 3]


@pytest.mark.django_db
def test_the_counts_are_exactly_those_asked_for(workspace):
    summary = seeded(workspace, snapshots=POSTS * 8)

    posts = PlatformPost.objects.filter(schedule__workspace=workspace)
    assert posts.count() == POSTS and set(posts.values_list("status", flat=True)) == {"published"}
    assert PostSnapshot.objects.filter(post__schedule__workspace=workspace).count() == POSTS * 8
    assert Video.objects.filter(workspace=workspace).count() == POSTS // 25
    assert set(posts.values_list("platform", flat=True)) == {
        "youtube", "instagram", "tiktok", "facebook", "x"
    }  # fmt: skip
    accounts = ConnectedAccount.objects.filter(workspace=workspace)
    assert accounts.count() == 5 and all(post.account_id for post in posts)
    assert summary.rows["videos.PlatformPost"] == POSTS
    assert (
        summary.rows["videos.PublishSchedule"]
        == PublishSchedule.objects.filter(workspace=workspace).count()
    )
    first = min(posts.values_list("published_at", flat=True))
    assert NOW - dt.timedelta(days=DAYS) <= first


@pytest.mark.django_db
def test_counters_never_fall_and_the_post_holds_its_last_snapshot(workspace):
    seeded(workspace, snapshots=POSTS * 8)

    by_post = snapshots_by_post(workspace)
    for post in PlatformPost.objects.filter(schedule__workspace=workspace):
        snapshots = by_post[post.pk]
        for name in COUNTERS:
            values = [getattr(snapshot, name) for snapshot in snapshots]
            if values[-1] is None:  # a counter this platform does not report
                assert set(values) == {None}
            else:
                assert values == sorted(values), (post.platform, name)
        last = snapshots[-1]
        assert [getattr(post, name) for name in (*COUNTERS, "average_watch_seconds")] == [
            getattr(last, name) for name in (*COUNTERS, "average_watch_seconds")
        ]
        assert post.stats_taken_at == last.taken_at
        assert post.next_stats_at == next_stats_poll(
            published_at=post.published_at, now=last.taken_at
        )
        assert post.next_stats_at > NOW  # due when the poller would next ask, not before


@pytest.mark.django_db
def test_snapshots_are_taken_at_the_pollers_times(workspace, other_workspace):
    # The same seed and clock plan the same posts: the first run says how many polls there
    # were, the second keeps them all.
    polls = seeded(other_workspace, snapshots=POSTS).polls
    seeded(workspace, snapshots=polls)

    by_post = snapshots_by_post(workspace)
    posts = PlatformPost.objects.filter(schedule__workspace=workspace)
    assert sum(len(snapshots) for snapshots in by_post.values()) == polls
    for post in posts:
        times = [snapshot.taken_at for snapshot in by_post[post.pk]]
        assert times == poll_times(published_at=post.published_at, until=NOW)
    # Thinned, each post keeps some of those times, its last one always.
    for post in PlatformPost.objects.filter(schedule__workspace=other_workspace):
        [snapshot] = PostSnapshot.objects.filter(post=post)
        assert snapshot.taken_at == poll_times(published_at=post.published_at, until=NOW)[-1]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_history_and_another_a_different_one(
    workspace, other_workspace, owner
):
    seeded(workspace, snapshots=POSTS * 4)
    seeded(other_workspace, snapshots=POSTS * 4)
    third = Team.objects.create(name="Third Studio", created_by=owner)
    seeded(third, snapshots=POSTS * 4, seed=2)

    assert history(workspace) == history(other_workspace)
    assert history(workspace) != history(third)


@pytest.mark.django_db
def test_a_workspace_takes_one_history(workspace):
    seeded(workspace, snapshots=POSTS * 2)
    counts = (PlatformPost.objects.count(), PostSnapshot.objects.count(), Video.objects.count())

    with pytest.raises(PerformanceDataExists):
        seeded(workspace, snapshots=POSTS * 2)
    with pytest.raises(CommandError, match="already has a generated history"):
        call_command(
            "seed_performance", workspace=workspace.pk, posts=POSTS, snapshots=POSTS, days=DAYS
        )

    assert (PlatformPost.objects.count(), PostSnapshot.objects.count(), Video.objects.count()) == (
        counts
    )


@pytest.mark.django_db
def test_the_command_makes_a_workspace_and_says_what_it_wrote(capsys):
    call_command("seed_performance", posts=50, snapshots=400, days=10, seed=3)
    out = capsys.readouterr().out

    workspace = Team.objects.get(pk=int(re.search(r"into workspace (\d+)", out).group(1)))
    owner = Membership.objects.get(team=workspace, role=Role.OWNER).user
    assert owner.email in out and f"/analytics/?workspace={workspace.pk}" in out
    assert "videos.PlatformPost: 50" in out and "videos.PostSnapshot: 400" in out
    assert re.search(r"in \d+\.\d s", out)
    assert PostSnapshot.objects.filter(post__schedule__workspace=workspace).count() == 400


@pytest.mark.django_db
def test_more_snapshots_than_polls_is_refused_and_writes_nothing(workspace):
    with pytest.raises(CommandError, match="were polled"):
        call_command(
            "seed_performance", workspace=workspace.pk, posts=10, snapshots=100_000, days=2
        )
    with pytest.raises(CommandError, match="at least as many as --posts"):
        call_command("seed_performance", workspace=workspace.pk, posts=10, snapshots=5)

    assert not PlatformPost.objects.exists() and not ConnectedAccount.objects.exists()
