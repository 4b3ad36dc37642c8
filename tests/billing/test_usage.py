"""The billing page shows real usage against every limit, counted as the limits are enforced.

Every figure is worked out by hand on small fixed data (README, *Payments → Usage*)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from billing import entitlements, services
from billing.entitlements import EntitlementError, month_containing
from billing.models import Plan
from billing.usage import usage_rows
from integrations.models import AccountStatus, ConnectedAccount
from teams.models import Membership, Role
from tests.conftest import client_in
from tests.factories import UserFactory
from videos.models import (
    BrandKit,
    ExportJob,
    RenderJob,
    RenderJobKind,
    RenderJobStatus,
    Template,
    Video,
    VideoStatus,
    VideoVersion,
)
from videos.publishing.services import schedule_create
from videos.services import video_render
from videos.usage import minutes_from_seconds

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def _video(workspace, title: str = "Launch") -> Video:
    template = Template.objects.filter(is_active=True, tier="free").order_by("key").first()
    return Video.objects.create(
        workspace=workspace, template=template, title=title, duration_seconds=10
    )


def _render(video: Video, seconds: float, finished_at: dt.datetime, **fields) -> RenderJob:
    values = {"kind": RenderJobKind.RENDER, "status": RenderJobStatus.DONE, **fields}
    return RenderJob.objects.create(
        video=video, seconds=seconds, finished_at=finished_at, started_at=finished_at, **values
    )


def _versions(video: Video, count: int) -> None:
    for number in range(1, count + 1):
        VideoVersion.objects.create(
            video=video,
            number=number,
            kind="render",
            file=f"renders/{video.pk}-{number}.mp4",
            size=1_000_000,
            duration=10.0,
            width=1280,
            height=720,
            checksum=f"{video.pk:032d}{number:032d}",
        )


def _account(workspace, platform: str, external_id: str, **fields) -> ConnectedAccount:
    return ConnectedAccount.objects.create(
        workspace=workspace,
        platform=platform,
        external_id=external_id,
        name=f"{platform} {external_id}",
        access_token="token",
        expires_at=timezone.now() + dt.timedelta(hours=2),
        **fields,
    )


def _this_month(workspace) -> tuple[dt.datetime, dt.datetime]:
    """A moment inside the workspace's usage month, and one just before it."""
    start, _end = entitlements.usage_period(workspace)
    inside = start + (timezone.now() - start) / 2
    return inside, start - dt.timedelta(seconds=1)


def _rows(workspace) -> dict[str, dict]:
    entitlements.forget_tier(workspace)
    return {row["key"]: row for row in usage_rows(workspace=workspace)}


def _shown(row: dict) -> tuple[str, str]:
    return row["used_text"] + " / " + row["allowed_text"], row["state"]


# -- render minutes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "minutes"),
    [(0, "0.0"), (1, "0.1"), (6, "0.1"), (6.01, "0.2"), (136, "2.3"), (594, "9.9"), (600, "10.0")],
)
def test_render_seconds_become_minutes_rounded_up_to_a_tenth(seconds, minutes):
    assert minutes_from_seconds(seconds) == Decimal(minutes)


def test_render_minutes_count_this_months_finished_renders(owner, workspace):
    """30 s + 45 s + 61 s finished this month = 136 s = 2.27 minutes → 2.3. Not counted: last
    month's 600 s, a failed job, a branding pass, a running job, another workspace's render."""
    video = _video(workspace)
    inside, before = _this_month(workspace)
    for seconds in (30, 45, 61):
        _render(video, seconds, inside)
    _render(video, 600, before)
    _render(video, 100, inside, status=RenderJobStatus.FAILED)
    _render(video, 50, inside, kind=RenderJobKind.BRANDING)
    _render(_video(workspace, "Other"), 70, None, status=RenderJobStatus.RUNNING)
    _render(_video(UserFactory().memberships.get().team), 90, inside)

    response = client_in(owner, workspace).get(reverse("billing:page"))

    page = response.content.decode()
    row = re.search(r'<tr class="usage-\w+">\s*<th scope="row">Render minutes.*?</tr>', page, re.S)
    assert row is not None
    assert "2.3 / 10" in row.group(0)
    assert 'value="2.3"' in row.group(0) and 'max="10"' in row.group(0)
    assert "Not measured yet" not in page


