"""In a real browser: on the feature board a vote changes the score in place (htmx, no page
load), and typing a title suggests the similar request already on the board."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from growth.feedback import services
from growth.feedback.models import FeatureRequest
from tests.e2e.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_voting_and_similar_titles_on_the_board(live_server, page):
    author = UserFactory(email="author@example.com")
    voter = UserFactory(email="voter@example.com")
    dark_mode = services.feature_request_create(
        author=author, title="Dark mode for the editor", description="Easier at night."
    )
    sign_in(page, live_server.url, voter.email)

    page.goto(live_server.url + reverse("feedback:board"))
    widget = page.locator(f"#vote-{dark_mode.pk}")
    score = widget.locator("[data-vote-score]")
    expect(score).to_have_text("0")
    page.evaluate("window.__sameDocument = true")
    widget.get_by_role("button", name="Vote up").click()
    expect(page.locator(f"#vote-{dark_mode.pk} [data-vote-score]")).to_have_text("1")
    assert page.evaluate("window.__sameDocument") is True  # swapped in, not reloaded
    dark_mode.refresh_from_db()
    assert dark_mode.vote_score == 1

    # Pressed again, the up-vote is taken back.
    page.locator(f"#vote-{dark_mode.pk}").get_by_role("button", name="Vote up").click()
    expect(page.locator(f"#vote-{dark_mode.pk} [data-vote-score]")).to_have_text("0")

    page.goto(live_server.url + reverse("feedback:new"))
    page.locator("input[name='title']").press_sequentially("dark mode", delay=30)
    suggestions = page.locator("#similar-requests")
    expect(suggestions).to_contain_text("Dark mode for the editor")
    assert FeatureRequest.objects.count() == 1
