"""In a real browser: a member's creators' dashboard (/analytics/) draws its charts (top videos,
platforms, activity) under the page's policy with no violation, and its range form keeps the
workspace."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from teams.models import Membership, Role, Team
from tests.analytics.metrics.creators.kit import counters, post, video
from tests.e2e.conftest import sign_in
from tests.e2e.test_business_charts import LISTEN_FOR_VIOLATIONS
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_dashboard_draws_its_charts(live_server, page):
    member = UserFactory(email="member@example.com")
    workspace = Team.objects.create(name="Studio", created_by=member)
    Membership.objects.create(team=workspace, user=member, role=Role.VIEWER)
    day = timezone.now() - dt.timedelta(days=3)
    for number, platform in enumerate(("youtube", "tiktok", "x")):
        made = video(workspace, created=day.strftime("%Y-%m-%d %H:00"), title=f"Clip {number}")
        post(
            made,
            platform,
            published=day.strftime("%Y-%m-%d %H:00"),
            snapshots=[
                (
                    (day + dt.timedelta(hours=5)).strftime("%Y-%m-%d %H:00"),
                    counters(100 * (number + 1), 10, 2, 1),
                )
            ],
        )
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    sign_in(page, live_server.url, member.email)
    response = page.goto(
        f"{live_server.url}{reverse('creators:dashboard')}?workspace={workspace.pk}"
    )
    assert response.status == 200
    holders = page.locator(".chart[data-chart]")
    expect(holders).to_have_count(3)
    expect(page.locator('.chart[data-drawn="true"]')).to_have_count(3)
    expect(page.locator("#overview")).to_contain_text("600")  # 100 + 200 + 300 views
    assert page.evaluate("window.__violations") == []

    page.get_by_role("link", name="Last 7 days").click()
    assert f"workspace={workspace.pk}" in page.url
    expect(page.locator(".chart[data-drawn]")).to_have_count(3)
