"""Many comments on one version: the review page shows a chunk of threads and loads more (a
plain link, or htmx appending the next chunk), every thread keeps its timeline marker, a
comment just written is on the page it redirects to, and the comments API pages over threads
doing work in proportion to the page, not to the version."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.timezone import template_localtime

from teams.models import Comment
from teams.selectors import THREADS_PER_CHUNK
from teams.templatetags.review import comment_marker_label, local_iso
from tests.conftest import client_in

from .conftest import api_for, version_url
from .review_kit import (
    MARKERS_URL,
    CommentActions,
    bulk_threads,
    markers_on,
    reading_order,
    threads_in,
)

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.django_db]

COMMENT = re.compile(r'<li id="comment-(\d+)" class="comment')
TIMELINE = re.compile(r'<div class="comment-timeline"[^>]*>')
MORE = re.compile(r'<li class="comment-more">\s*<a class="btn" href="([^"]*)" hx-get="([^"]*)"')
BACK = "Back to the first threads"


def shown(html: str) -> list[int]:
    return [int(pk) for pk in COMMENT.findall(html)]


def more_link(html: str) -> tuple[str, str] | None:
    """(href, hx-get) of the "Load more comments" link, unescaped; None without one."""
    found = MORE.search(html)
    return (html_lib.unescape(found[1]), html_lib.unescape(found[2])) if found else None


def comments_of(order, threads) -> list[int]:
    wanted = set(threads)
    return [row.id for row in order if row.thread in wanted]


@pytest.fixture
def many(version, owner, editor):
    """300 comments on the version: 60 threads of five, every fourth thread resolved."""
    bulk_threads(version, [owner, editor], 300)
    return reading_order(version)


@pytest.fixture
def browser(workspace, editor):
    return client_in(editor, workspace)


@pytest.fixture
def loaded_comments(monkeypatch) -> list[int]:
    """The ids of the Comment objects made from database rows while the test runs."""
    loaded: list[int] = []
    original = Comment.from_db.__func__

    def from_db(cls, db, field_names, values):
        instance = original(cls, db, field_names, values)
        loaded.append(instance.pk)
        return instance

    monkeypatch.setattr(Comment, "from_db", classmethod(from_db))
    return loaded


# -- the page ------------------------------------------------------------------------------------


def test_the_page_shows_the_first_threads_with_all_their_replies(video, many, browser):
    threads = threads_in(many)
    html = browser.get(version_url(video)).content.decode()
    assert shown(html) == comments_of(many, threads[:THREADS_PER_CHUNK])
    href, hx_get = more_link(html)
    assert href == f"?threads_after={threads[THREADS_PER_CHUNK - 1]}#comment-list"
    assert hx_get == f"?threads_after={threads[THREADS_PER_CHUNK - 1]}"
    assert BACK not in html


def test_only_the_first_chunk_of_comments_is_loaded(video, many, browser, loaded_comments):
    assert browser.get(version_url(video)).status_code == 200
    threads = threads_in(many)
    # the markers and the counts come without Comment objects, and tell that more follow
    assert sorted(loaded_comments) == sorted(comments_of(many, threads[:THREADS_PER_CHUNK]))


def test_the_page_grows_by_a_marker_per_thread_not_by_its_comments(
    version, video, owner, editor, browser
):
    bulk_threads(version, [owner, editor], 150)
    smaller = browser.get(version_url(video)).content.decode()
    bulk_threads(version, [owner, editor], 750)  # 150 threads more
    larger = browser.get(version_url(video)).content.decode()
    # the markers are not in the page (review.js asks for them); the first chunk holds
    # other threads now (longer ids, other
    # mentions: a few kB), but a thread of five comments on the page is about 4 kB
    assert len(larger) - len(smaller) < 150 * 60


def test_every_thread_has_a_marker_in_reading_order(video, many, browser):
    threads = threads_in(many)
    html = browser.get(version_url(video)).content.decode()
    markers = markers_on(browser, html)
    assert [marker[0] for marker in markers] == threads
    times = dict(Comment.objects.filter(pk__in=threads).values_list("pk", "time_ms").order_by())
    assert [marker[1] for marker in markers] == [times[pk] for pk in threads]
    # whichever chunk the page shows, the markers are all the threads: review.js links those
    # on the page to them, and the others to ?thread=
    later = threads[45]
    page = browser.get(version_url(video) + f"?thread={later}").content.decode()
    assert shown(page) == comments_of(many, threads[45 : 45 + THREADS_PER_CHUNK])
    assert markers_on(browser, page) == markers
    assert BACK in page


def test_the_timeline_carries_the_marker_label_and_the_filter(video, many, browser):
    timeline = TIMELINE.search(browser.get(version_url(video)).content.decode())[0]
    assert 'data-marker-label="Comment at %(at)s"' in timeline
    assert "data-hide-resolved" not in timeline
    hidden = browser.get(version_url(video), {"resolved": "hide"}).content.decode()
    assert "data-hide-resolved" in TIMELINE.search(hidden)[0]


def test_markers_are_compact_json_and_labelled_in_the_readers_language(video, many, browser):
    html = browser.get(version_url(video)).content.decode()
    url = html_lib.unescape(MARKERS_URL.findall(html)[0])
    body = browser.get(url).content.decode()
    assert " " not in body and body.startswith("[[") and body.endswith("]]")
    with translation.override("de"):
        assert comment_marker_label() == "Kommentar bei %(at)s"


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/Sao_Paulo"])
def test_a_comments_time_is_written_as_the_date_filter_would_write_it(zone):
    moment = dt.datetime(2026, 3, 29, 1, 30, 15, 250_000, tzinfo=dt.UTC)
    with timezone.override(zone):
        assert local_iso(moment) == date_filter(template_localtime(moment), "c")
    assert local_iso(None) == ""


def test_asking_for_a_thread_among_the_first_shows_the_first_chunk(video, many, browser):
    threads = threads_in(many)
    reply = next(row.id for row in many if row.thread == threads[3] and row.depth == 1)
    html = browser.get(version_url(video), {"thread": reply}).content.decode()
    assert shown(html) == comments_of(many, threads[:THREADS_PER_CHUNK])
    assert BACK not in html


def test_load_more_without_javascript_walks_through_every_thread(video, many, browser):
    seen: list[int] = []
    url = version_url(video)
    for _ in range(10):
        html = browser.get(url).content.decode()
        seen += shown(html)
        link = more_link(html)
        if link is None:
            break
        url = version_url(video) + link[0]
        assert BACK in browser.get(url).content.decode()
    assert seen == [row.id for row in many]


def test_load_more_with_htmx_returns_just_the_next_threads_and_link(video, many, browser):
    threads = threads_in(many)
    seen = shown(browser.get(version_url(video)).content.decode())
    after = threads[THREADS_PER_CHUNK - 1]
    for _ in range(10):
        response = browser.get(version_url(video), {"threads_after": after}, HTTP_HX_REQUEST="true")
        assert "HX-Request" in response["Vary"]
        html = response.content.decode()
        assert "<html" not in html and "comment-marker" not in html
        assert html.strip().startswith("<li")
        # its buttons post through the page's one form: no form or token of its own
        assert "<form" not in html and "csrfmiddlewaretoken" not in html
        assert CommentActions(html).buttons
        seen += shown(html)
        link = more_link(html)
        if link is None:
            break
        after = int(link[1].removeprefix("?threads_after="))
    assert seen == [row.id for row in many]


def test_hide_resolved_holds_through_every_chunk(video, many, version, browser):
    expected = reading_order(version, hide_resolved=True)
    html = browser.get(version_url(video), {"resolved": "hide"}).content.decode()
    assert "45 open threads" in html and "15 resolved" in html
    markers = markers_on(browser, html)
    assert len(markers) == 45 and not any(resolved for *_, resolved in markers)
    seen = shown(html)
    while link := more_link(html):
        assert link[1].endswith("&resolved=hide")
        html = browser.get(version_url(video) + link[1], HTTP_HX_REQUEST="true").content.decode()
        seen += shown(html)
    assert seen == [row.id for row in expected]


def test_the_counts_count_every_thread_not_the_chunk(video, many, browser):
    html = browser.get(version_url(video)).content.decode()
    assert "45 open threads" in html and "15 resolved" in html


def test_a_comment_on_a_later_thread_is_on_the_page_it_redirects_to(video, many, browser):
    threads = threads_in(many)
    later = threads[-1]
    response = browser.post(
        reverse("videos:comment_post", args=[video.pk, 1]),
        {"text": "Agreed", "at": "", "until": "", "parent": str(later)},
    )
    reply = Comment.objects.get(parent_id=later, text="Agreed")
    assert response.status_code == 302 and response.url.endswith(f"#comment-{reply.pk}")
    assert reply.pk in shown(browser.get(response.url).content.decode())


def test_a_new_thread_late_in_the_video_is_on_the_page_it_redirects_to(
    version, video, many, browser
):
    response = browser.post(
        reverse("videos:comment_post", args=[video.pk, 1]),
        {"text": "The end card", "at": "0:09.99", "until": "", "parent": ""},
    )
    comment = Comment.objects.get(text="The end card")
    assert threads_in(reading_order(version)).index(comment.pk) >= THREADS_PER_CHUNK
    assert comment.pk in shown(browser.get(response.url).content.decode())


def test_reply_and_edit_links_of_a_later_thread_open_their_forms(
    version, video, many, editor, browser
):
    root = threads_in(many)[-1]
    mine = Comment.objects.filter(thread_id=root, author=editor).first() or Comment.objects.get(
        pk=root
    )
    page = browser.get(version_url(video), {"thread": root}).content.decode()
    reply_href = html_lib.unescape(re.search(rf'href="(\?[^"]*reply={root}[^"]*)"', page)[1])
    edit_href = html_lib.unescape(re.search(rf'href="(\?[^"]*edit={mine.pk}[^"]*)"', page)[1])
    assert f'id="reply-{root}"' in browser.get(version_url(video) + reply_href).content.decode()
    assert f'id="edit-{mine.pk}"' in browser.get(version_url(video) + edit_href).content.decode()


def test_a_refused_reply_on_a_later_thread_comes_back_under_its_comment(video, many, browser):
    later = threads_in(many)[-1]
    response = browser.post(
        reverse("videos:comment_post", args=[video.pk, 1]),
        {"text": "y" * 5001, "at": "", "until": "", "parent": str(later)},
    )
    assert response.status_code == 400
    assert f'id="reply-{later}"' in response.content.decode()


def test_a_notification_link_opens_a_page_with_its_comment(video, many, browser):
    reply = many[-1]
    url = Comment.objects.select_related("version").get(pk=reply.id).get_absolute_url()
    assert reply.id in shown(browser.get(url).content.decode())


@pytest.mark.parametrize(
    "query",
    [
        {"threads_after": "abc"},
        {"threads_after": "9" * 30},
        {"thread": "²"},
        {"thread": "9" * 30},
        {"reply": "١٢"},
        {"edit": "²"},
        {"threads_after": "999999"},
    ],
)
def test_odd_paging_parameters_are_no_error(video, many, browser, query):
    assert browser.get(version_url(video), query).status_code == 200
    assert browser.get(version_url(video), query, HTTP_HX_REQUEST="true").status_code == 200


# -- the API -------------------------------------------------------------------------------------


def _walk(api, url: str, **params) -> tuple[list[dict], list[int]]:
    """Every page from the first by its `next` links: (all results, each page's count)."""
    rows: list[dict] = []
    counts: list[int] = []
    response = api.get(url, params)
    while True:
        data = response.json()
        rows += data["results"]
        counts.append(data["count"])
        if not data["next"]:
            return rows, counts
        response = api.get(data["next"])


def test_api_pages_concatenate_to_the_reading_order(version, video, many, viewer):
    url = reverse("api:video-comments", args=[video.pk])
    rows, counts = _walk(api_for(viewer), url, page_size=7)
    assert [(row["id"], row["depth"]) for row in rows] == [(r.id, r.depth) for r in many]
    assert set(counts) == {60}  # threads
    hidden, counts = _walk(api_for(viewer), url, page_size=7, resolved="hide")
    assert [row["id"] for row in hidden] == [
        r.id for r in reading_order(version, hide_resolved=True)
    ]
    assert set(counts) == {45} and not any(row["resolved"] for row in hidden)


def test_an_api_page_holds_whole_threads(video, many, viewer):
    url = reverse("api:video-comments", args=[video.pk])
    data = api_for(viewer).get(url, {"page": 2, "page_size": 4}).json()
    threads = threads_in(many)[4:8]
    assert [row["id"] for row in data["results"]] == comments_of(many, threads)
    assert data["results"][0]["depth"] == 0 and len(data["results"]) == 4 * 5


def test_an_api_page_loads_only_its_own_comments(video, many, viewer, loaded_comments):
    url = reverse("api:video-comments", args=[video.pk])
    response = api_for(viewer).get(url, {"page": 3, "page_size": 5})
    assert response.status_code == 200
    assert sorted(loaded_comments) == sorted(comments_of(many, threads_in(many)[10:15]))
