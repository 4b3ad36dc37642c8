"""Review comment services: write, edit, delete, resolve, and notify the members they mention.

A comment belongs to one video version; the caller (the videos app) hands the version in, and
this module reads only its `video`, `number` and `duration`, so teams never imports videos.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import EventName, record
from teams.mentions import find_mentions
from teams.models import Comment, CommentMention, Membership, NotificationKind
from teams.permissions import ensure_can, role_allows
from teams.selectors import workspace_members
from teams.services.notifications import notify
from teams.timecodes import format_timecode
from videocreator.nul import without_nul


def _members(workspace) -> list[Membership]:
    """The members with their notification preferences: one query for everyone notified."""
    return list(
        workspace_members(workspace=workspace).select_related("user__notification_preference")
    )


def _clean_text(text: str) -> str:
    text = without_nul(text or "").strip()  # PostgreSQL text cannot hold NUL
    if not text:
        raise ValidationError({"text": _("Write a comment first.")}, code="required")
    if len(text) > Comment.MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("A comment can be at most %(limit)s characters long.")
                % {"limit": Comment.MAX_LENGTH}
            },
            code="too_long",
        )
    return text


def _clean_range(version, time_ms: int | None, end_ms: int | None) -> tuple[int, int | None]:
    length_ms = round(float(version.duration) * 1000)
    if time_ms is None:
        raise ValidationError({"time_ms": _("Say where in the video the comment belongs.")})
    if not 0 <= time_ms <= length_ms:
        raise ValidationError(
            {
                "time_ms": _("The time must be between 0:00 and %(end)s.")
                % {"end": format_timecode(length_ms)}
            },
            code="out_of_range",
        )
    if end_ms is not None and not time_ms < end_ms <= length_ms:
        raise ValidationError(
            {
                "end_ms": _("The range must end after it starts and by %(end)s.")
                % {"end": format_timecode(length_ms)}
            },
            code="bad_range",
        )
    return time_ms, end_ms


def _notification_params(comment: Comment) -> dict:
    version = comment.version
    return {
        "video": version.video.title,
        "number": version.number,
        "excerpt": comment.text[:200],
        "at": format_timecode(comment.time_ms),
    }


def _set_mentions(comment: Comment, members: list[Membership]) -> list:
    mentioned = find_mentions(comment.text, members)
    existing = set(comment.mention_rows.values_list("user_id", flat=True))
    CommentMention.objects.bulk_create(
        [CommentMention(comment=comment, user=u) for u in mentioned if u.pk not in existing]
    )
    CommentMention.objects.filter(comment=comment).exclude(
        user_id__in=[u.pk for u in mentioned]
    ).delete()
    return [u for u in mentioned if u.pk not in existing]


def _notify_of_comment(comment: Comment, users: list, *, kind: str, actor) -> set[int]:
    """Tell each of `users` but the comment's own writer about it, once; returns whom."""
    params = _notification_params(comment)
    notified = set()
    for user in users:
        if user.pk == actor.pk:
            continue
        notify(
            recipient=user,
            kind=kind,
            key=f"{kind}:{comment.pk}",
            workspace=comment.workspace,
            actor=actor,
            comment=comment,
            params=params,
            url=comment.get_absolute_url(),
        )
        notified.add(user.pk)
    return notified


def _notify_mentions(comment: Comment, users: list, actor) -> set[int]:
    return _notify_of_comment(comment, users, kind=NotificationKind.MENTION, actor=actor)


@transaction.atomic
def comment_create(
    *,
    version,
    author,
    text: str,
    time_ms: int | None = None,
    end_ms: int | None = None,
    parent: Comment | int | None = None,
) -> Comment:
    """Comment on a version, or reply to one of its comments (any depth).

    A reply sits at its thread's position unless given its own.
    """
    workspace = version.video.workspace
    ensure_can(author, workspace, "comment")
    text = _clean_text(text)
    parent_comment = None
    if parent not in (None, ""):
        parent_id = parent.pk if isinstance(parent, Comment) else parent
        parent_comment = (
            Comment.objects.filter(pk=parent_id, version=version).select_related("thread").first()
            # plain digits that fit a database integer: "²" or 10**30 must not reach the query
            if str(parent_id).isascii() and str(parent_id).isdigit() and len(str(parent_id)) <= 18
            else None
        )
        if parent_comment is None:
            raise ValidationError(
                {"parent": _("Reply to a comment on this version.")}, code="bad_parent"
            )
        if parent_comment.is_deleted:
            raise ValidationError(
                {"parent": _("That comment was deleted; it can't get replies.")},
                code="parent_deleted",
            )
        if time_ms is None:
            time_ms, end_ms = parent_comment.time_ms, parent_comment.end_ms
    time_ms, end_ms = _clean_range(version, time_ms, end_ms)
    comment = Comment.objects.create(
        workspace=workspace,
        version=version,
        parent=parent_comment,
        thread=(parent_comment.thread or parent_comment) if parent_comment else None,
        author=author,
        text=text,
        time_ms=time_ms,
        end_ms=end_ms,
    )
    members = _members(workspace)
    mentioned = _set_mentions(comment, members)
    notified = _notify_mentions(comment, mentioned, author)
    if parent_comment is not None:
        _notify_replied(comment, parent_comment, author, members=members, skip=notified)
    record(
        EventName.COMMENT_CREATED,
        workspace=workspace,
        actor=author,
        subject=comment,
        properties={
            "video_id": version.video_id,
            "version": version.number,
            "time_ms": time_ms,
            "reply": parent_comment is not None,
            "mentions": [u.pk for u in mentioned],
        },
    )
    return comment


