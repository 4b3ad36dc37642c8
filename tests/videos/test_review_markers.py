"""The review timeline's markers: every thread as compact JSON, asked for by review.js."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from teams.services import review as team_services
from tests.conftest import client_in

from .conftest import add_comment

pytestmark = pytest.mark.usefixtures("english")


def markers_url(video, number: int = 1) -> str:
    return reverse("videos:comment_markers", args=[video.pk, number])


@pytest.fixture
def threads(version, owner, editor, viewer):
    first = add_comment(version, editor, "The logo is small", time_ms=5000, end_ms=7500)
    add_comment(version, owner, "Bigger in v2", parent=first)
    done = add_comment(version, viewer, "Typo in the title", time_ms=8000)
    team_services.comment_resolve(comment=done, actor=editor)
    early = add_comment(version, owner, "Fade in sooner", time_ms=1000)
    return first, done, early


@pytest.mark.django_db
def test_every_member_gets_every_thread_in_reading_order(video, workspace, viewer, threads):
    first, done, early = threads
    response = client_in(viewer, workspace).get(markers_url(video))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert response.content.decode() == json.dumps(
        [[early.pk, 1000, None, False], [first.pk, 5000, 7500, False], [done.pk, 8000, None, True]],
        separators=(",", ":"),
    )


@pytest.mark.django_db
def test_hiding_resolved_threads_hides_their_markers(video, workspace, viewer, threads):
    first, _done, early = threads
    response = client_in(viewer, workspace).get(markers_url(video), {"resolved": "hide"})
    assert json.loads(response.content) == [
        [early.pk, 1000, None, False],
        [first.pk, 5000, 7500, False],
    ]


@pytest.mark.django_db
def test_a_version_without_comments_has_no_markers(video, workspace, viewer):
    assert client_in(viewer, workspace).get(markers_url(video)).content == b"[]"


@pytest.mark.django_db
def test_outsiders_and_missing_versions_get_404(video, workspace, outsider, viewer, threads):
    outsiders = client_in(outsider, outsider.memberships.first().team)
    assert outsiders.get(markers_url(video)).status_code == 404
    member = client_in(viewer, workspace)
    assert member.get(markers_url(video, number=2)).status_code == 404
    assert member.get(reverse("videos:comment_markers", args=[10**9, 1])).status_code == 404
    # Numbers too big for a database integer, and a NUL in the filter: 404 and 200, no 500.
    assert member.get(reverse("videos:comment_markers", args=[10**30, 1])).status_code == 404
    assert member.get(markers_url(video, number=10**30)).status_code == 404
    assert member.get(markers_url(video), {"resolved": "hi\x00de"}).status_code in (200, 400)


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in_and_posts_are_refused(
    client, video, workspace, viewer
):
    response = client.get(markers_url(video))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert client_in(viewer, workspace).post(markers_url(video)).status_code == 405


@pytest.mark.django_db
def test_the_review_page_points_review_js_at_its_markers(video, workspace, viewer, threads):
    member = client_in(viewer, workspace)
    html = member.get(reverse("videos:version", args=[video.pk, 1])).content.decode()
    assert f'data-markers-url="{markers_url(video)}"' in html
    assert 'id="comment-markers"' not in html  # not written into the page any more
    hidden = member.get(reverse("videos:version", args=[video.pk, 1]), {"resolved": "hide"})
    assert f'data-markers-url="{markers_url(video)}?resolved=hide"' in hidden.content.decode()


@pytest.mark.django_db
def test_names_and_texts_in_the_threads_are_escaped(version, video, workspace, owner, editor):
    editor.name = '<img src=x onerror="alert(1)">Eve'
    editor.save()
    root = add_comment(version, editor, "<script>alert('x')</script>\nsecond line", time_ms=2000)
    add_comment(version, owner, "a & b < c", parent=root)
    team_services.comment_resolve(comment=root, actor=editor)
    html = client_in(owner, workspace).get(reverse("videos:version", args=[video.pk, 1]))
    html = html.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>second line" in html
    assert "a &amp; b &lt; c" in html
    assert "Resolved by &lt;img src=x onerror=&quot;alert(1)&quot;&gt;Eve" in html
    assert f'<li id="comment-{root.pk}" class="comment is-resolved" data-time-ms="2000">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("total", [50, 500])
def test_the_markers_cost_the_same_queries_for_50_and_500_comments(
    version, video, workspace, owner, editor, total, django_assert_max_num_queries
):
    from .review_kit import bulk_threads

    made = bulk_threads(version, [owner, editor], total)
    member = client_in(editor, workspace)
    # Session, user with profile; the video with the reader's role; the version; the markers.
    with django_assert_max_num_queries(5):
        response = member.get(markers_url(video))
    assert len(json.loads(response.content)) == made["threads"]
