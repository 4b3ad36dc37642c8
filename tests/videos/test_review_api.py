"""Reviewing through the API: comments, edits, resolving, the decision, outsiders."""

from __future__ import annotations

import pytest
from django.urls import reverse

from analytics.models import Event
from teams.models import Comment, Notification, NotificationKind
from teams.services import review as team_services
from videos.models import ReviewState

from .conftest import add_comment, api_for

pytestmark = pytest.mark.usefixtures("english")


def _error(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["error"]


# -- API -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_lists_a_versions_comments_flat_with_depth(version, video, owner, editor, viewer):
    root = add_comment(version, editor, "@Olivia Owner logo", time_ms=5000, end_ms=6000)
    reply = add_comment(version, owner, "On it", parent=root)
    other = add_comment(version, viewer, "Music", time_ms=1000)
    team_services.comment_resolve(comment=other, actor=viewer)
    api = api_for(viewer)
    url = reverse("api:video-comments", args=[video.pk])

    data = api.get(url).json()
    assert data["count"] == 2  # threads: the API pages over threads, each with all its replies
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
    mine = add_comment(version, editor, "Mine", time_ms=0)
    theirs = add_comment(version, owner, "Theirs", time_ms=1000)
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
def test_api_outsiders_get_404_everywhere(version, video, owner, outsider):
    comment = add_comment(version, owner, "Private", time_ms=0)
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
def test_the_comment_representation_matches_its_declared_fields(version, owner, editor, viewer):
    """CommentSerializer writes its dict by hand for speed; DRF's field-by-field walk over
    the declared fields must give the same keys, values and formats (OpenAPI documents those)."""
    from rest_framework import serializers

    from teams.selectors import thread_comments, thread_roots
    from videos.api.review import CommentSerializer

    root = add_comment(version, editor, "@Olivia Owner logo", time_ms=5000, end_ms=6000)
    add_comment(version, owner, "On it", parent=root)
    other = add_comment(version, viewer, "Music", time_ms=1000)
    team_services.comment_resolve(comment=other, actor=viewer)
    team_services.comment_edit(comment=root, actor=editor, text="@Olivia Owner the logo")
    comments = thread_comments(version=version, roots=thread_roots(version=version))
    serializer = CommentSerializer()
    for comment in comments:
        generic = serializers.ModelSerializer.to_representation(serializer, comment)
        assert serializer.to_representation(comment) == dict(generic)
        assert list(serializer.to_representation(comment)) == CommentSerializer.Meta.fields
