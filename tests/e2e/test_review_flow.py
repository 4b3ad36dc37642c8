"""In a real browser: the owner invites an editor, the editor accepts and comments at 0:05
with @owner, the owner sees the notification, opens it (the player seeks to 0:05) and
resolves the thread."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from analytics.models import Event
from teams.models import Comment, Membership, Notification, Role
from tests.e2e.conftest import choose_workspace, new_page, path_of, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

SCREENSHOT = Path(__file__).resolve().parents[2] / "var" / "e2e-review.png"
INVITATION_LINK = re.compile(r"""[^\s"'<>]*/team/invitations/[A-Za-z0-9_-]{20,}/""")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_invite_comment_mention_notification_seek_and_resolve(
    live_server, browser, settings, workspace, owner, ten_second_version
):
    base = live_server.url
    settings.SITE_URL = base  # links in e-mails point at the live server
    video = ten_second_version.video
    version_path = reverse("videos:version", args=[video.pk, ten_second_version.number])
    edith = UserFactory(email="edith@example.com", name="Edith Editor")

    # The owner invites Edith as an editor from the Team page of "Acme Studio".
    owner_page = new_page(browser)
    sign_in(owner_page, base, owner.email)
    choose_workspace(owner_page, workspace.pk)
    owner_page.goto(base + reverse("teams:team"))
    owner_page.fill("#invite-emails", edith.email)
    owner_page.select_option("#invite-role", "editor")
    with owner_page.expect_navigation():
        owner_page.get_by_role("button", name="Send invitations").click()
    sent = [m for m in mail.outbox if edith.email in m.to]
    assert len(sent) == 1, [m.subject for m in mail.outbox]
    link = INVITATION_LINK.search(sent[0].body)
    assert link, sent[0].body

    # Edith opens the link, signs in and accepts.
    editor_page = new_page(browser)
    invitation_url = urljoin(base + "/", link.group(0))
    editor_page.goto(invitation_url)
    expect(editor_page.locator("main")).to_contain_text("invited you to join Acme Studio")
    sign_in(editor_page, base, edith.email, next_path=urlsplit(invitation_url).path)
    assert path_of(editor_page) == urlsplit(invitation_url).path, editor_page.url
    with editor_page.expect_navigation():
        editor_page.get_by_role("button", name="Accept").click()
    assert Membership.objects.get(team=workspace, user=edith).role == Role.EDITOR
    expect(editor_page.locator("main")).to_contain_text("Welcome to Acme Studio.")

    # Edith comments at 0:05 and picks the owner from the @ autocomplete, whose members are
    # asked for when she first focuses the box, once.
    asked: list[str] = []
    editor_page.on(
        "request",
        lambda request: asked.append(request.url) if "/mentions/" in request.url else None,
    )
    editor_page.goto(base + version_path)
    assert asked == []
    text = editor_page.locator("#comment-text")
    with editor_page.expect_response(lambda r: "/mentions/" in r.url and r.status == 200):
        text.click()
    text.press_sequentially("@Oli")
    option = editor_page.get_by_role("option", name=re.compile("Olivia Owner"))
    expect(option).to_be_visible()
    text.press("Enter")
    expect(text).to_have_value("@Olivia Owner ")
    editor_page.locator("#comment-at").focus()
    text.focus()
    assert asked == [base + reverse("videos:mention_candidates", args=[video.pk])]
    text.press_sequentially("the logo is too small here")
    editor_page.fill("#comment-at", "0:05")
    with editor_page.expect_navigation():
        editor_page.get_by_role("button", name="Comment", exact=True).click()
    comment = Comment.objects.get(version=ten_second_version)
    assert (comment.time_ms, comment.author) == (5000, edith)
    assert list(comment.mentions.all()) == [owner]
    expect(editor_page.locator(f"#comment-{comment.pk} .mention")).to_have_text("@Olivia Owner")

    # The owner sees the bell's count, opens the notification and lands on the comment.
    owner_page.goto(base + reverse("dashboard"))
    expect(owner_page.locator("#notification-bell .bell-count")).to_have_text("1")
    owner_page.locator("#notification-bell").click()
    notification_link = owner_page.locator("a.notification-link").first
    expect(notification_link).to_contain_text("Edith Editor mentioned you")
    with owner_page.expect_navigation():
        notification_link.click()
    assert owner_page.url.endswith(f"{version_path}?thread={comment.pk}#comment-{comment.pk}")
    owner_page.wait_for_function(
        "document.querySelector('.media-frame video').currentTime === 5", timeout=10_000
    )
    expect(owner_page.locator(f"#comment-{comment.pk}")).to_have_class(re.compile("is-highlighted"))
    # The marker sits halfway along the timeline (placed by review.js: no inline styles).
    marker = owner_page.locator(f".comment-marker[href='#comment-{comment.pk}']")
    assert marker.evaluate("m => m.style.getPropertyValue('--start')") == "50.00%"
    assert Notification.objects.get(recipient=owner, comment=comment).read_at is not None
    expect(owner_page.locator("#notification-bell .bell-count")).to_have_count(0)

    # Clicking the comment's timecode seeks there too, after the player moved elsewhere.
    owner_page.evaluate("document.querySelector('.media-frame video').currentTime = 1")
    owner_page.locator(f"#comment-{comment.pk} .timecode").click()
    owner_page.wait_for_function(
        "document.querySelector('.media-frame video').currentTime === 5", timeout=10_000
    )

    # The owner resolves the thread.
    with owner_page.expect_navigation():
        owner_page.locator(f"#comment-{comment.pk}").get_by_role("button", name="Resolve").click()
    expect(owner_page.locator(f"#comment-{comment.pk}")).to_contain_text("Resolved by Olivia Owner")
    owner_page.screenshot(path=str(SCREENSHOT), full_page=True)
    comment.refresh_from_db()
    assert comment.resolved_by == owner and comment.resolved_at is not None
    mention_mail = [m for m in mail.outbox if owner.email in m.to]
    assert len(mention_mail) == 1 and "Edith Editor mentioned you" in mention_mail[0].subject
    for name in (
        "team.member_invited",
        "team.member_joined",
        "comment.created",
        "comment.resolved",
    ):
        assert Event.objects.filter(name=name, workspace=workspace).count() == 1, name
    owner_page.context.close()
    editor_page.context.close()