def test_a_render_is_refused_once_the_shown_minutes_reach_the_limit(owner, workspace):
    video = _video(workspace)
    inside, _before = _this_month(workspace)
    _render(video, 594, inside)  # 9.9 minutes: some left, the render may start
    assert _shown(_rows(workspace)["render_minutes_per_month"]) == ("9.9 / 10", "near")
    video_render(video=video, actor=owner)

    RenderJob.objects.filter(status=RenderJobStatus.QUEUED).update(
        status=RenderJobStatus.DONE, seconds=1, finished_at=inside
    )  # 595 s: 9.92 minutes, shown as 10.0
    assert _shown(_rows(workspace)["render_minutes_per_month"]) == ("10.0 / 10", "at")
    with pytest.raises(EntitlementError) as refused:
        video_render(video=video, actor=owner)
    assert refused.value.key == "render_minutes_per_month"


def test_a_monthly_plans_usage_month_is_its_billing_period(owner, workspace):
    session = services.checkout_start(
        workspace=workspace, plan=Plan.objects.get(key="pro-monthly"), currency="USD", actor=owner
    )
    subscription = services.checkout_complete(session=session, provider_payment_id="sbx_usage")
    entitlements.forget_tier(workspace)
    assert entitlements.usage_period(workspace) == (
        subscription.current_period_start,
        subscription.current_period_end,
    )


def test_usage_months_by_hand():
    now = dt.datetime(2027, 3, 15, 12, 0, tzinfo=UTC)
    # Free: the calendar month in UTC.
    assert month_containing(now, None) == (
        dt.datetime(2027, 3, 1, tzinfo=UTC),
        dt.datetime(2027, 4, 1, tzinfo=UTC),
    )
    # An annual plan that started on 31 January: months end on the 28th of February, then the
    # 31st of March (each counted from the start, so a short month does not shift the rest).
    anchor = dt.datetime(2027, 1, 31, 10, 0, tzinfo=UTC)
    assert month_containing(now, anchor) == (
        dt.datetime(2027, 2, 28, 10, 0, tzinfo=UTC),
        dt.datetime(2027, 3, 31, 10, 0, tzinfo=UTC),
    )
    assert month_containing(dt.datetime(2027, 3, 31, 10, 0, tzinfo=UTC), anchor)[0] == (
        dt.datetime(2027, 3, 31, 10, 0, tzinfo=UTC)
    )
    assert month_containing(dt.datetime(2027, 12, 1, tzinfo=UTC), anchor) == (
        dt.datetime(2027, 11, 30, 10, 0, tzinfo=UTC),
        dt.datetime(2027, 12, 31, 10, 0, tzinfo=UTC),
    )


# -- every limit ------------------------------------------------------------------------------


@pytest.fixture
def used(owner, workspace):
    """Fixed data on Free: every figure worked out by hand in the test below."""
    BrandKit.objects.create(workspace=workspace, name="Acme", logo="brand/acme.png")
    editor = UserFactory()
    Membership.objects.create(team=workspace, user=editor, role=Role.EDITOR)
    inside, before = _this_month(workspace)
    ExportJob.objects.create(workspace=workspace, video_ids=[1, 2, 3], created_at=inside)
    ExportJob.objects.create(workspace=workspace, video_ids=[4], created_at=inside)
    ExportJob.objects.create(workspace=workspace, video_ids=[1, 2, 3, 4, 5], created_at=before)
    first, second = _video(workspace, "First"), _video(workspace, "Second")
    _versions(first, 4)
    _versions(second, 2)
    _account(workspace, "x", "1")
    _account(workspace, "x", "2")
    _account(workspace, "youtube", "3", status=AccountStatus.RECONNECT)
    _account(workspace, "facebook", "4", status=AccountStatus.DISCONNECTED)
    _render(first, 60, inside)
    return workspace


