"""Staff's writes: a request's status (and its e-mails), merging a duplicate, RICE values."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from analytics.events import EventName, record

from ..models import (
    NOTE_MAX_LENGTH,
    SETTABLE_STATUSES,
    FeatureRequest,
    StatusChange,
    StatusEmail,
    Subscription,
    Vote,
)
from ..models import Status as RequestStatus
from .common import clean_text, ensure_not_merged, ensure_staff, lock_request

# -- status, merge, RICE -----------------------------------------------------------------


@transaction.atomic
def feature_request_set_status(
    *, feature_request: FeatureRequest, actor: User, status: str, note: str = ""
) -> StatusChange | None:
    """Set the status with an optional public note. A real change is recorded and its
    subscribers (not the actor) get one e-mail each, queued once the change commits; the
    same status again only updates the note and sends nothing."""
    from .. import tasks

    ensure_staff(actor)
    if status not in SETTABLE_STATUSES:
        raise ValidationError({"status": _("Choose a status from the list.")}, code="invalid")
    note = clean_text(note, field="note", max_length=NOTE_MAX_LENGTH, required=False)
    locked = lock_request(feature_request)
    ensure_not_merged(locked)
    if locked.status == status:
        if note != locked.status_note:
            FeatureRequest.objects.filter(pk=locked.pk).update(status_note=note)
            feature_request.status_note = note
        return None
    now = timezone.now()
    change = StatusChange.objects.create(
        request=locked, from_status=locked.status, to_status=status, note=note, actor=actor
    )
    fields = {"status": status, "status_note": note, "status_changed_at": now}
    if status == RequestStatus.SHIPPED:
        fields["shipped_at"] = now
    FeatureRequest.objects.filter(pk=locked.pk).update(**fields)
    for name, value in fields.items():
        setattr(feature_request, name, value)
    record(
        EventName.FEATURE_REQUEST_STATUS_CHANGED,
        actor=actor,
        subject=locked,
        properties={"from": change.from_status, "to": status, "note": note},
    )
    # The send log is written with the change, so a lost task leaves rows the sweep finds.
    status_emails_prepare(change_id=change.pk)
    transaction.on_commit(lambda: tasks.send_status_emails.delay(change.pk))
    return change


@transaction.atomic
def feature_request_merge(
    *, duplicate: FeatureRequest, target: FeatureRequest, actor: User
) -> FeatureRequest:
    """Merge a duplicate into `target`: each of its voters' votes moves there unless they
    voted on the target already (their vote there stays, one vote per user), its comments
    show on the target's page, its voters, commenters and followers follow the target, and it
    points at the target (requests merged into it before now point there too)."""
    ensure_staff(actor)
    if duplicate.pk == target.pk:
        raise ValidationError({"target": _("A request cannot be merged into itself.")})
    first, second = sorted([duplicate.pk, target.pk])
    locked = {
        r.pk: r for r in FeatureRequest.objects.select_for_update().filter(pk__in=[first, second])
    }
    dup, into = locked[duplicate.pk], locked[target.pk]
    ensure_not_merged(dup)
    if into.merged_into_id is not None:
        raise ValidationError(
            {
                "target": _("That request was itself merged; merge into #%(id)s instead.")
                % {"id": into.merged_into_id}
            }
        )
    already = set(Vote.objects.filter(request=into).values_list("user_id", flat=True))
    voters = set(Vote.objects.filter(request=dup).values_list("user_id", flat=True))
    moving = Vote.objects.filter(request=dup).exclude(user_id__in=already)
    moved_score = sum(moving.values_list("value", flat=True))
    moved = moving.update(request=into)
    Vote.objects.filter(request=dup).delete()  # the voters' second votes: the target keeps one
    followers = set(
        Subscription.objects.filter(request=dup, active=True).values_list("user_id", flat=True)
    )
    followers |= voters
    known = set(Subscription.objects.filter(request=into).values_list("user_id", flat=True))
    Subscription.objects.bulk_create(
        [Subscription(request=into, user_id=pk) for pk in sorted(followers - known)]
    )
    visible = dup.comment_count
    FeatureRequest.objects.filter(merged_into=dup).update(merged_into=into)
    FeatureRequest.objects.filter(pk=into.pk).update(
        vote_score=F("vote_score") + moved_score, comment_count=F("comment_count") + visible
    )
    now = timezone.now()
    StatusChange.objects.create(
        request=dup, from_status=dup.status, to_status=RequestStatus.MERGED, actor=actor
    )
    FeatureRequest.objects.filter(pk=dup.pk).update(
        status=RequestStatus.MERGED, merged_into=into, vote_score=0, status_changed_at=now
    )
    record(
        EventName.FEATURE_REQUEST_MERGED,
        actor=actor,
        subject=dup,
        properties={"into": into.pk, "votes_moved": moved},
    )
    into.refresh_from_db()
    return into


@transaction.atomic
def feature_request_set_rice(
    *,
    feature_request: FeatureRequest,
    actor: User,
    impact: int | None,
    confidence: Decimal | None,
    effort: int | None,
) -> FeatureRequest:
    """Set Impact (1–10), Confidence (0–1; empty: the default) and Effort (1–10)."""
    ensure_staff(actor)
    errors = {}
    if impact is not None and not 1 <= impact <= 10:
        errors["impact"] = _("Impact is a whole number from 1 to 10.")
    if effort is not None and not 1 <= effort <= 10:
        errors["effort"] = _("Effort is a whole number from 1 to 10.")
    if confidence is not None and not Decimal("0") <= confidence <= Decimal("1"):
        errors["confidence"] = _("Confidence is a number from 0 to 1.")
    if errors:
        raise ValidationError(errors)
    FeatureRequest.objects.filter(pk=feature_request.pk).update(
        impact=impact, confidence=confidence, effort=effort
    )
    feature_request.impact, feature_request.confidence = impact, confidence
    feature_request.effort = effort
    return feature_request


def status_emails_prepare(*, change_id: int) -> list[int]:
    """The send log of a status change: one row per follower at the time of the change but
    the actor (unique per change and recipient, so a second run adds none); the ids of rows
    not yet sent."""

    change = StatusChange.objects.filter(pk=change_id).first()
    if change is None:
        return []
    recipients = (
        Subscription.objects.filter(request_id=change.request_id, active=True)
        .exclude(user_id=change.actor_id)
        .values_list("user_id", flat=True)
    )
    StatusEmail.objects.bulk_create(
        [StatusEmail(change=change, user_id=pk) for pk in recipients], ignore_conflicts=True
    )
    return list(
        StatusEmail.objects.filter(change=change, emailed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
