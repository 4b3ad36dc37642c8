"""Review comments through the services: positions, threads, mentions, edit, delete, resolve."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from analytics.models import Event
from teams.mentions import find_mentions, mention_handles
from teams.models import Comment, Notification
from teams.selectors import thread_chunk, version_review, workspace_members
from teams.services.review import (
    comment_create,
    comment_delete,
    comment_edit,
    comment_resolve,
    comment_unresolve,
)
from teams.timecodes import format_timecode, parse_timecode
from tests.factories import MembershipFactory, UserFactory


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("0:05", 5000),
        ("5", 5000),
        ("1:02.5", 62500),
        ("75", 75000),
        ("1:00:00", 3600000),
        ("0,25", 250),
        ("", None),
        ("  ", None),
    ],
)
def test_timecodes_parse(text, ms):
    assert parse_timecode(text) == ms


@pytest.mark.parametrize("text", ["abc", "1:75", "-3", "5s", "1::2"])
def test_bad_timecodes_are_refused(text):
    with pytest.raises(ValidationError):
        parse_timecode(text)


def test_timecodes_format():
    assert format_timecode(5000) == "0:05"
    assert format_timecode(62500) == "1:02.5"
    assert format_timecode(3_725_000) == "1:02:05"


@pytest.mark.django_db
def test_comment_at_a_position_and_range(version, editor, owner):
    comment = comment_create(
        version=version, author=editor, text="Logo too small", time_ms=5000, end_ms=7500
    )
    assert (comment.time_ms, comment.end_ms, comment.version_id) == (5000, 7500, version.pk)
    assert comment.workspace_id == version.video.workspace_id
    event = Event.objects.get(name="comment.created")
    assert event.properties["time_ms"] == 5000 and event.actor_id == editor.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("time_ms", "end_ms", "field"),
    [
        (None, None, "time_ms"),
        (10_001, None, "time_ms"),
        (5000, 5000, "end_ms"),
        (5000, 4000, "end_ms"),
        (5000, 10_001, "end_ms"),
    ],
)
def test_positions_outside_the_version_are_refused(version, owner, time_ms, end_ms, field):
    with pytest.raises(ValidationError) as error:
        comment_create(version=version, author=owner, text="x", time_ms=time_ms, end_ms=end_ms)
    assert field in error.value.message_dict
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_empty_and_overlong_text_is_refused(version, owner):
    for text in ("", "   ", "x" * (Comment.MAX_LENGTH + 1)):
        with pytest.raises(ValidationError):
            comment_create(version=version, author=owner, text=text, time_ms=0)
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_outsiders_cannot_comment_and_viewers_can(version, viewer, outsider):
    with pytest.raises(Http404):
        comment_create(version=version, author=outsider, text="hi", time_ms=0)
    assert comment_create(version=version, author=viewer, text="hi", time_ms=0).pk


@pytest.mark.django_db
def test_threads_of_any_depth_read_in_order(version, owner, editor, viewer):
    late = comment_create(version=version, author=owner, text="late", time_ms=8000)
    early = comment_create(version=version, author=editor, text="early", time_ms=1000)
    reply = comment_create(version=version, author=viewer, text="r1", parent=early)
    deeper = comment_create(version=version, author=owner, text="r2", parent=reply.pk)
    sibling = comment_create(version=version, author=editor, text="r1b", parent=early)
    assert (reply.time_ms, reply.thread_id) == (1000, early.pk)  # replies sit at the thread
    assert deeper.thread_id == early.pk and deeper.parent_id == reply.pk

    review = thread_chunk(version=version)
    assert [(c.pk, c.depth) for c in review["comments"]] == [
        (early.pk, 0),
        (reply.pk, 1),
        (deeper.pk, 2),
        (sibling.pk, 1),
        (late.pk, 0),
    ]
    assert [t.pk for t in review["threads"]] == [early.pk, late.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("parent", ["²", "١٢", "9" * 30, 10**30])
def test_a_reply_to_something_that_is_no_comment_id_is_refused(version, owner, parent):
    with pytest.raises(ValidationError) as refused:
        comment_create(version=version, author=owner, text="hi", parent=parent)
    assert list(refused.value.error_dict) == ["parent"]


@pytest.mark.django_db
def test_a_reply_must_be_to_a_comment_of_the_same_version(version, owner, ready_video):
    from types import SimpleNamespace

    from videos.services import versions as version_services

    other_video = ready_video(title="Other")
    other = version_services.version_create(
        video=other_video,
        kind="render",
        file_key=other_video.file.name,
        thumbnail_key="",
        author=owner,
        info=SimpleNamespace(size=1, duration=3.0, width=64, height=36, fps=10, checksum="d" * 64),
    )
    elsewhere = comment_create(version=other, author=owner, text="x", time_ms=0)
    for parent in (elsewhere.pk, 999_999, "abc"):
        with pytest.raises(ValidationError) as error:
            comment_create(version=version, author=owner, text="y", parent=parent)
        assert "parent" in error.value.message_dict
    assert Comment.objects.filter(version=version).count() == 0


@pytest.mark.django_db
def test_comments_stay_with_their_version(version, owner):
    from types import SimpleNamespace

    from videos.services import versions as version_services

    comment = comment_create(version=version, author=owner, text="v1 note", time_ms=0)
    newer = version_services.version_create(
        video=version.video,
        kind="render",
        file_key=version.file.name,
        thumbnail_key="",
        author=owner,
        info=SimpleNamespace(size=1, duration=10.0, width=64, height=36, fps=10, checksum="e" * 64),
    )
    assert thread_chunk(version=newer)["comments"] == []
    assert [c.pk for c in thread_chunk(version=version)["comments"]] == [comment.pk]


# -- mentions -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_mentions_are_stored_as_relations(version, owner, editor, viewer, outsider):
    comment = comment_create(
        version=version,
        author=editor,
        text="@Olivia Owner and @viewer@example.com, see this. Not @Oscar Outsider.",
        time_ms=0,
    )
    assert set(comment.mentions.all()) == {owner, viewer}  # outsiders are not members


@pytest.mark.django_db
def test_the_longest_name_wins_and_emails_inside_words_do_not_count(workspace, owner):
    ann = UserFactory(email="ann@example.com", name="Ann")
    ann_lee = UserFactory(email="lee@example.com", name="Ann Lee")
    for user in (ann, ann_lee):
        MembershipFactory(team=workspace, user=user)
    members = list(workspace_members(workspace=workspace))
    assert find_mentions("hi @ann lee!", members) == [ann_lee]
    assert find_mentions("hi @Ann, bye", members) == [ann]
    assert find_mentions("mail ann@example.com", members) == []
    assert find_mentions("@Annabel", members) == []


@pytest.mark.django_db
def test_autocomplete_handles_fall_back_to_email_for_shared_names(workspace, owner):
    MembershipFactory(team=workspace, user=UserFactory(email="a@example.com", name="Sam"))
    MembershipFactory(team=workspace, user=UserFactory(email="b@example.com", name="Sam"))
    handles = {
        h["email"]: h["handle"] for h in mention_handles(workspace_members(workspace=workspace))
    }
    assert handles == {
        "owner@example.com": "Olivia Owner",
        "a@example.com": "a@example.com",
        "b@example.com": "b@example.com",
    }
    # and the handle the autocomplete inserts is found again by the server
    members = list(workspace_members(workspace=workspace))
    assert [u.email for u in find_mentions("@a@example.com ok", members)] == ["a@example.com"]


@pytest.mark.django_db
def test_editing_updates_mentions_and_notifies_only_the_new(version, owner, editor, viewer):
    comment = comment_create(version=version, author=editor, text="@Olivia Owner look", time_ms=0)
    comment_edit(comment=comment, actor=editor, text="@Olivia Owner and @Victor Viewer look")
    comment.refresh_from_db()
    assert set(comment.mentions.all()) == {owner, viewer} and comment.edited_at
    assert Notification.objects.filter(recipient=owner).count() == 1
    assert Notification.objects.filter(recipient=viewer).count() == 1
    comment_edit(comment=comment, actor=editor, text="nobody now")
    assert not comment.mentions.exists()


# -- edit, delete, resolve ----------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_author_edits_or_deletes(version, owner, editor):
    comment = comment_create(version=version, author=editor, text="mine", time_ms=0)
    with pytest.raises(PermissionDenied):
        comment_edit(comment=comment, actor=owner, text="theirs")
    with pytest.raises(PermissionDenied):
        comment_delete(comment=comment, actor=owner)
    comment.refresh_from_db()
    assert comment.text == "mine"


@pytest.mark.django_db
def test_deleting_a_comment_with_replies_keeps_the_thread(version, owner, editor):
    root = comment_create(version=version, author=editor, text="root", time_ms=0)
    reply = comment_create(version=version, author=owner, text="reply", parent=root)
    comment_delete(comment=root, actor=editor)
    root.refresh_from_db()
    assert root.deleted_at and root.text == ""
    assert Comment.objects.filter(pk=reply.pk).exists()
    with pytest.raises(ValidationError):
        comment_create(version=version, author=owner, text="again", parent=root)
    comment_delete(comment=reply, actor=owner)
    assert not Comment.objects.filter(pk=reply.pk).exists()


@pytest.mark.django_db
def test_resolving_a_reply_resolves_its_thread_and_is_recorded_once(version, owner, editor):
    root = comment_create(version=version, author=owner, text="root", time_ms=0)
    reply = comment_create(version=version, author=editor, text="fixed", parent=root)
    comment_resolve(comment=reply, actor=editor)
    comment_resolve(comment=root, actor=editor)
    root.refresh_from_db()
    assert root.resolved_by == editor and root.resolved_at
    assert Event.objects.filter(name="comment.resolved").count() == 1
    assert thread_chunk(version=version, hide_resolved=True)["comments"] == []
    review = version_review(version=version)
    assert (review["open_count"], review["resolved_count"]) == (0, 1)
    comment_unresolve(comment=root, actor=owner)
    root.refresh_from_db()
    assert root.resolved_at is None and root.resolved_by is None
    assert len(thread_chunk(version=version, hide_resolved=True)["comments"]) == 2


@pytest.mark.django_db
def test_a_viewer_resolves_only_their_own_threads(version, owner, viewer):
    theirs = comment_create(version=version, author=viewer, text="mine", time_ms=0)
    others = comment_create(version=version, author=owner, text="owner's", time_ms=0)
    comment_resolve(comment=theirs, actor=viewer)
    with pytest.raises(PermissionDenied):
        comment_resolve(comment=others, actor=viewer)
    others.refresh_from_db()
    assert others.resolved_at is None


@pytest.mark.django_db
def test_nul_characters_are_dropped_not_sent_to_the_database(version, owner):
    comment = comment_create(version=version, author=owner, text="a\x00b", time_ms=0)
    comment.refresh_from_db()
    assert comment.text == "ab"
    with pytest.raises(ValidationError):
        comment_create(version=version, author=owner, text="\x00", time_ms=0)
