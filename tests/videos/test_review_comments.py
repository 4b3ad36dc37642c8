"""Reviewing a version on its page: comments, replies, edits, resolving threads."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from analytics.models import Event
from teams.models import Comment, Notification, NotificationKind
from teams.services import review as team_services
from tests.conftest import client_in

from .conftest import add_comment, version_url
from .review_kit import CommentActions, markers_on

pytestmark = pytest.mark.usefixtures("english")


# -- the page ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_version_page_shows_threads_markers_and_mentions(
    version, video, workspace, owner, editor, viewer
):
    root = add_comment(
        version, editor, "@Olivia Owner the logo is small", time_ms=5000, end_ms=7500
    )
    reply = add_comment(version, owner, "Bigger in v2", parent=root)
    done = add_comment(version, viewer, "Typo in the title", time_ms=8000)
    team_services.comment_resolve(comment=done, actor=editor)

    viewer_client = client_in(viewer, workspace)
    page = viewer_client.get(version_url(video))
    assert page.status_code == 200
    html = page.content.decode()
    # the timeline: one marker per thread (drawn by review.js): its time, end, and state
    markers = markers_on(viewer_client, html)
    assert markers == [[root.pk, 5000, 7500, False], [done.pk, 8000, None, True]]
    # the threads, in reading order, replies under their thread
    order = [int(pk) for pk in re.findall(r'<li id="comment-(\d+)"', html)]
    assert order == [root.pk, reply.pk, done.pk]
    assertContains(
        page, f'href="#comment-{root.pk}" data-seek-ms="5000">0:05–0:07.5</a>', html=False
    )
    assertContains(page, '<span class="mention">@Olivia Owner</span> the logo is small')
    assert re.search(rf'<li id="comment-{reply.pk}" class="comment is-reply depth-1"', html)
    assert re.search(rf'<li id="comment-{done.pk}" class="comment is-resolved"', html)
    assertContains(page, "Resolved by Edith Editor")
    assertContains(page, "1 open thread")
    assertContains(page, "1 resolved")

    hidden = viewer_client.get(version_url(video), {"resolved": "hide"})
    assertContains(hidden, f'id="comment-{root.pk}"')
    assertContains(hidden, f'id="comment-{reply.pk}"')
    assertNotContains(hidden, f'id="comment-{done.pk}"')
    assertNotContains(hidden, 'data-time-ms="8000"')
    assert markers_on(viewer_client, hidden.content.decode()) == [[root.pk, 5000, 7500, False]]
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
    assert response.url == f"{version_url(video)}?thread={comment.pk}#comment-{comment.pk}"
    event = Event.objects.get(name="comment.created")
    assert event.actor == editor and event.properties["time_ms"] == 5000
    assert event.properties["reply"] is False and event.properties["video_id"] == video.pk


@pytest.mark.django_db
def test_a_nul_character_in_a_comment_is_dropped_as_the_api_drops_it(video, workspace, editor):
    client = client_in(editor, workspace)
    response = client.post(
        reverse("videos:comment_post", args=[video.pk, 1]),
        {"text": "Bright\x00er", "at": "0:05", "until": "", "parent": ""},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.text == "Brighter"
    client.post(reverse("videos:comment_edit", args=[video.pk, comment.pk]), {"text": "Dark\x00er"})
    comment.refresh_from_db()
    assert comment.text == "Darker"


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
    root = add_comment(version, owner, "Root", time_ms=3000)
    client = client_in(editor, workspace)
    form = client.get(version_url(video), {"reply": root.pk})
    assertContains(form, f'<input type="hidden" name="parent" value="{root.pk}">')
    response = client.post(
        reverse("videos:comment_post", args=[video.pk, 1]),
        {"text": "Agreed", "at": "", "until": "", "parent": str(root.pk)},
    )
    reply = Comment.objects.get(parent=root)
    assert (reply.thread_id, reply.time_ms, reply.author) == (root.pk, 3000, editor)
    assert response.url == f"{version_url(video)}?thread={root.pk}#comment-{reply.pk}"
    assert Notification.objects.get(comment=reply).recipient == owner
    # a parent that is not a comment of this version is refused
    response = client.post(
        reverse("videos:comment_post", args=[video.pk, 1]),
        {"text": "Lost", "at": "", "until": "", "parent": "999999"},
    )
    assertContains(response, "Reply to a comment on this version.", status_code=400)
    assert Comment.objects.count() == 2


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


@pytest.mark.django_db
def test_edit_and_delete_ones_own_comment_through_the_page(
    version, video, workspace, owner, editor
):
    mine = add_comment(version, editor, "Mine", time_ms=0)
    theirs = add_comment(version, owner, "Theirs", time_ms=0)
    client = client_in(editor, workspace)

    form = client.get(version_url(video), {"edit": mine.pk})
    assertContains(form, reverse("videos:comment_edit", args=[video.pk, mine.pk]))
    response = client.post(
        reverse("videos:comment_edit", args=[video.pk, mine.pk]), {"text": "Mine, @Olivia Owner"}
    )
    assert response.status_code == 302
    assert response.url == f"{version_url(video)}?thread={mine.pk}#comment-{mine.pk}"
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
    assert response.status_code == 302 and response.url == version_url(video)
    assert not Comment.objects.filter(pk=mine.pk).exists()
    assert Event.objects.filter(name="comment.deleted").count() == 1


@pytest.mark.django_db
def test_resolve_and_reopen_through_the_page(version, video, workspace, owner, editor, viewer):
    root = add_comment(version, owner, "Fix the music", time_ms=1000)
    reply = add_comment(version, viewer, "+1", parent=root)
    url = reverse("videos:comment_resolve", args=[video.pk, reply.pk])

    assert client_in(viewer, workspace).post(url, {"action": "resolve"}).status_code == 403
    root.refresh_from_db()
    assert root.resolved_at is None

    editor_client = client_in(editor, workspace)
    response = editor_client.post(url, {"action": "resolve", "resolved": "hide"})
    assert response.url == f"{version_url(video)}?thread={root.pk}&resolved=hide#comment-{reply.pk}"
    root.refresh_from_db()
    assert root.resolved_by == editor and root.resolved_at is not None
    event = Event.objects.get(name="comment.resolved")
    assert (event.actor, event.subject_id) == (editor, str(root.pk))
    assertContains(editor_client.get(version_url(video)), 'value="unresolve"')

    editor_client.post(url, {"action": "unresolve"})
    root.refresh_from_db()
    assert root.resolved_at is None and root.resolved_by is None
    assert Event.objects.filter(name="comment.unresolved").count() == 1


@pytest.mark.django_db
def test_the_comment_buttons_post_through_the_pages_one_form(version, video, owner, editor):
    """No form and no CSRF token per comment: each button names the page's #comment-action
    form and its own address, and the views take exactly what the browser then sends."""
    mine = add_comment(version, editor, "Mine", time_ms=0)
    theirs = add_comment(version, owner, "Theirs", time_ms=1000)
    add_comment(version, owner, "A reply", parent=theirs)
    browser = Client(enforce_csrf_checks=True)  # as strict as a real browser's post
    browser.force_login(editor)

    html = browser.get(version_url(video)).content.decode()
    start = html.index('id="comment-list"')
    comment_list = html[start : html.index("</ol>", start)]
    assert "csrfmiddlewaretoken" not in comment_list and "<form" not in comment_list
    page = CommentActions(html)
    assert page.forms == 1 and set(page.fields) == {"csrfmiddlewaretoken", "resolved"}
    delete_url = reverse("videos:comment_delete", args=[video.pk, mine.pk])
    resolve_url = reverse("videos:comment_resolve", args=[video.pk, theirs.pk])
    assert sorted(b["formaction"] for b in page.buttons) == sorted(
        [delete_url, reverse("videos:comment_resolve", args=[video.pk, mine.pk]), resolve_url]
    )
    delete = page.button(delete_url)
    assert delete["data-confirm"] == "Delete this comment?"  # app.js asks before it submits

    response = browser.post(resolve_url, page.submission(page.button(resolve_url)))
    assert response.status_code == 302
    assert response.url == f"{version_url(video)}?thread={theirs.pk}#comment-{theirs.pk}"
    theirs.refresh_from_db()
    assert theirs.resolved_by == editor

    page = CommentActions(browser.get(version_url(video), {"resolved": "hide"}).content.decode())
    assert page.fields["resolved"] == "hide"
    response = browser.post(delete_url, page.submission(page.button(delete_url)))
    assert response.status_code == 302 and not Comment.objects.filter(pk=mine.pk).exists()

    page = CommentActions(browser.get(version_url(video)).content.decode())
    reopen = page.button(resolve_url)
    assert reopen["value"] == "unresolve"
    response = browser.post(resolve_url, page.submission(reopen))
    assert response.url == f"{version_url(video)}?thread={theirs.pk}#comment-{theirs.pk}"
    theirs.refresh_from_db()
    assert theirs.resolved_at is None
    # without the page's token the same post is refused
    assert browser.post(resolve_url, {"action": "resolve"}).status_code == 403


@pytest.mark.django_db
def test_outsiders_get_404_on_every_review_page(version, video, outsider, owner):
    comment = add_comment(version, owner, "Hi", time_ms=0)
    client = client_in(outsider, outsider.teams.first())
    for method, url, data in [
        ("get", version_url(video), {}),
        ("get", reverse("videos:mention_candidates", args=[video.pk]), {}),
        ("post", reverse("videos:comment_post", args=[video.pk, 1]), {"text": "x", "at": "0"}),
        ("post", reverse("videos:comment_edit", args=[video.pk, comment.pk]), {"text": "x"}),
        ("post", reverse("videos:comment_delete", args=[video.pk, comment.pk]), {}),
        ("post", reverse("videos:comment_resolve", args=[video.pk, comment.pk]), {}),
        ("post", reverse("videos:version_decide", args=[video.pk, 1]), {"decision": "approved"}),
    ]:
        assert getattr(client, method)(url, data).status_code == 404, url
    assert Comment.objects.count() == 1
