"""In a real browser: a friend follows a share link, signs up with the code already filled in,
and the referral is recorded; the referrer's page shows it and copies the link."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from growth.referrals.codes import code_for
from growth.referrals.models import Referral
from tests.e2e.conftest import new_page, path_of, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_share_link_leads_to_a_referred_sign_up(live_server, browser):
    referrer = UserFactory(email="referrer@example.com", name="Rita Referrer")
    code = code_for(user=referrer).code
    email = f"friend-{uuid.uuid4().hex[:8]}@example.com"
    password = f"Lantern-{uuid.uuid4().hex[:8]}-orchard"

    friend = new_page(browser)
    friend.goto(f"{live_server.url}/r/{code.lower()}")
    assert path_of(friend) == reverse("account_signup")
    form = friend.locator("form:has(input[name='password1'])")
    expect(form.locator("input[name='referral_code']")).to_have_value(code)
    form.locator("input[name='email']").fill(email)
    form.locator("input[name='password1']").fill(password)
    form.locator("input[name='password2']").fill(password)
    with friend.expect_navigation():
        form.locator("button[type=submit]").first.click()
    assert path_of(friend) == reverse("account_email_verification_sent")

    referral = Referral.objects.select_related("referee").get(referrer=referrer)
    assert referral.referee.email == email
    assert referral.source == "signup"

    page = new_page(browser)
    sign_in(page, live_server.url, referrer.email)
    page.goto(live_server.url + reverse("referrals:page"))
    expect(page.locator("#referrals-heading + .table-wrap")).to_contain_text(
        "Signed up, not paying yet"
    )
    expect(page.locator(".metric-card").first).to_contain_text("1")  # one link visit
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
