"""`seed_demo` fills Demo Agency with everything a visitor should see, once."""

import pytest
from django.core.management import call_command

from accounts.models import User
from analytics.models import Event
from billing.models import Invoice
from teams.models import Comment, Team
from tests.conftest import client_for
from videos.models import ExportJob, ExportStatus, Video, VideoStatus, VideoVersion
from videos.publishing.models import PlatformPost, PostStatus

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
    published = posts.get(status=PostStatus.PUBLISHED)
    assert published.platform == "sandbox" and published.remote_url
    assert client_for(team.created_by).get(published.remote_url).status_code == 200
    assert sorted(posts.exclude(pk=published.pk).values_list("platform", flat=True)) == [
        "instagram",
        "sandbox",
    ]

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
