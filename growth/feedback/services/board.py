"""Submitting, following, voting and commenting on feature requests.

A request's `vote_score` and `comment_count` change under the request row's lock
(`select_for_update`) in the transaction that changes the vote or comment, so two votes at once
cannot lose one.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from analytics.events import EventName, record

from ..models import (
    COMMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    SOURCE_NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
    Comment,
    FeatureRequest,
    Subscription,
    Vote,
    VoteValue,
)
from .common import (
    clean_text,
    ensure_not_merged,
    ensure_staff,
    lock_request,
    subscribe_quietly,
)

# -- requests ---------------------------------------------------------------------------------


@transaction.atomic
def feature_request_create(
    *, author: User, title: str, description: str = "", category: str = Category.OTHER
) -> FeatureRequest:

    title = clean_text(title, field="title", max_length=TITLE_MAX_LENGTH)
    description = clean_text(
        description, field="description", max_length=DESCRIPTION_MAX_LENGTH, required=False
    )
    if category not in Category.values:
        raise ValidationError({"category": _("Choose a category from the list.")})
    feature_request = FeatureRequest.objects.create(
        title=title, description=description, category=category, author=author
    )
    subscribe_quietly(feature_request=feature_request, user=author)
    record(
        EventName.FEATURE_REQUEST_CREATED,
        actor=author,
        subject=feature_request,
        properties={"category": category},
    )
    return feature_request


@transaction.atomic
def feature_request_subscribe(
    *, feature_request: FeatureRequest, user: User, subscribed: bool
) -> Subscription:
    """Follow (or stop following) a request's status changes."""
    subscription, _created = Subscription.objects.update_or_create(
        request=feature_request, user=user, defaults={"active": subscribed}
    )
    return subscription


# -- votes ------------------------------------------------------------------------------------


@transaction.atomic
def feature_request_vote(
    *,
    feature_request: FeatureRequest,
    user: User,
    value: int,
    on_behalf_of_staff: User | None = None,
    source_note: str = "",
) -> Vote:
    """Vote +1 or −1 (a second vote changes the first; one vote per user per request)."""
    if isinstance(value, bool) or value not in VoteValue.values:
        raise ValidationError({"value": _("A vote is 1 (up) or -1 (down).")}, code="invalid")
    locked = lock_request(feature_request)
    ensure_not_merged(locked)
    vote = Vote.objects.filter(request=locked, user=user).first()
    previous = vote.value if vote is not None else 0
    now = timezone.now()
    if vote is None:
        vote = Vote.objects.create(
            request=locked,
            user=user,
            value=value,
            voted_at=now,
            on_behalf_of_staff=on_behalf_of_staff,
            source_note=source_note,
        )
    elif previous != value or on_behalf_of_staff is not None:
        vote.value, vote.voted_at = value, now
        fields = ["value", "voted_at"]
        if on_behalf_of_staff is not None:
            vote.on_behalf_of_staff, vote.source_note = on_behalf_of_staff, source_note
            fields += ["on_behalf_of_staff", "source_note"]
        vote.save(update_fields=fields)
    if value != previous:
        FeatureRequest.objects.filter(pk=locked.pk).update(
            vote_score=F("vote_score") + (value - previous)
        )
        record(
            EventName.FEATURE_REQUEST_VOTED,
            actor=on_behalf_of_staff or user,
            subject=locked,
            properties={"value": value, "on_behalf": on_behalf_of_staff is not None},
        )
    subscribe_quietly(feature_request=locked, user=user)
    feature_request.vote_score = locked.vote_score + (value - previous)
    return vote


@transaction.atomic
def feature_request_unvote(*, feature_request: FeatureRequest, user: User) -> bool:
    """Take the user's vote back; False when there was none."""
    locked = lock_request(feature_request)
    vote = Vote.objects.filter(request=locked, user=user).first()
    if vote is None:
        return False
    vote.delete()
    FeatureRequest.objects.filter(pk=locked.pk).update(vote_score=F("vote_score") - vote.value)
    feature_request.vote_score = locked.vote_score - vote.value
    record(
        EventName.FEATURE_REQUEST_VOTED,
        actor=user,
        subject=locked,
        properties={"value": 0, "on_behalf": False},
    )
    return True


@transaction.atomic
def feature_request_vote_on_behalf(
    *, feature_request: FeatureRequest, actor: User, email: str, value: int, source_note: str
) -> Vote:
    """Staff add a customer's vote (from a support ticket or a call), found by e-mail."""

    ensure_staff(actor)
    source_note = clean_text(source_note, field="source_note", max_length=SOURCE_NOTE_MAX_LENGTH)
    customer = User.objects.filter(email__iexact=(email or "").strip()).first()
    if customer is None:
        raise ValidationError({"email": _("No user has this e-mail address.")}, code="unknown")
    return feature_request_vote(
        feature_request=feature_request,
        user=customer,
        value=value,
        on_behalf_of_staff=actor,
        source_note=source_note,
    )


# -- comments ---------------------------------------------------------------------------------


def _count_comments(comment: Comment, delta: int) -> None:
    """Change the comment count of the page the comment shows on (its request's, and the
    request it was merged into)."""
    ids = [comment.request_id]
    target = FeatureRequest.objects.filter(pk=comment.request_id).values_list(
        "merged_into_id", flat=True
    )[0]
    if target is not None:
        ids.append(target)
    FeatureRequest.objects.filter(pk__in=ids).update(comment_count=F("comment_count") + delta)


@transaction.atomic
def feature_request_comment(*, feature_request: FeatureRequest, author: User, body: str) -> Comment:

    body = clean_text(body, field="body", max_length=COMMENT_MAX_LENGTH)
    locked = lock_request(feature_request)
    ensure_not_merged(locked)
    comment = Comment.objects.create(request=locked, author=author, body=body)
    FeatureRequest.objects.filter(pk=locked.pk).update(comment_count=F("comment_count") + 1)
    subscribe_quietly(feature_request=locked, user=author)
    record(
        EventName.FEATURE_REQUEST_COMMENTED,
        actor=author,
        subject=locked,
        properties={"comment_id": comment.pk},
    )
    return comment


def _ensure_author(comment: Comment, actor: User) -> None:
    if comment.author_id != actor.pk:
        raise PermissionDenied


@transaction.atomic
def comment_edit(*, comment: Comment, actor: User, body: str) -> Comment:

    _ensure_author(comment, actor)
    comment.body = clean_text(body, field="body", max_length=COMMENT_MAX_LENGTH)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor: User) -> None:
    _ensure_author(comment, actor)
    locked = Comment.objects.select_for_update().filter(pk=comment.pk).first()
    if locked is None:
        return
    if locked.hidden_at is None:
        _count_comments(locked, -1)
    locked.delete()


@transaction.atomic
def comment_hide(*, comment: Comment, actor: User, hidden: bool = True) -> Comment:
    """Staff hide a comment from everyone but staff (or show it again)."""
    ensure_staff(actor)
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.is_hidden == hidden:
        return locked
    locked.hidden_at = timezone.now() if hidden else None
    locked.hidden_by = actor if hidden else None
    locked.save(update_fields=["hidden_at", "hidden_by"])
    _count_comments(locked, -1 if hidden else 1)
    return locked
