"""In a real browser, on a version with 60 threads: the page shows the first few (a chunk),
"Load more comments" appends the next ones through htmx without leaving the page, every thread
has a marker placed on the timeline (drawn by review.js from the page's list), a marker of a
thread not loaded yet opens the page that shows it (keeping the filter) and links here once
"Load more" brought it, and an old link to a comment far down finds its thread."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from teams.selectors import THREADS_PER_CHUNK
from tests.e2e.conftest import choose_workspace, sign_in
from tests.videos.review_kit import bulk_threads, reading_order, threads_in

pytestmark = pytest.mark.e2e


def hrefs(markers) -> list[str]:
    return markers.evaluate_all("links => links.map(link => link.getAttribute('href'))")


def marker_links(threads: list[int], *, loaded: int) -> list[str]:
    """Where the markers should lead when the first `loaded` threads are on the page."""
    return [
        f"#comment-{pk}" if n < loaded else f"?thread={pk}#comment-{pk}"
        for n, pk in enumerate(threads)
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_load_more_markers_and_links_to_later_threads(
    live_server, page, workspace, owner, ten_second_version
):
    base = live_server.url
    bulk_threads(ten_second_version, [owner], 300)
    order = reading_order(ten_second_version)
    threads = threads_in(order)
    path = reverse("videos:version", args=[ten_second_version.video_id, 1])
    sign_in(page, base, owner.email)
    choose_workspace(page, workspace.pk)

    page.goto(base + path)
    comments = page.locator("#comment-list > li.comment")
    chunk = THREADS_PER_CHUNK
    expect(comments).to_have_count(chunk * 5)  # threads of five
    # review.js draws a marker per thread from the page's list: those on the page link to
    # their threads, the others to the page that shows them.
    markers = page.locator(".comment-marker")
    expect(markers).to_have_count(60)
    first_marker = page.locator(f".comment-marker[href='#comment-{threads[0]}']")
    assert first_marker.evaluate("m => m.style.getPropertyValue('--start')").endswith("%")
    assert hrefs(markers) == marker_links(threads, loaded=chunk)

    # htmx appends the next threads in place of the link, and a new link after them; their
    # markers now link to them here.
    page.get_by_role("link", name="Load more comments").click()
    expect(comments).to_have_count(2 * chunk * 5)
    assert page.url == base + path
    expect(page.locator(f"#comment-{threads[2 * chunk - 1]}")).to_be_visible()
    expect(
        page.locator(f".comment-marker[href='#comment-{threads[2 * chunk - 1]}']")
    ).to_have_count(1)
    assert hrefs(markers) == marker_links(threads, loaded=2 * chunk)
    for loaded in range(3 * chunk, len(threads) + chunk, chunk):
        page.get_by_role("link", name="Load more comments").click()
        expect(comments).to_have_count(min(loaded, len(threads)) * 5)
    expect(page.get_by_role("link", name="Load more comments")).to_have_count(0)
    assert hrefs(markers) == marker_links(threads, loaded=len(threads))
    assert [
        int(pk.removeprefix("comment-")) for pk in comments.evaluate_all("l => l.map(e => e.id)")
    ] == [row.id for row in order]

    # A marker of a thread that is loaded now stays on the page and highlights it.
    later = threads[-1]  # markers overlap (60 threads in ten seconds): the last one is on top
    page.locator(f".comment-marker[href$='#comment-{later}']").click()
    expect(page.locator(f"#comment-{later}")).to_have_class(re.compile("is-highlighted"))
    assert page.url == f"{base}{path}#comment-{later}"

    # On a fresh page it is not loaded: its marker opens the page that shows it.
    page.goto(base + path)
    with page.expect_navigation():
        page.locator(f".comment-marker[href$='#comment-{later}']").click()
    assert page.url.endswith(f"{path}?thread={later}#comment-{later}"), page.url
    expect(page.locator(f"#comment-{later}")).to_have_class(re.compile("is-highlighted"))
    expect(page.get_by_role("link", name="Back to the first threads")).to_be_visible()

    # With resolved threads hidden, a marker leads to a page that keeps them hidden.
    page.goto(base + path + "?resolved=hide")
    open_threads = threads_in(reading_order(ten_second_version, hide_resolved=True))
    expect(markers).to_have_count(len(open_threads))
    later_open = open_threads[-1]
    with page.expect_navigation():
        page.locator(f".comment-marker[href$='#comment-{later_open}']").click()
    assert page.url.endswith(f"{path}?thread={later_open}&resolved=hide#comment-{later_open}")
    expect(page.locator(f"#comment-{later_open}")).to_have_class(re.compile("is-highlighted"))

    # A link saved before threads came in chunks (#comment- only) finds its thread.
    deep_reply = order[-1]
    page.goto(f"{base}{path}#comment-{deep_reply.id}")
    page.wait_for_url(re.compile(rf"\?thread={deep_reply.id}#comment-{deep_reply.id}$"))
    expect(page.locator(f"#comment-{deep_reply.id}")).to_have_class(re.compile("is-highlighted"))
