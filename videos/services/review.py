"""The review decision on a version: approved, or changes requested."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import EventName, record
from teams.models import Comment, Membership, NotificationKind
from teams.permissions import ensure_can
from teams.services.notifications import notify
from videocreator.nul import without_nul

from ..models import ReviewState, VideoVersion

DECISION_EVENTS = {
    ReviewState.APPROVED: EventName.VIDEO_APPROVED,
    ReviewState.CHANGES_REQUESTED: EventName.VIDEO_CHANGES_REQUESTED,
}
NOTE_MAX_LENGTH = 1000


@transaction.atomic
def version_review(*, version: VideoVersion, decision: str, actor, note: str = "") -> VideoVersion:
    """Record an editor's decision on a version and tell the people who made and discussed it.

    Deciding the same thing again changes nothing; a different decision replaces the last.
    """
    video = version.video
    ensure_can(actor, video.workspace, "approve")
    if decision not in DECISION_EVENTS:
        raise ValidationError(
            {"decision": _("Choose “Approved” or “Changes requested”.")}, code="bad_decision"
        )
    note = without_nul(note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": _("The note can be at most %(limit)s characters long.")
                % {"limit": NOTE_MAX_LENGTH}
            },
            code="too_long",
        )
    version = VideoVersion.objects.select_for_update().select_related("video").get(pk=version.pk)
    if version.review_state == decision and version.review_note == note:
        return version
    version.review_state = decision
    version.reviewed_by = actor
    version.reviewed_at = timezone.now()
    version.review_note = note
    version.save(update_fields=["review_state", "reviewed_by", "reviewed_at", "review_note"])
    event = record(
        DECISION_EVENTS[decision],
        workspace=video.workspace,
        actor=actor,
        subject=video,
        properties={
            "version": version.number,
            "version_id": version.pk,
            "note": note,
            "title": video.title,
        },
    )
    _notify_decision(version, actor, event_id=event.pk)
    return version


def _notify_decision(version: VideoVersion, actor, *, event_id: int) -> None:
    """The video's creator, the version's author and everyone who commented on it."""
    video = version.video
    interested = {video.created_by_id, version.author_id}
    interested.update(
        Comment.objects.filter(version=version, deleted_at__isnull=True).values_list(
            "author_id", flat=True
        )
    )
    interested.discard(None)
    interested.discard(actor.pk)
    members = Membership.objects.filter(
        team=video.workspace, user_id__in=interested
    ).select_related("user__notification_preference")
    for membership in members:
        notify(
            recipient=membership.user,
            kind=NotificationKind.REVIEW,
            key=f"review:{event_id}",
            workspace=video.workspace,
            actor=actor,
            params={
                "video": video.title,
                "number": version.number,
                "decision": version.review_state,
                "excerpt": version.review_note[:200],
            },
            url=_version_url(version),
        )


def _version_url(version: VideoVersion) -> str:
    from django.urls import reverse

    return reverse("videos:version", args=[version.video_id, version.number])