def _notify_replied(
    comment: Comment, parent: Comment, actor, *, members: list[Membership], skip: set[int]
) -> None:
    """The author of the comment replied to, and the thread's author, hear about a reply
    (if they are still members)."""
    still_members = {m.user_id: m.user for m in members}
    recipients = {}
    for earlier in (parent, parent.thread):
        if earlier is not None and earlier.author_id in still_members and not earlier.is_deleted:
            recipients.setdefault(earlier.author_id, still_members[earlier.author_id])
    _notify_of_comment(
        comment,
        [user for user_id, user in recipients.items() if user_id not in skip],
        kind=NotificationKind.REPLY,
        actor=actor,
    )


def ensure_comment_author(comment: Comment, actor) -> None:
    ensure_can(actor, comment.workspace, "comment")
    if comment.author_id != actor.pk:
        raise PermissionDenied(_("Only the author can change a comment."))
    if comment.is_deleted:
        raise ValidationError(_("That comment was deleted."), code="deleted")


@transaction.atomic
def comment_edit(*, comment: Comment, actor, text: str) -> Comment:
    """Change one's own comment's text; newly mentioned members are notified."""
    comment = (
        Comment.objects.select_for_update().select_related("version__video").get(pk=comment.pk)
    )
    ensure_comment_author(comment, actor)
    text = _clean_text(text)
    if text == comment.text:
        return comment
    comment.text = text
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    _notify_mentions(comment, _set_mentions(comment, _members(comment.workspace)), actor)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor) -> None:
    """Delete one's own comment. One with replies leaves a placeholder so the thread holds."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    ensure_comment_author(comment, actor)
    if comment.replies.exists():
        comment.text = ""
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["text", "deleted_at"])
        CommentMention.objects.filter(comment=comment).delete()
    else:
        comment.delete()
    record(
        EventName.COMMENT_DELETED,
        workspace=comment.workspace,
        actor=actor,
        properties={"comment_id": comment.pk, "version_id": comment.version_id},
    )


def _thread_root(comment: Comment) -> Comment:
    root_id = comment.thread_id or comment.pk
    return Comment.objects.select_for_update().get(pk=root_id)


def _ensure_may_resolve(root: Comment, actor) -> None:
    role = ensure_can(actor, root.workspace, "comment")
    if root.author_id != actor.pk and not role_allows(role, "approve"):
        raise PermissionDenied(_("Only the thread's author or an editor can resolve or reopen it."))


def comment_resolve(*, comment: Comment, actor) -> Comment:
    """Resolve the thread `comment` belongs to. Resolving twice changes nothing."""
    return _set_resolved(comment, actor, resolved=True)


def comment_unresolve(*, comment: Comment, actor) -> Comment:
    """Reopen the thread `comment` belongs to."""
    return _set_resolved(comment, actor, resolved=False)


@transaction.atomic
def _set_resolved(comment: Comment, actor, *, resolved: bool) -> Comment:
    root = _thread_root(comment)
    _ensure_may_resolve(root, actor)
    if (root.resolved_at is not None) == resolved:
        return root
    root.resolved_at = timezone.now() if resolved else None
    root.resolved_by = actor if resolved else None
    root.save(update_fields=["resolved_at", "resolved_by"])
    record(
        EventName.COMMENT_RESOLVED if resolved else EventName.COMMENT_UNRESOLVED,
        workspace=root.workspace,
        actor=actor,
        subject=root,
        properties={"version_id": root.version_id},
    )
    return root
