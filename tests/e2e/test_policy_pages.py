"""In a real browser, under the Content-Security-Policy: the API documentation, the admin and
the public pages work, with no violation reported (tests/e2e/conftest.py fails on any)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_docs_admin_and_public_pages_under_the_policy(live_server, page):
    from accounts.models import User

    User.objects.create_superuser(email="root@example.com", password="root-pass-123")
    base = live_server.url
    page.goto(base + reverse("api-docs"))
    expect(page.locator("#swagger-ui .info .title")).to_contain_text("Video Creator API")
    page.goto(base + reverse("billing:pricing"))
    expect(page.locator("main")).to_be_visible()
    page.goto(base + reverse("admin:login") + "?next=/admin/accounts/user/")
    page.fill("#id_username", "root@example.com")
    page.fill("#id_password", "root-pass-123")
    with page.expect_navigation():
        page.locator("input[type=submit]").click()
    expect(page.locator("#result_list")).to_contain_text("root@example.com")
    response = page.goto(base + reverse("home"))
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
