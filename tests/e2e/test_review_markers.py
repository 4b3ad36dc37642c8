"""In a real browser: review.js draws the timeline's markers from the compact list it asks
videos:comment_markers for, each
labelled with its thread's timecode exactly as the server writes timecodes, placed by its time
and linked to its thread; and a comment's Delete button, which posts through the page's one
shared form, still asks first."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from teams.models import Comment
from teams.timecodes import format_timecode
from tests.e2e.conftest import choose_workspace, sign_in

pytestmark = pytest.mark.e2e

# (time_ms, end_ms): whole seconds, tenths, a range, the last moment, and past the end of the
# ten-second video (minutes and hours: only the label's format is at stake there).
THREADS = [
    (0, None),
    (900, None),
    (5_000, 7_500),
    (9_999, None),
    (62_500, None),
    (3_725_100, None),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_markers_come_from_the_json_labelled_placed_and_linked(
    live_server, page, workspace, owner, ten_second_version
):
    base = live_server.url
    now = timezone.now()
    comments = Comment.objects.bulk_create(
        Comment(
            workspace=workspace,
            version=ten_second_version,
            author=owner,
            text=f"Thread {n}",
            time_ms=time_ms,
            end_ms=end_ms,
            created_at=now,
            resolved_at=now if n == 1 else None,
        )
        for n, (time_ms, end_ms) in enumerate(THREADS)
    )
    path = reverse("videos:version", args=[ten_second_version.video_id, 1])
    sign_in(page, base, owner.email)
    choose_workspace(page, workspace.pk)
    page.goto(base + path)

    markers = page.locator(".comment-timeline .comment-marker")
    expect(markers).to_have_count(len(THREADS))
    drawn = markers.evaluate_all(
        """links => links.map(link => ({
            href: link.getAttribute("href"),
            title: link.title,
            className: link.className,
            time: link.getAttribute("data-time-ms"),
            start: link.style.getPropertyValue("--start"),
            length: link.style.getPropertyValue("--length"),
        }))"""
    )
    assert [marker["title"] for marker in drawn] == [
        f"Comment at {format_timecode(time_ms)}" for time_ms, _ in THREADS
    ]
    assert [marker["href"] for marker in drawn] == [f"#comment-{c.pk}" for c in comments]
    assert [marker["time"] for marker in drawn] == [str(time_ms) for time_ms, _ in THREADS]
    assert [marker["start"] for marker in drawn] == [
        "0.00%",
        "9.00%",
        "50.00%",
        "99.99%",
        "100.00%",
        "100.00%",
    ]
    assert drawn[2]["length"] == "25.00%" and drawn[0]["length"] == "0.00%"
    assert drawn[2]["className"] == "comment-marker is-range"
    assert drawn[1]["className"] == "comment-marker is-resolved"

    # Markers are links in the tab order, named by their label; one leads to its thread.
    third = page.get_by_role("link", name="Comment at 0:05", exact=True)
    third.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#comment-{comments[2].pk}")).to_have_class("comment is-highlighted")
    page.wait_for_function(
        "document.querySelector('.media-frame video').currentTime === 5", timeout=10_000
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_delete_asks_first_through_the_shared_form(
    live_server, page, workspace, owner, ten_second_version
):
    comment = Comment.objects.create(
        workspace=workspace, version=ten_second_version, author=owner, text="Typo", time_ms=0
    )
    sign_in(page, live_server.url, owner.email)
    choose_workspace(page, workspace.pk)
    page.goto(live_server.url + reverse("videos:version", args=[ten_second_version.video_id, 1]))
    delete = page.locator(f"#comment-{comment.pk}").get_by_role("button", name="Delete")

    questions: list[str] = []

    def dismiss(dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    delete.click()
    expect(page.locator(f"#comment-{comment.pk}")).to_be_visible()
    assert questions == ["Delete this comment?"]
    assert Comment.objects.filter(pk=comment.pk).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        delete.click()
    expect(page.locator(".message")).to_contain_text("Comment deleted.")
    assert not Comment.objects.filter(pk=comment.pk).exists()
