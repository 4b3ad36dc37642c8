"""The version page and the comments API cost the same queries with 50 comments as with 500."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from teams.models import Comment, CommentMention
from tests.conftest import client_in

from .conftest import api_for, version_url

pytestmark = pytest.mark.usefixtures("english")


# -- a fixed number of queries, however many comments ------------------------------------------


# Measured with 50 comments: session, user, profile; the video and the reader's role; the
# version; the comments (authors, resolvers joined); their mentions (users joined); the members
# (for @-autocomplete); the header's memberships; the bell's unread count.
QUERIES_FOR_VERSION_PAGE = 11


# Thread shapes: for each reply, the index of its parent within the thread (0 is the root).
SHAPES = [
    [0, 1, 2, 3],  # a chain four deep
    [0, 0, 0, 0],  # four direct replies
    [0, 1, 0, 3],  # two short branches
]


def _bulk_threads(version, people: list, total: int) -> dict:
    """`total` comments on `version`: threads of five (a root and four replies in one of the
    shapes), every third comment mentioning someone, every fourth thread resolved, a few
    deleted placeholders. Made with bulk_create: the service would take minutes for 500."""
    workspace = version.video.workspace
    start = timezone.now() - timedelta(days=1)
    ticks = itertools.count()
    length_ms = round(version.duration * 1000)
    nodes: list[dict] = []
    for t in range(total // 5):
        shape = SHAPES[t % len(SHAPES)]
        root = {"thread": t, "parent": None, "depth": 0}
        thread_nodes = [root]
        for parent_index in shape:
            parent = thread_nodes[parent_index]
            thread_nodes.append({"thread": t, "parent": parent, "depth": parent["depth"] + 1})
        nodes.extend(thread_nodes)
    mentioned = 0
    for depth in range(5):  # parents exist before their replies: one bulk insert per depth
        level = [node for node in nodes if node["depth"] == depth]
        rows = []
        for node in level:
            n = next(ticks)
            author = people[n % len(people)]
            target = people[(n + 1) % len(people)]
            text = f"Comment {n}"
            if n % 3 == 0:
                text = f"@{target.display_name} please check comment {n}"
            root = node if node["parent"] is None else _root_of(node)
            resolved = node["parent"] is None and node["thread"] % 4 == 0
            deleted = depth == 1 and node["thread"] % 10 == 5
            time_ms = (node["thread"] * 997) % length_ms
            rows.append(
                Comment(
                    workspace=workspace,
                    version=version,
                    parent=node["parent"]["row"] if node["parent"] else None,
                    thread=root["row"] if node["parent"] else None,
                    author=author,
                    text="" if deleted else text,
                    time_ms=time_ms,
                    end_ms=time_ms + 500 if node["parent"] is None and node["thread"] % 2 else None,
                    created_at=start + timedelta(seconds=n),
                    resolved_at=start if resolved else None,
                    resolved_by=people[0] if resolved else None,
                    deleted_at=start if deleted else None,
                )
            )
            node["mention"] = target if n % 3 == 0 and not deleted else None
        created = Comment.objects.bulk_create(rows)
        for node, row in zip(level, created, strict=True):
            node["row"] = row
        mentions = [
            CommentMention(comment=node["row"], user=node["mention"])
            for node in level
            if node["mention"] is not None
        ]
        CommentMention.objects.bulk_create(mentions)
        mentioned += len(mentions)
    assert all(node["row"].pk for node in nodes)
    return {"comments": len(nodes), "threads": total // 5, "mentions": mentioned}


def _root_of(node: dict) -> dict:
    while node["parent"] is not None:
        node = node["parent"]
    return node


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
    made = _bulk_threads(version, [owner, admin_user, editor, viewer], total)
    assert Comment.objects.filter(version=version).count() == total == made["comments"]
    client = client_in(editor, workspace)
    with django_assert_max_num_queries(QUERIES_FOR_VERSION_PAGE):
        response = client.get(version_url(video))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r'<li id="comment-\d+" class="comment', html)) == total
    assert html.count('class="comment-marker') == made["threads"]
    assert html.count('<span class="mention">') == made["mentions"]
    assert html.count('is-reply depth-4"') == len(
        [t for t in range(made["threads"]) if SHAPES[t % len(SHAPES)] == [0, 1, 2, 3]]
    )
    with django_assert_max_num_queries(QUERIES_FOR_VERSION_PAGE):
        hidden = client.get(version_url(video), {"resolved": "hide"})
    resolved_threads = len(range(0, made["threads"], 4))
    assert hidden.content.decode().count('class="comment-marker') == (
        made["threads"] - resolved_threads
    )


@pytest.mark.django_db
@pytest.mark.parametrize("total", [5, 50])
def test_api_comment_list_query_count_is_fixed(
    version, video, owner, editor, viewer, total, django_assert_max_num_queries
):
    _bulk_threads(version, [owner, editor, viewer], total)
    api = api_for(viewer)
    # the video, the reader's role, the comments, their mentions, and the page's count (none:
    # the list is already in memory).
    with django_assert_max_num_queries(4):
        response = api.get(reverse("api:video-comments", args=[video.pk]))
    assert response.json()["count"] == total
