"""In a real browser: the staff business dashboard draws every chart with the plotly.js that
the plotly package ships (served as our static file), under the dashboard's policy, with no
Content-Security-Policy violation (tests/e2e/conftest.py fails on any console report; this test
also listens for `securitypolicyviolation` events itself)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from analytics.events import EventName, record
from billing import services
from billing.models import Plan
from tests.e2e.conftest import sign_in
from tests.factories import UserFactory, VideoFactory
from videos.models import Template

pytestmark = pytest.mark.e2e

# Added before any page script runs; the policy does not apply to what the browser injects.
LISTEN_FOR_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def _some_business(days_ago) -> None:
    """A week of activity: sign-ups, videos from templates, posts, a Pro subscription."""
    template = Template.objects.order_by("pk").first()
    for index in range(4):
        user = UserFactory(date_joined=days_ago(10 - index))
        workspace = user.teams.get(is_personal=True)
        record(EventName.USER_SIGNED_UP, actor=user, occurred_at=days_ago(10 - index))
        record("page.viewed", anonymous_id=f"a{index}", occurred_at=days_ago(11 - index))
        VideoFactory(workspace=workspace, template=template, created_at=days_ago(8 - index))
        record(EventName.VIDEO_CREATED, actor=user, occurred_at=days_ago(8 - index))
        record(
            EventName.TEMPLATE_USED, actor=user, subject=template, occurred_at=days_ago(8 - index)
        )
        record(
            EventName.VIDEO_PUBLISHED,
            properties={"platform": "youtube" if index % 2 else "tiktok"},
            occurred_at=days_ago(7 - index),
        )
        if index == 0:
            session = services.checkout_start(
                workspace=workspace,
                plan=Plan.objects.get(key="pro-monthly"),
                currency="USD",
                actor=user,
                coupon_code="",
            )
            services.checkout_complete(
                session=session, provider_payment_id=f"sbx_{uuid.uuid4().hex}", now=days_ago(6)
            )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_chart_is_drawn_without_a_policy_violation(live_server, page):
    now = timezone.now()

    def days_ago(days: int) -> dt.datetime:
        return now - dt.timedelta(days=days)

    _some_business(days_ago)
    staff = UserFactory(is_staff=True, email="staff@example.com")
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    sign_in(page, live_server.url, staff.email)

    response = page.goto(live_server.url + reverse("metrics:business"))
    assert response.status == 200
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy

    holders = page.locator(".chart[data-chart]")
    count = holders.count()
    assert count == 7  # movements, sign-ups, MRR, platforms, templates, cohorts, funnel
    expect(page.locator('.chart[data-drawn="true"]')).to_have_count(count)
    for index in range(count):
        expect(holders.nth(index).locator("svg.main-svg").first).to_be_visible()
    # The heatmap's cells are a canvas shown as an image with a data: URL.
    expect(page.locator('[data-chart="chart-cohorts"] image')).to_have_count(1)
    # plotly.js's own rules went into its (empty, hash-allowed) style element.
    rules = page.evaluate("document.getElementById('plotly.js-style-global').sheet.cssRules.length")
    assert rules > 0
    assert page.evaluate("window.__violations") == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_charts_speak_the_readers_language(live_server, page):
    now = timezone.now()
    _some_business(lambda days: now - dt.timedelta(days=days))
    staff = UserFactory(is_staff=True, email="staff@example.com")
    staff.profile.language = "de"
    staff.profile.save(update_fields=["language"])
    sign_in(page, live_server.url, staff.email)
    page.goto(live_server.url + reverse("metrics:business"))
    chart = page.locator('[data-chart="chart-movements"]')
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    # The waterfall's labels and its amounts in German: "Neu" would need the catalog; the
    # amounts' format comes from babel and plotly's separators.
    expect(chart).to_contain_text("12,00 $")