def test_every_limit_shows_what_is_used(used):
    assert {key: _shown(row) for key, row in _rows(used).items()} == {
        "brand_kits": ("1 / 1", "at"),
        "team_seats": ("2 / 3", "ok"),  # the owner and the editor
        "batch_export_size": ("3 / 5", "ok"),  # the largest this month; last month's 5 is past
        "versions_per_video": ("4 / 5", "near"),  # "First" keeps 4; 4 ≥ 80 % of 5
        "scheduling_platforms": ("2 / 2", "at"),  # X (twice) and YouTube; Facebook is gone
        "render_minutes_per_month": ("1.0 / 10", "ok"),
    }


def test_over_the_limit_is_shown(used):
    BrandKit.objects.create(workspace=used, name="Second", logo="brand/second.png")
    row = _rows(used)["brand_kits"]
    assert (_shown(row), row["state_label"]) == (("2 / 1", "over"), "Over the limit")


def test_pro_limits_and_figures_in_german(owner, used):
    session = services.checkout_start(
        workspace=used, plan=Plan.objects.get(key="pro-monthly"), currency="EUR", actor=owner
    )
    services.checkout_complete(session=session, provider_payment_id="sbx_de")
    owner.profile.language = "de"
    owner.profile.save()
    page = client_in(owner, used).get(reverse("billing:page")).content.decode()
    assert "1 / 10" in page  # brand kits on Pro
    assert "4 / 50" in page  # versions
    assert "0,0 / 300" in page  # render minutes: the Pro period began after the render


def test_scheduling_is_refused_while_more_platforms_are_connected_than_the_plan_allows(owner, used):
    video = Video.objects.get(title="First")
    version = video.versions.order_by("-number").first()
    Video.objects.filter(pk=video.pk).update(status=VideoStatus.READY, current_version=version)
    video.refresh_from_db()
    x_account = ConnectedAccount.objects.filter(platform="x").first()
    target = [{"platform": "x", "account": x_account.pk, "caption": "Hi"}]
    later = timezone.now() + dt.timedelta(days=1)

    _account(used, "tiktok", "5")  # a third platform: 3 / 2
    assert _shown(_rows(used)["scheduling_platforms"]) == ("3 / 2", "over")
    with pytest.raises(EntitlementError) as refused:
        schedule_create(video=video, actor=owner, platforms=target, publish_at=later)
    assert refused.value.key == "scheduling_platforms"

    ConnectedAccount.objects.filter(platform="tiktok").update(status=AccountStatus.DISCONNECTED)
    assert _shown(_rows(used)["scheduling_platforms"]) == ("2 / 2", "at")
    schedule_create(video=video, actor=owner, platforms=target, publish_at=later)


def test_the_billing_page_has_no_unmeasured_limit(owner, used):
    page = client_in(owner, used).get(reverse("billing:page")).content.decode()
    assert page.count('<meter class="usage-meter"') == len(entitlements.LIMITS)
    assert "Not measured yet" not in page
    assert "—" not in re.search(r'id="usage-heading".*?</section>', page, re.S).group(0)


def test_the_readme_defines_every_usage_figure():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    usage = readme.split("### Usage", 1)[1].split("\n## ", 1)[0]
    defined = re.findall(r"^- \*\*(.+?)\*\*", usage, re.M)
    assert defined == [str(limit.label) for limit in entitlements.LIMITS.values()]


# -- query counts ---------------------------------------------------------------------------


def _more(workspace, n: int) -> None:
    inside, _before = _this_month(workspace)
    for i in range(n):
        video = _video(workspace, f"More {i}")
        _versions(video, 3)
        _render(video, 30, inside)
        BrandKit.objects.create(workspace=workspace, name=f"Kit {i}", logo=f"brand/{i}.png")
        ExportJob.objects.create(workspace=workspace, video_ids=[video.pk], created_at=inside)
        _account(workspace, "tiktok", f"more-{i}")


@pytest.mark.parametrize("extra", [0, 12])
def test_the_usage_costs_the_same_queries_however_much_is_used(
    owner, used, extra, django_assert_max_num_queries
):
    _more(used, extra)
    client = client_in(owner, used)
    client.get(reverse("billing:page"))
    # session, user, memberships, subscription, seats, the usage videos and integrations
    # measure (one query each), credit balance, invoices, history, the bell's unread count.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("billing:page"))
    assert response.status_code == 200
