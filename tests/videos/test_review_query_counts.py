"""The version page, its "Load more comments" and the comments API cost the same queries with
50 comments as with 500."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from teams.models import Comment, CommentMention
from teams.selectors import THREADS_PER_CHUNK
from tests.conftest import client_in

from .conftest import api_for, version_url
from .review_kit import bulk_threads, markers_on, reading_order, threads_in

pytestmark = pytest.mark.usefixtures("english")


# -- a fixed number of queries, however many comments ------------------------------------------


# Measured with 50 comments: session; user with profile; the version with its video and the
# reader's role; the ids of the chunk's threads (one more tells whether more follow); the open
# and resolved counts; those threads with their replies (authors, resolvers joined); the people
# they mention (four columns, no user models); the header's memberships with the bell's count.
# (The timeline's markers and the members for @-autocomplete are asked for separately, by
# review.js.) Counting apart from the ids is one query more but less work than the two
# counting subqueries Django builds, relabels and compiles for every page.
QUERIES_FOR_VERSION_PAGE = 6
# "Load more comments" through htmx: session, user; the video and the role; the version; the
# chunk's ids; its threads and replies; their mentions; the header's memberships (context).
QUERIES_FOR_MORE_THREADS = 7
# The video and the reader's role; the page's count of threads; its threads; their replies;
# the people they mention.
QUERIES_FOR_COMMENTS_API = 4


@pytest.mark.django_db
@pytest.mark.parametrize("total", [50, 500])
def test_the_version_page_costs_the_same_queries_for_50_and_500_comments(
    version,
    video,
    workspace,
    owner,
    admin_user,
    editor,
    viewer,
    total,
    django_assert_max_num_queries,
):
    made = bulk_threads(version, [owner, admin_user, editor, viewer], total)
    assert Comment.objects.filter(version=version).count() == total == made["comments"]
    client = client_in(editor, workspace)
    with django_assert_max_num_queries(QUERIES_FOR_VERSION_PAGE):
        response = client.get(version_url(video))
    assert response.status_code == 200
    html = response.content.decode()
    order = reading_order(version)
    first = set(threads_in(order)[:THREADS_PER_CHUNK])
    shown = [row for row in order if row.thread in first]
    assert [int(pk) for pk in re.findall(r'<li id="comment-(\d+)" class="comment', html)] == [
        row.id for row in shown
    ]
    assert [marker[0] for marker in markers_on(client, html)] == threads_in(order)
    mentions = CommentMention.objects.filter(comment__in=[row.id for row in shown]).count()
    assert html.count('<span class="mention">') == mentions
    assert html.count('is-reply depth-4"') == sum(1 for row in shown if row.depth == 4)
    with django_assert_max_num_queries(QUERIES_FOR_VERSION_PAGE):
        hidden = client.get(version_url(video), {"resolved": "hide"})
    resolved_threads = len(range(0, made["threads"], 4))
    assert len(markers_on(client, hidden.content.decode())) == made["threads"] - resolved_threads


@pytest.mark.django_db
@pytest.mark.parametrize("total", [50, 500])
def test_a_page_showing_a_later_thread_costs_one_query_more_at_most(
    version, video, workspace, owner, editor, total, django_assert_max_num_queries
):
    bulk_threads(version, [owner, editor], total)
    last_reply = reading_order(version)[-1]
    client = client_in(editor, workspace)
    with django_assert_max_num_queries(QUERIES_FOR_VERSION_PAGE + 1):  # + which thread it is in
        response = client.get(version_url(video), {"thread": last_reply.id})
    assert f'id="comment-{last_reply.id}"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("total", [50, 500])
def test_load_more_costs_the_same_queries_for_50_and_500_comments(
    version, video, workspace, owner, editor, total, django_assert_max_num_queries
):
    bulk_threads(version, [owner, editor], total)
    threads = threads_in(reading_order(version))
    client = client_in(editor, workspace)
    with django_assert_max_num_queries(QUERIES_FOR_MORE_THREADS):
        response = client.get(
            version_url(video), {"threads_after": threads[-2]}, HTTP_HX_REQUEST="true"
        )
    assert f'id="comment-{threads[-1]}"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("total", [50, 500])
def test_api_comment_list_query_count_is_fixed(
    version, video, owner, editor, viewer, total, django_assert_max_num_queries
):
    made = bulk_threads(version, [owner, editor, viewer], total)
    api = api_for(viewer)
    url = reverse("api:video-comments", args=[video.pk])
    with django_assert_max_num_queries(QUERIES_FOR_COMMENTS_API):
        response = api.get(url)
    assert response.json()["count"] == made["threads"]
    with django_assert_max_num_queries(QUERIES_FOR_COMMENTS_API):
        last = api.get(url, {"page": "last", "page_size": 7})
    assert last.json()["results"][-1]["id"] == reading_order(version)[-1].id
