"""`seed_demo` fills Demo Agency with everything a visitor should see, once."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from analytics.models import Event
from billing.models import Invoice
from teams.models import Comment, Team
from tests.conftest import client_for
from videocreator.performance_data import poll_times
from videos.models import ExportJob, ExportStatus, Video, VideoStatus, VideoVersion
from videos.publishing.models import PlatformPost, PostSnapshot, PostStatus
from videos.publishing.statistics import collect_post_statistics

DEMO_LOGINS = ["demo@videocreator.local", "editor@videocreator.local", "viewer@videocreator.local"]


def snapshot() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Team.objects.count(),
        Video.objects.count(),
        VideoVersion.objects.count(),
        Comment.objects.count(),
        ExportJob.objects.count(),
        Event.objects.count(),
    )


@pytest.mark.django_db
def test_the_demo_shows_every_feature_and_seeds_once(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    team = Team.objects.get(name="Demo Agency")

    videos = list(Video.objects.filter(workspace=team).order_by("pk"))
    assert len(videos) == 3
    assert all(video.status == VideoStatus.READY and video.file for video in videos)
    assert any("名言" in video.title for video in videos)  # a second language
    branded = videos[0]
    kinds = list(branded.versions.order_by("number").values_list("kind", flat=True))
    assert kinds == ["render", "render", "branding"]
    assert branded.brand_kit is not None and branded.brand_kit.name == "Demo Agency"

    comments = Comment.objects.filter(version=branded.current_version)
    assert comments.count() == 3
    assert comments.filter(parent__isnull=False).count() == 1
    assert comments.filter(resolved_at__isnull=False).count() == 1
    assert comments.filter(mention_rows__isnull=False).exists()

    export = ExportJob.objects.get(workspace=team)
    assert export.status == ExportStatus.READY and export.file_count == 2

    posts = PlatformPost.objects.filter(schedule__workspace=team)
    published = posts.filter(status=PostStatus.PUBLISHED).latest("published_at")
    assert published.platform == "sandbox" and published.remote_url
    assert client_for(team.created_by).get(published.remote_url).status_code == 200
    assert sorted(
        posts.exclude(status=PostStatus.PUBLISHED).values_list("platform", flat=True)
    ) == ["instagram", "sandbox"]

    # Two months of sandbox posts before it, with their statistics at the poller's times.
    history = list(posts.filter(status=PostStatus.PUBLISHED).exclude(pk=published.pk))
    assert 20 <= len(history) <= 30
    assert len({post.published_at.weekday() for post in history}) >= 5
    assert len({post.published_at.hour for post in history}) >= 8
    now = timezone.now()
    for post in history:
        snapshots = list(PostSnapshot.objects.filter(post=post).order_by("taken_at"))
        assert [s.taken_at for s in snapshots] == poll_times(
            published_at=post.published_at, until=snapshots[-1].taken_at
        )
        assert post.views == snapshots[-1].views > 0 and post.likes == snapshots[-1].likes
        assert post.stats_taken_at == snapshots[-1].taken_at <= now < post.next_stats_at
    assert client_for(team.created_by).get(history[0].remote_url).status_code == 200
    # The beat task carries on from there: the next poll adds a snapshot, numbers no lower.
    summary = collect_post_statistics(now=now + dt.timedelta(days=8))
    assert summary["snapshots"] == len(history) + 1
    for post in history:
        before = post.views
        post.refresh_from_db()
        assert post.views >= before and post.snapshots.count() > 1

    for email in DEMO_LOGINS:
        assert f"{email} / demo-video-creator" in first
    assert team.memberships.count() == 3
    assert team.subscription.plan.key == "pro-monthly"

    # The demo user's first page opens in Demo Agency, not the empty personal workspace.
    demo = User.objects.get(email="demo@videocreator.local")
    page = client_for(demo).get("/videos/").content.decode()
    assert "Spring launch: Aurora headphones" in page

    # The analytics history, for the dashboards' charts: seeded once.
    assert "an analytics history of 2,000 accounts over 12 months" in first
    seeded = User.objects.filter(email__endswith="@seed.example")
    assert seeded.count() == 2000
    assert Invoice.objects.filter(workspace__created_by__in=seeded).exists()
    # ...with the daily rollup filled, and a staff account to open the business dashboard.
    from analytics.metrics.models import DailyMetric

    assert DailyMetric.objects.filter(key="mrr", value__gt=0).exists()
    staff = User.objects.get(email="staff@videocreator.local")
    assert staff.is_staff and not staff.is_superuser
    assert client_for(staff).get("/analytics/business/").status_code == 200
    assert "staff@videocreator.local" in first

    counts = snapshot()
    call_command("seed_demo")
    assert "nothing (already seeded)" in capsys.readouterr().out
    assert snapshot() == counts
    assert team.invoices.count() == 1  # the second run did not charge again
