"""Reviewing a version: comments on the page and through the API, the decision, and a page that
costs the same number of queries with 50 comments as with 500."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains

from analytics.models import Event
from teams.models import Comment, CommentMention, Notification, NotificationKind
from teams.notification_messages import notification_message
from teams.services import review as team_services
from tests.conftest import client_in
from videos.models import ReviewState

from .conftest import api_for


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English whatever an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def video(version):
    return version.video


def _page(video, number: int = 1) -> str:
    return reverse("videos:version", args=[video.pk, number])


def _comment(version, author, text, **kwargs) -> Comment:
    return team_services.comment_create(version=version, author=author, text=text, **kwargs)


def _error(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["error"]


# -- the page ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_version_page_shows_threads_markers_and_mentions(
    version, video, workspace, owner, editor, viewer
):
    root = _comment(version, editor, "@Olivia Owner the logo is small", time_ms=5000, end_ms=7500)
    reply = _comment(version, owner, "Bigger in v2", parent=root)
    done = _comment(version, viewer, "Typo in the title", time_ms=8000)
    team_services.comment_resolve(comment=done, actor=editor)

    page = client_in(viewer, workspace).get(_page(video))
    assert page.status_code == 200
    html = page.content.decode()
    # the timeline: one marker per thread, placed by its time
    markers = re.findall(
        r'<a class="comment-marker([^"]*)"\s+href="#comment-(\d+)" data-time-ms="(\d+)"', html
    )
    assert markers == [
        (" is-range", str(root.pk), "5000"),
        (" is-resolved", str(done.pk), "8000"),
    ]
    # the threads, in reading order, replies under their thread
    order = [int(pk) for pk in re.findall(r'<li id="comment-(\d+)"', html)]
    assert order == [root.pk, reply.pk, done.pk]
    assertContains(
        page, f'href="#comment-{root.pk}" data-seek-ms="5000">0:05–0:07.5</a>', html=False
    )
    assertContains(page, '<span class="mention">@Olivia Owner</span> the logo is small')
    assert re.search(
        rf'<li id="comment-{reply.pk}" class="comment is-reply" style="--depth: 1"', html
    )
    assert re.search(rf'<li id="comment-{done.pk}" class="comment is-resolved"', html)
    assertContains(page, "Resolved by Edith Editor")
    assertContains(page, "1 open thread")
    assertContains(page, "1 resolved")

    hidden = client_in(viewer, workspace).get(_page(video), {"resolved": "hide"})
    assertContains(hidden, f'id="comment-{root.pk}"')
    assertContains(hidden, f'id="comment-{reply.pk}"')
    assertNotContains(hidden, f'id="comment-{done.pk}"')
    assertNotContains(hidden, 'data-time-ms="8000"')
    assertNotContains(hidden, "Typo in the title")
    assertContains(hidden, "Show resolved threads")


@pytest.mark.django_db
def test_posting_a_comment_through_the_page(version, video, workspace, editor):
    client = client_in(editor, workspace)
    response = client.post(
        reverse("videos:comment_post", args=[video.pk, 1]),
        {"text": "Brighter here", "at": "0:05", "until": "", "parent": ""},
    )
    comment = Comment.objects.get()
    assert (comment.author, comment.text, comment.time_ms, comment.end_ms) == (
        editor,
        "Brighter here",
        5000,
        None,
    )
    assert comment.version == version and comment.parent is None
    assert response.status_code == 302
    assert response.url == f"{_page(video)}#comment-{comment.pk}"
    event = Event.objects.get(name="comment.created")
    assert event.actor == editor and event.properties["time_ms"] == 5000
    assert event.properties["reply"] is False and event.properties["video_id"] == video.pk


BAD_TIME = "Write a time as seconds or minutes:seconds, for example 0:05 or 75."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "at", "until", "error"),
    [
        ("Keep this text", "abc", "", BAD_TIME),
        ("   ", "0:05", "", "Write a comment first."),
        ("Keep this text", "0:11", "", "The time must be between 0:00 and 0:10."),
        ("Keep this text", "0:05", "0:04", "The range must end after it starts and by 0:10."),
    ],
)
def test_a_refused_comment_shows_the_error_and_keeps_the_text(
    version, video, workspace, editor, text, at, until, error
):
    response = client_in(editor, workspace).post(
        reverse("videos:comment_post", args=[video.pk, 1]),
        {"text": text, "at": at, "until": until, "parent": ""},
    )
    assert response.status_code == 400
    assertContains(response, error, status_code=400)
    assertContains(response, f'value="{at}"', status_code=400)
    if text.strip():
        assertContains(
            response, f'aria-describedby="comment-help">{text}</textarea>', status_code=400
        )
    assert not Comment.objects.exists()
    assert not Event.objects.filter(name="comment.created").exists()


@pytest.mark.django_db
def test_replying_through_the_page(version, video, workspace, owner, editor):
    root = _comment(version, owner, "Root", time_ms=3000)
    client = client_in(editor, workspace)
    form = client.get(_page(video), {"reply": root.pk})
    assertContains(form, f'<input type="hidden" name="parent" value="{root.pk}">')
    response = client.post(
        reverse("videos:comment_post", args=[video.pk, 1]),
        {"text": "Agreed", "at": "", "until": "", "parent": str(root.pk)},
    )
    reply = Comment.objects.get(parent=root)
    assert (reply.thread_id, reply.time_ms, reply.author) == (root.pk, 3000, editor)
    assert response.url == f"{_page(video)}#comment-{reply.pk}"
    assert Notification.objects.get(comment=reply).recipient == owner
    # a parent that is not a comment of this version is refused
    response = client.post(
        reverse("videos:comment_post", args=[video.pk, 1]),
        {"text": "Lost", "at": "", "until": "", "parent": "999999"},
    )
    assertContains(response, "Reply to a comment on this version.", status_code=400)
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_edit_and_delete_ones_own_comment_through_the_page(
    version, video, workspace, owner, editor
):
    mine = _comment(version, editor, "Mine", time_ms=0)
    theirs = _comment(version, owner, "Theirs", time_ms=0)
    client = client_in(editor, workspace)

    form = client.get(_page(video), {"edit": mine.pk})
    assertContains(form, reverse("videos:comment_edit", args=[video.pk, mine.pk]))
    response = client.post(
        reverse("videos:comment_edit", args=[video.pk, mine.pk]), {"text": "Mine, @Olivia Owner"}
    )
    assert response.status_code == 302 and response.url == f"{_page(video)}#comment-{mine.pk}"
    mine.refresh_from_db()
    assert mine.text == "Mine, @Olivia Owner" and mine.edited_at is not None
    assert list(mine.mentions.all()) == [owner]
    assert Notification.objects.get(recipient=owner).kind == NotificationKind.MENTION

    refused = client.post(
        reverse("videos:comment_edit", args=[video.pk, mine.pk]), {"text": "  "}, follow=True
    )
    assertContains(refused, "Write a comment first.")
    mine.refresh_from_db()
    assert mine.text == "Mine, @Olivia Owner"

    edit_theirs = reverse("videos:comment_edit", args=[video.pk, theirs.pk])
    delete_theirs = reverse("videos:comment_delete", args=[video.pk, theirs.pk])
    assert client.post(edit_theirs, {"text": "Hijacked"}).status_code == 403
    assert client.post(delete_theirs).status_code == 403
    theirs.refresh_from_db()
    assert theirs.text == "Theirs"

    response = client.post(reverse("videos:comment_delete", args=[video.pk, mine.pk]))
    assert response.status_code == 302 and response.url == _page(video)
    assert not Comment.objects.filter(pk=mine.pk).exists()
    assert Event.objects.filter(name="comment.deleted").count() == 1


@pytest.mark.django_db
def test_resolve_and_reopen_through_the_page(version, video, workspace, owner, editor, viewer):
    root = _comment(version, owner, "Fix the music", time_ms=1000)
    reply = _comment(version, viewer, "+1", parent=root)
    url = reverse("videos:comment_resolve", args=[video.pk, reply.pk])

    assert client_in(viewer, workspace).post(url, {"action": "resolve"}).status_code == 403
    root.refresh_from_db()
    assert root.resolved_at is None

    editor_client = client_in(editor, workspace)
    response = editor_client.post(url, {"action": "resolve", "resolved": "hide"})
    assert response.url == f"{_page(video)}?resolved=hide#comment-{reply.pk}"
    root.refresh_from_db()
    assert root.resolved_by == editor and root.resolved_at is not None
    event = Event.objects.get(name="comment.resolved")
    assert (event.actor, event.subject_id) == (editor, str(root.pk))
    assertContains(editor_client.get(_page(video)), 'value="unresolve"')

    editor_client.post(url, {"action": "unresolve"})
    root.refresh_from_db()
    assert root.resolved_at is None and root.resolved_by is None
    assert Event.objects.filter(name="comment.unresolved").count() == 1


@pytest.mark.django_db
def test_outsiders_get_404_on_every_review_page(version, video, outsider, owner):
    comment = _comment(version, owner, "Hi", time_ms=0)
    client = client_in(outsider, outsider.teams.first())
    for method, url, data in [
        ("get", _page(video), {}),
        ("post", reverse("videos:comment_post", args=[video.pk, 1]), {"text": "x", "at": "0"}),
        ("post", reverse("videos:comment_edit", args=[video.pk, comment.pk]), {"text": "x"}),
        ("post", reverse("videos:comment_delete", args=[video.pk, comment.pk]), {}),
        ("post", reverse("videos:comment_resolve", args=[video.pk, comment.pk]), {}),
        ("post", reverse("videos:version_decide", args=[video.pk, 1]), {"decision": "approved"}),
    ]:
        assert getattr(client, method)(url, data).status_code == 404, url
    assert Comment.objects.count() == 1


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
        response = client.get(_page(video))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r'<li id="comment-\d+" class="comment', html)) == total
    assert html.count('class="comment-marker') == made["threads"]
    assert html.count('<span class="mention">') == made["mentions"]
    assert html.count('style="--depth: 4"') == len(
        [t for t in range(made["threads"]) if SHAPES[t % len(SHAPES)] == [0, 1, 2, 3]]
    )
    with django_assert_max_num_queries(QUERIES_FOR_VERSION_PAGE):
        hidden = client.get(_page(video), {"resolved": "hide"})
    resolved_threads = len(range(0, made["threads"], 4))
    assert hidden.content.decode().count('class="comment-marker') == (
        made["threads"] - resolved_threads
    )


# -- the review decision ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_approving_and_requesting_changes_through_the_page(
    version,
    video,
    workspace,
    owner,
    admin_user,
    editor,
    viewer,
    django_capture_on_commit_callbacks,
):
    _comment(version, viewer, "Looks good", time_ms=0)
    client = client_in(editor, workspace)
    url = reverse("videos:version_decide", args=[video.pk, 1])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approved", "note": "Ship it"})
    assert response.status_code == 302 and response.url == _page(video)
    version.refresh_from_db()
    assert version.review_state == ReviewState.APPROVED
    assert (version.reviewed_by, version.review_note) == (editor, "Ship it")
    assert version.reviewed_at is not None
    event = Event.objects.get(name="video.approved")
    assert (event.actor, event.subject_id) == (editor, str(video.pk))
    assert event.properties["version"] == 1

    approved = list(Notification.objects.filter(kind=NotificationKind.REVIEW))
    # the video's creator (the owner) and the commenter; not the decider, not the silent admin
    assert {n.recipient for n in approved} == {owner, viewer}
    assert {notification_message(n) for n in approved} == {
        "Edith Editor approved version 1 of “Launch teaser”"
    }
    assert {n.url for n in approved} == {_page(video)}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "owner@example.com",
        "viewer@example.com",
    ]

    page = client.get(_page(video))
    assertContains(page, 'data-review-state="approved"')
    assertContains(page, "Version 1 is approved.")

    client.post(url, {"decision": "changes_requested", "note": "Logo, please"})
    version.refresh_from_db()
    assert version.review_state == ReviewState.CHANGES_REQUESTED
    assert Event.objects.filter(name="video.changes_requested").count() == 1
    changes = Notification.objects.filter(kind=NotificationKind.REVIEW).exclude(
        pk__in=[n.pk for n in approved]
    )
    assert {n.recipient for n in changes} == {owner, viewer}
    assert {notification_message(n) for n in changes} == {
        "Edith Editor requested changes to version 1 of “Launch teaser”"
    }
    # the same decision again changes nothing and tells nobody again
    client.post(url, {"decision": "changes_requested", "note": "Logo, please"})
    assert Event.objects.filter(name="video.changes_requested").count() == 1
    assert Notification.objects.filter(kind=NotificationKind.REVIEW).count() == 4


@pytest.mark.django_db
def test_viewers_cannot_decide_and_bad_decisions_change_nothing(
    version, video, workspace, editor, viewer
):
    url = reverse("videos:version_decide", args=[video.pk, 1])
    assert client_in(viewer, workspace).post(url, {"decision": "approved"}).status_code == 403
    response = client_in(editor, workspace).post(url, {"decision": "perfect"}, follow=True)
    assertContains(response, "Choose “Approved” or “Changes requested”.")
    version.refresh_from_db()
    assert version.review_state == ReviewState.PENDING and version.reviewed_by is None
    assert not Event.objects.filter(name__startswith="video.approved").exists()
    assert not Notification.objects.exists()
    # the decision buttons are for editors only
    assertNotContains(client_in(viewer, workspace).get(_page(video)), 'name="decision"')
    assertContains(client_in(editor, workspace).get(_page(video)), 'name="decision"')


@pytest.mark.django_db
def test_the_video_page_and_list_show_the_review_state(version, video, workspace, editor):
    client = client_in(editor, workspace)
    assertContains(
        client.get(reverse("videos:detail", args=[video.pk])), 'data-review-state="pending"'
    )
    assertContains(client.get(reverse("videos:list")), 'data-review-state="pending"')
    client.post(reverse("videos:version_decide", args=[video.pk, 1]), {"decision": "approved"})
    detail = client.get(reverse("videos:detail", args=[video.pk]))
    assertContains(detail, 'data-review-state="approved"')
    assertNotContains(detail, 'data-review-state="pending"')
    assertContains(client.get(reverse("videos:list")), 'data-review-state="approved"')


# -- API -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_lists_a_versions_comments_flat_with_depth(version, video, owner, editor, viewer):
    root = _comment(version, editor, "@Olivia Owner logo", time_ms=5000, end_ms=6000)
    reply = _comment(version, owner, "On it", parent=root)
    other = _comment(version, viewer, "Music", time_ms=1000)
    team_services.comment_resolve(comment=other, actor=viewer)
    api = api_for(viewer)
    url = reverse("api:video-comments", args=[video.pk])

    data = api.get(url).json()
    assert data["count"] == 3
    rows = data["results"]
    assert [(c["id"], c["depth"]) for c in rows] == [(other.pk, 0), (root.pk, 0), (reply.pk, 1)]
    by_id = {c["id"]: c for c in rows}
    assert by_id[root.pk]["mentions"] == [{"id": owner.pk, "name": "Olivia Owner"}]
    assert (by_id[root.pk]["time_ms"], by_id[root.pk]["end_ms"]) == (5000, 6000)
    assert by_id[reply.pk]["parent"] == root.pk and by_id[reply.pk]["thread"] == root.pk
    assert by_id[other.pk]["resolved"] is True and by_id[root.pk]["resolved"] is False
    assert by_id[other.pk]["resolved_by"] == {"id": viewer.pk, "name": "Victor Viewer"}
    assert by_id[reply.pk]["author"] == {"id": owner.pk, "name": "Olivia Owner"}
    assert all(c["version"] == 1 for c in rows)

    assert [c["id"] for c in api.get(url, {"version": 1}).json()["results"]] == [
        other.pk,
        root.pk,
        reply.pk,
    ]
    assert [c["id"] for c in api.get(url, {"resolved": "hide"}).json()["results"]] == [
        root.pk,
        reply.pk,
    ]
    assert _error(api.get(url, {"version": 7}))["fields"] == {
        "version": ["This video has no version 7."]
    }


@pytest.mark.django_db
def test_api_comment_create_and_its_errors(version, video, owner, editor, ready_video):
    api = api_for(editor)
    url = reverse("api:video-comments", args=[video.pk])
    response = api.post(
        url, {"text": "@Olivia Owner cut here", "time_ms": 2000, "end_ms": 3000}, format="json"
    )
    assert response.status_code == 201
    created = response.json()
    comment = Comment.objects.get(pk=created["id"])
    assert (comment.time_ms, comment.end_ms, comment.author) == (2000, 3000, editor)
    assert created["mentions"] == [{"id": owner.pk, "name": "Olivia Owner"}]
    assert created["version"] == 1 and created["resolved"] is False

    reply = api.post(url, {"text": "And here", "parent": comment.pk}, format="json")
    assert reply.status_code == 201
    assert (reply.json()["parent"], reply.json()["time_ms"]) == (comment.pk, 2000)

    assert "text" in _error(api.post(url, {"text": "", "time_ms": 0}, format="json"))["fields"]
    assert "time_ms" in _error(api.post(url, {"text": "x"}, format="json"))["fields"]
    assert (
        "time_ms"
        in _error(api.post(url, {"text": "x", "time_ms": 10_001}, format="json"))["fields"]
    )
    assert (
        "end_ms"
        in _error(api.post(url, {"text": "x", "time_ms": 2000, "end_ms": 1000}, format="json"))[
            "fields"
        ]
    )
    assert (
        "parent" in _error(api.post(url, {"text": "x", "parent": 999_999}, format="json"))["fields"]
    )
    assert (
        "time_ms"
        in _error(api.post(url, {"text": "x", "time_ms": "soon"}, format="json"))["fields"]
    )
    assert Comment.objects.count() == 2

    unrendered = ready_video(title="Not rendered yet")
    error = _error(
        api.post(
            reverse("api:video-comments", args=[unrendered.pk]),
            {"text": "x", "time_ms": 0},
            format="json",
        )
    )
    assert error["code"] == "no_version"
    assert error["message"] == "This video has no version yet: render it first."
    assert api.get(reverse("api:video-comments", args=[unrendered.pk])).json()["results"] == []
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_api_edit_delete_and_resolve(version, video, owner, editor, viewer):
    mine = _comment(version, editor, "Mine", time_ms=0)
    theirs = _comment(version, owner, "Theirs", time_ms=1000)
    api = api_for(editor)
    detail = reverse("api:comment-detail", args=[mine.pk])

    response = api.patch(detail, {"text": "Mine, @Victor Viewer"}, format="json")
    assert response.status_code == 200
    assert response.json()["text"] == "Mine, @Victor Viewer"
    assert response.json()["mentions"] == [{"id": viewer.pk, "name": "Victor Viewer"}]
    assert "text" in _error(api.patch(detail, {"text": ""}, format="json"))["fields"]

    theirs_detail = reverse("api:comment-detail", args=[theirs.pk])
    assert api.patch(theirs_detail, {"text": "x"}, format="json").status_code == 403
    assert api.delete(theirs_detail).status_code == 403
    theirs.refresh_from_db()
    assert theirs.text == "Theirs"

    response = api.post(reverse("api:comment-resolve", args=[theirs.pk]))
    assert response.status_code == 200 and response.json()["resolved"] is True
    assert response.json()["resolved_by"] == {"id": editor.pk, "name": "Edith Editor"}
    assert Event.objects.filter(name="comment.resolved").count() == 1
    response = api.post(reverse("api:comment-unresolve", args=[theirs.pk]))
    assert response.status_code == 200 and response.json()["resolved"] is False
    # a viewer may not resolve someone else's thread
    assert api_for(viewer).post(reverse("api:comment-resolve", args=[theirs.pk])).status_code == 403

    assert api.delete(detail).status_code == 204
    assert not Comment.objects.filter(pk=mine.pk).exists()


@pytest.mark.django_db
def test_api_review_decision(
    version, video, owner, editor, viewer, django_capture_on_commit_callbacks
):
    url = reverse("api:video-review", args=[video.pk])
    assert api_for(viewer).post(url, {"decision": "approved"}, format="json").status_code == 403
    assert (
        "decision"
        in _error(api_for(editor).post(url, {"decision": "meh"}, format="json"))["fields"]
    )
    version.refresh_from_db()
    assert version.review_state == ReviewState.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(editor).post(
            url, {"decision": "approved", "note": "Good"}, format="json"
        )
    assert response.status_code == 200
    data = response.json()
    assert (data["version"], data["review_state"], data["review_note"]) == (1, "approved", "Good")
    assert data["reviewed_by"] == {"id": editor.pk, "name": "Edith Editor"}
    version.refresh_from_db()
    assert version.review_state == ReviewState.APPROVED
    assert Event.objects.filter(name="video.approved").count() == 1
    assert Notification.objects.get(kind=NotificationKind.REVIEW).recipient == owner

    response = api_for(editor).post(
        url, {"decision": "changes_requested", "version": 1}, format="json"
    )
    assert response.json()["review_state"] == "changes_requested"
    assert Event.objects.filter(name="video.changes_requested").count() == 1
    assert _error(api_for(editor).post(url, {"decision": "approved", "version": 3}, format="json"))[
        "fields"
    ] == {"version": ["This video has no version 3."]}


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


@pytest.mark.django_db
def test_api_outsiders_get_404_everywhere(version, video, owner, outsider):
    comment = _comment(version, owner, "Private", time_ms=0)
    api = api_for(outsider)
    comments = reverse("api:video-comments", args=[video.pk])
    detail = reverse("api:comment-detail", args=[comment.pk])
    calls = [
        api.get(comments),
        api.post(comments, {"text": "x", "time_ms": 0}, format="json"),
        api.get(detail),
        api.patch(detail, {"text": "x"}, format="json"),
        api.delete(detail),
        api.post(reverse("api:comment-resolve", args=[comment.pk])),
        api.post(reverse("api:comment-unresolve", args=[comment.pk])),
        api.post(reverse("api:video-review", args=[video.pk]), {"decision": "approved"}),
    ]
    assert [r.status_code for r in calls] == [404] * len(calls)
    assert all(r.json()["error"]["code"] for r in calls)
    comment.refresh_from_db()
    assert comment.text == "Private" and comment.resolved_at is None
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_reply_keeps_its_text(version, video, owner, editor):
    from teams.services import review as team_services

    root = team_services.comment_create(version=version, author=owner, text="root", time_ms=0)
    client = client_in(editor, video.workspace)
    url = reverse("videos:comment_post", args=[video.pk, version.number])
    # Too long: the reply form is shown again under its comment, text intact.
    long_text = "y" * 5001
    response = client.post(url, {"text": long_text, "at": "", "until": "", "parent": root.pk})
    assert response.status_code == 400
    assert f'id="reply-{root.pk}"' in response.content.decode()
    assert long_text in response.content.decode()
    # A parent that is gone: the text comes back in the main box.
    team_services.comment_delete(comment=root, actor=owner)
    response = client.post(url, {"text": "still here", "at": "", "until": "", "parent": root.pk})
    assert response.status_code == 400
    assert "still here" in response.content.decode()
