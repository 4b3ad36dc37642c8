"""The event log: `record()` is how every app announces what happened, `read()` how a
consumer (webhooks, funnels, experiments, drip campaigns) finds what to react to.

This module imports no other app's code; foreign keys are by string, so every
app may import it without creating a cycle. Every name is an `EventName`; README.md has the
table of each event's subject and properties.

`occurred_at` order is not commit order: a transaction that started earlier can commit
later, so an event can appear "in the past" after a consumer has read past it. A consumer
therefore never remembers "the last timestamp seen"; it keeps its own row per event it
processed, under a unique key (a delivery, a send-log row, a reward), and re-reads a
window that overlaps what it has already seen.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Event, EventSource


class EventName(StrEnum):
    """Every event the product records; the value is what is stored in `Event.name`."""

    # accounts
    USER_SIGNED_UP = "user.signed_up"
    USER_VERIFIED = "user.verified"
    USER_LOGGED_IN = "user.logged_in"
    USER_MARKETING_CONSENT_CHANGED = "user.marketing_consent_changed"
    API_TOKEN_CREATED = "api_token.created"  # noqa: S105 (an event name, not a secret)
    API_TOKEN_REVOKED = "api_token.revoked"  # noqa: S105
    USER_DATA_EXPORT_REQUESTED = "user.data_export_requested"
    USER_DATA_EXPORT_READY = "user.data_export_ready"
    USER_DELETED = "user.deleted"
    # teams
    TEAM_WORKSPACE_CREATED = "team.workspace_created"
    TEAM_WORKSPACE_RENAMED = "team.workspace_renamed"
    TEAM_WORKSPACE_DELETED = "team.workspace_deleted"
    TEAM_OWNERSHIP_TRANSFERRED = "team.ownership_transferred"
    TEAM_ROLE_CHANGED = "team.role_changed"
    TEAM_MEMBER_INVITED = "team.member_invited"
    TEAM_MEMBER_JOINED = "team.member_joined"
    TEAM_MEMBER_REMOVED = "team.member_removed"
    COMMENT_CREATED = "comment.created"
    COMMENT_DELETED = "comment.deleted"
    COMMENT_RESOLVED = "comment.resolved"
    COMMENT_UNRESOLVED = "comment.unresolved"
    # billing
    CHECKOUT_STARTED = "checkout.started"
    INVOICE_CREATED = "invoice.created"
    PAYMENT_SUCCEEDED = "payment.succeeded"
    PAYMENT_FAILED = "payment.failed"
    PAYMENT_REFUNDED = "payment.refunded"
    CREDIT_GRANTED = "credit.granted"
    CREDIT_CLAWED_BACK = "credit.clawed_back"
    PAYMENT_DISPUTED = "payment.disputed"
    SUBSCRIPTION_STARTED = "subscription.started"
    SUBSCRIPTION_SWITCHED = "subscription.switched"
    SUBSCRIPTION_CANCEL_SCHEDULED = "subscription.cancel_scheduled"
    SUBSCRIPTION_RESUMED = "subscription.resumed"
    SUBSCRIPTION_PAST_DUE = "subscription.past_due"
    SUBSCRIPTION_RECOVERED = "subscription.recovered"
    SUBSCRIPTION_ENDED = "subscription.ended"
    # integrations
    INTEGRATION_CONNECTED = "integration.connected"
    INTEGRATION_NEEDS_RECONNECT = "integration.needs_reconnect"
    INTEGRATION_DISCONNECTED = "integration.disconnected"
    WEBHOOK_ENDPOINT_CREATED = "webhook_endpoint.created"
    WEBHOOK_ENDPOINT_UPDATED = "webhook_endpoint.updated"
    WEBHOOK_ENDPOINT_DELETED = "webhook_endpoint.deleted"
    WEBHOOK_SECRET_ROTATED = "webhook_endpoint.secret_rotated"  # noqa: S105 (a name)
    WEBHOOK_ENDPOINT_DISABLED = "webhook_endpoint.disabled"
    WEBHOOK_DELIVERIES_RECOVERED = "webhook_endpoint.deliveries_recovered"
    # videos
    TEMPLATE_USED = "template.used"
    VIDEO_CREATED = "video.created"
    VIDEO_UPDATED = "video.updated"
    VIDEO_DELETED = "video.deleted"
    VIDEO_RENDER_REQUESTED = "video.render_requested"
    VIDEO_BRANDING_REQUESTED = "video.branding_requested"
    VIDEO_RENDERED = "video.rendered"
    VIDEO_BRANDED = "video.branded"
    VIDEO_RENDER_FAILED = "video.render_failed"
    VIDEO_VERSION_CREATED = "video.version_created"
    VIDEO_VERSION_RESTORED = "video.version_restored"
    VIDEO_VERSION_DELETED = "video.version_deleted"
    VIDEO_APPROVED = "video.approved"
    VIDEO_CHANGES_REQUESTED = "video.changes_requested"
    BRAND_KIT_CREATED = "brand_kit.created"
    BRAND_KIT_DELETED = "brand_kit.deleted"
    EXPORT_CREATED = "export.created"
    EXPORT_CANCELLED = "export.cancelled"
    EXPORT_READY = "export.ready"
    EXPORT_FAILED = "export.failed"
    VIDEO_SCHEDULED = "video.scheduled"
    VIDEO_SCHEDULE_CANCELLED = "video.schedule_cancelled"
    VIDEO_RESCHEDULED = "video.rescheduled"
    VIDEO_PUBLISHED = "video.published"
    VIDEO_PUBLISH_FAILED = "video.publish_failed"
    VIDEO_MANUAL_PUBLISH_DUE = "video.manual_publish_due"
    VIDEO_PUBLISH_SKIPPED = "video.publish_skipped"
    SCHEDULE_FINISHED = "schedule.finished"
    # growth.referrals
    REFERRAL_APPLIED = "referral.applied"
    REFERRAL_FLAGGED = "referral.flagged"
    REFERRAL_INVITATION_SENT = "referral.invitation_sent"
    REFERRAL_REWARD_EARNED = "referral.reward_earned"
    REFERRAL_REWARD_APPROVED = "referral.reward_approved"
    REFERRAL_REWARD_REJECTED = "referral.reward_rejected"
    REFERRAL_REWARD_CLAIMED = "referral.reward_claimed"
    REFERRAL_REWARD_REVERSED = "referral.reward_reversed"
    # growth.feedback
    FEATURE_REQUEST_CREATED = "feature_request.created"
    FEATURE_REQUEST_VOTED = "feature_request.voted"
    FEATURE_REQUEST_COMMENTED = "feature_request.commented"
    FEATURE_REQUEST_STATUS_CHANGED = "feature_request.status_changed"
    FEATURE_REQUEST_MERGED = "feature_request.merged"


def _subject_parts(subject: models.Model | None) -> tuple[str, str]:
    if subject is None:
        return "", ""
    return subject._meta.label_lower, str(subject.pk)


def record(
    name: EventName,
    *,
    workspace: models.Model | None = None,
    actor: models.Model | None = None,
    subject: models.Model | None = None,
    properties: dict[str, Any] | None = None,
    occurred_at: datetime.datetime | None = None,
    idempotency_key: str | None = None,
    anonymous_id: str = "",
) -> Event:
    """Write an event inside the caller's transaction.

    With an `idempotency_key`, recording the same event twice returns the
    first row instead of writing a second one.
    """
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    subject_type, subject_id = _subject_parts(subject)
    fields = dict(
        name=name,
        workspace=workspace,
        actor=actor,
        anonymous_id=anonymous_id,
        subject_type=subject_type,
        subject_id=subject_id,
        properties=properties or {},
        occurred_at=occurred_at or timezone.now(),
        idempotency_key=idempotency_key,
    )
    if idempotency_key is None:
        return Event.objects.create(**fields)
    existing = Event.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Event.objects.create(**fields)
    except IntegrityError:
        return Event.objects.get(idempotency_key=idempotency_key)


def read(
    *,
    names: EventName | Iterable[EventName] | None = None,
    since: datetime.datetime | None = None,
    after_id: Any = None,
    workspace_id: int | None = None,
    source: EventSource | None = EventSource.SERVER,
    recorded_since: datetime.datetime | None = None,
) -> QuerySet[Event]:
    """Events in (occurred_at, id) order, for consumers of the log.

    With `recorded_since` the window is by when rows were written (`recorded_at`, inclusive)
    and the order is (recorded_at, id): an event may carry an earlier `occurred_at` (a
    provider's own time) than the moment it reached the log, and a consumer that keeps up
    with the log by windows must see it all the same.

    `names` limits the kinds, `since` is inclusive. Only the server's own events unless
    `source` says otherwise (`EventSource.CLIENT`, or None for both): client events come from
    browsers and integrations through the batch API, and nothing should act on them as if
    the product had recorded them. `after_id` continues a read from the event
    with that id (keyset paging: everything after it in the same order); an unknown id reads
    nothing, so a consumer never mistakes a typo for "start over". Neither bound is a record of
    what was processed (see the module's docstring): slice the result, handle each event
    under a unique key of your own, and read again from a window that overlaps.
    """
    events = Event.objects.all()
    if source is not None:
        events = events.filter(source=source)
    if isinstance(names, str):
        names = [names]  # one name, not its characters
    if names is not None:
        events = events.filter(name__in=[str(name) for name in names])
    if since is not None:
        events = events.filter(occurred_at__gte=since)
    if workspace_id is not None:
        events = events.filter(workspace_id=workspace_id)
    if recorded_since is not None:
        events = events.filter(recorded_at__gte=recorded_since)
    if after_id is not None:
        try:
            anchor = Event.objects.filter(pk=after_id).values_list("occurred_at", flat=True).first()
        except (ValueError, ValidationError):
            anchor = None
        if anchor is None:
            return Event.objects.none()
        events = events.filter(Q(occurred_at__gt=anchor) | Q(occurred_at=anchor, pk__gt=after_id))
    if recorded_since is not None:
        return events.order_by("recorded_at", "pk")
    return events.order_by("occurred_at", "pk")


# -- people: what the log says about someone, and forgetting them (accounts.privacy) ------------

USER_SUBJECT = "accounts.user"
# Properties that name a person by their user id; `mentions` is a list of user ids.
PERSON_ID_KEYS = ("user_id", "from_user_id", "to_user_id", "referrer_id")
# Properties of a workspace's own events that carry its name (a personal workspace is named
# after its person).
WORKSPACE_NAME_KEYS = ("from", "to", "name")


def _naming(user_id: int) -> Q:
    """Events whose subject or properties may name the person: exact on every column, a text
    match on mentions (JSON containment is not portable); `_names_person` decides."""
    naming = Q(subject_type=USER_SUBJECT, subject_id=str(user_id))
    for key in PERSON_ID_KEYS:
        naming |= Q(**{f"properties__{key}": user_id})
    return naming | Q(name=EventName.COMMENT_CREATED, properties__mentions__icontains=str(user_id))


def _names_person(event: Event, user_id: int) -> bool:
    properties = event.properties if isinstance(event.properties, dict) else {}
    mentions = properties.get("mentions")
    return (
        event.actor_id == user_id
        or (event.subject_type == USER_SUBJECT and event.subject_id == str(user_id))
        or any(properties.get(key) == user_id for key in PERSON_ID_KEYS)
        or (isinstance(mentions, list) and user_id in mentions)
    )


def events_about(*, user_id: int) -> Iterator[Event]:
    """Events about a person, oldest first: what they did, what happened to their account, and
    events that name them (a role change, a transfer, a removal, a mention)."""
    events = Event.objects.filter(Q(actor_id=user_id) | _naming(user_id))
    rows = events.order_by("occurred_at", "pk").iterator(chunk_size=2000)
    return (event for event in rows if _names_person(event, user_id))


def _without_person(properties: dict, user_id: int, email: str) -> dict:
    kept = {
        key: value
        for key, value in properties.items()
        if not (key in PERSON_ID_KEYS and value == user_id)
        and not (key == "email" and email and str(value).lower() == email.lower())
    }
    if isinstance(kept.get("mentions"), list):
        kept["mentions"] = [other for other in kept["mentions"] if other != user_id]
    return kept


def _rewrite(events: QuerySet[Event], change: Callable[[Event], bool]) -> int:
    """Apply `change(event)` (True: it changed something) to each event, 500 at a time. The keys
    are read first: SQLite does not isolate a running read from writes to the same table."""
    fields = ["subject_id", "idempotency_key", "properties"]
    pks = list(events.order_by("pk").values_list("pk", flat=True))
    count = 0
    for start in range(0, len(pks), 500):
        batch = [e for e in Event.objects.filter(pk__in=pks[start : start + 500]) if change(e)]
        Event.objects.bulk_update(batch, fields)
        count += len(batch)
    return count


@transaction.atomic
def events_forget_person(*, user_id: int, email: str = "") -> int:
    """Cut every link from the log to a person whose account is being deleted; the events
    stay (counts, funnels, revenue), nobody can tell whose they were. Returns the events changed.

    What they did loses its actor; events about their user row lose the subject's id (and the
    idempotency key, which holds it); their id leaves `user_id`, `from_user_id`, `to_user_id`
    and `mentions`, and an `email` property with their address goes. Run it last, after the
    other apps have recorded what the deletion itself did; running it again changes nothing.
    """
    naming = _naming(user_id)
    if email:
        naming |= Q(properties__email__iexact=email)

    def forget(event: Event) -> bool:
        properties = event.properties if isinstance(event.properties, dict) else {}
        event.properties = _without_person(properties, user_id, email)
        about_them = event.subject_type == USER_SUBJECT and event.subject_id == str(user_id)
        if about_them:
            event.subject_id, event.idempotency_key = "", None
        return about_them or event.properties != properties

    changed = _rewrite(Event.objects.filter(naming), forget)
    return changed + Event.objects.filter(actor_id=user_id).update(actor=None)


@transaction.atomic
def events_forget_workspace_names(*, workspace_ids: Iterable[int]) -> int:
    """A personal workspace is named after its person ("Ana's workspace"): when it is deleted
    with their account, its own events (created, renamed, deleted) lose the name."""
    ids = [int(pk) for pk in workspace_ids]
    if not ids:
        return 0
    own = Q(subject_type="teams.team", subject_id__in=[str(pk) for pk in ids]) | Q(
        name=EventName.TEAM_WORKSPACE_DELETED, properties__workspace_id__in=ids
    )

    def unname(event: Event) -> bool:
        properties = event.properties if isinstance(event.properties, dict) else {}
        event.properties = {k: v for k, v in properties.items() if k not in WORKSPACE_NAME_KEYS}
        return event.properties != properties

    return _rewrite(Event.objects.filter(own), unname)
