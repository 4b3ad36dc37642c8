"""Claim due posts and publish each exactly once.

`claim_due_posts` claims due rows through the lease helper (`videocreator.leases`: SKIP
LOCKED, so racing dispatchers take disjoint sets) and gives each claimed post a new `lease`.
`publish_post` only works on a post whose lease it was given; every saved step re-checks it, so a
worker that lost its post (recovered after a timeout) stops at its next step instead of
racing the new one. Publishers resume from saved progress and check the remote side
before finalizing, so a retry after a crash never posts twice. A post to publish by hand
(`manual`) is claimed the same way, but waits for its requester instead (publishing/manual.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from analytics.events import EventName, record
from integrations import messages
from integrations.http import AUTH, PERMANENT, RATE_LIMIT, Exchange, PlatformError
from integrations.models import AccountStatus
from integrations.publishers import Media, PostContent, Progress, publisher_for
from integrations.services import with_token
from videocreator.leases import Lease

from ..selectors import public_file_url
from .manual import manual_post_notify
from .models import PlatformPost, PostStatus, PublishAttempt, PublishSchedule, ScheduleStatus
from .services import schedule_refresh_status

logger = logging.getLogger(__name__)

MAX_RETRIES = 3
# Waiting on a rate limit or a reconnect doesn't use up retries, but a post gives up this
# long after its publish time.
GIVE_UP_AFTER = dt.timedelta(hours=24)
RECONNECT_WAIT = dt.timedelta(minutes=15)


# A post counts its attempts when it finishes (waiting on a rate limit is none); a recovery
# counts the lost run. MAX_RETRIES retries after the first try.
POST_LEASE = Lease(
    model=PlatformPost,
    waiting={"status": PostStatus.SCHEDULED},
    running={"status": PostStatus.PUBLISHING},
    max_attempts=MAX_RETRIES + 1,
    token_field="lease",  # noqa: S106 - a field name, not a secret
    heartbeat_field="started_at",
    worker_field=None,
    attempt_on_claim=False,
)


class LeaseLost(Exception):
    """Another worker owns the post now (it was recovered after a timeout)."""


# -- claiming ---------------------------------------------------------------------------------


def claim_due_posts(*, now: dt.datetime | None = None, limit: int = 500) -> list[tuple[int, str]]:
    """Claim up to `limit` due posts and queue one publish task each (on commit)."""
    now = now or timezone.now()
    with transaction.atomic():
        posts = POST_LEASE.claim_batch(
            due=Q(next_attempt_at__lte=now),
            order_by=("next_attempt_at", "pk"),
            limit=limit,
            now=now,
        )
        claimed = [(post.pk, str(post.lease)) for post in posts]
        PublishSchedule.objects.filter(
            pk__in={post.schedule_id for post in posts}, status=ScheduleStatus.SCHEDULED
        ).update(status=ScheduleStatus.PUBLISHING)
        if claimed:
            from .. import tasks

            transaction.on_commit(lambda: _queue(tasks.publish_post, claimed))
    return claimed


def _queue(task, claimed: list[tuple[int, str]]) -> None:
    for pk, lease in claimed:
        task.delay(pk, lease)


def recover_stuck_posts(*, now: dt.datetime | None = None) -> int:
    """Posts 'publishing' for longer than PUBLISH_TIMEOUT_SECONDS lost their worker: they
    go back to the queue (counting as an attempt), to resume from their saved progress."""
    now = now or timezone.now()
    with transaction.atomic():
        requeued, failed = POST_LEASE.requeue_stale(
            older_than=dt.timedelta(seconds=settings.PUBLISH_TIMEOUT_SECONDS),
            now=now,
            requeue={"next_attempt_at": now, "last_error": messages.WORKER_LOST},
            fail={"status": PostStatus.FAILED, "last_error": messages.WORKER_LOST},
        )
        schedules = {post.schedule_id for post in failed}
        for schedule in PublishSchedule.objects.filter(pk__in=schedules):
            schedule_refresh_status(schedule=schedule)
    recovered = len(requeued) + len(failed)
    if recovered:
        logger.warning("publishing: recovered %s stuck post(s)", recovered)
    return recovered


# -- publishing -------------------------------------------------------------------------------


def _media_for(post: PlatformPost) -> Media:
    version = post.schedule.version
    key = version.file.name

    return Media(
        open=lambda: default_storage.open(key, "rb"),
        size=version.size,
        duration=version.duration,
        width=version.width,
        height=version.height,
        public_url=lambda: public_file_url(key),
        key=key,
    )


def _save_progress(post: PlatformPost):
    def save(data: dict[str, Any]) -> None:
        # Saving progress is also the heartbeat: a slow upload is not "stuck".
        if not POST_LEASE.heartbeat(post, progress=data):
            raise LeaseLost

    return save


def publish_post(*, post_id: int, lease: str) -> str | None:
    """Publish one claimed post; returns its new status (None if it was not ours)."""
    post = (
        PlatformPost.objects.select_related(
            "account__workspace", "schedule__version", "schedule__video", "schedule__workspace"
        )
        .filter(pk=post_id, lease=lease, status=PostStatus.PUBLISHING)
        .first()
    )
    if post is None:
        return None  # published, cancelled, or recovered and handed to another worker
    if post.manual:
        return _awaiting_by_hand(post)
    exchanges: list[Exchange] = []
    started = time.monotonic()
    attempt_started = timezone.now()
    try:
        published = _attempt(post, exchanges)
    except LeaseLost:
        logger.warning("publishing: post %s was handed to another worker", post.pk)
        return None
    except PlatformError as error:
        return _failed(post, error, exchanges, started, attempt_started)
    return _succeeded(post, published, exchanges, started, attempt_started)


@transaction.atomic
def _awaiting_by_hand(post: PlatformPost) -> str | None:
    """A post to publish by hand is due: instead of a platform's API, its requester is told
    (in the app and by e-mail, each once) and it waits for them to mark it published."""
    if not POST_LEASE.finish(post, status=PostStatus.AWAITING, last_error=""):
        return None
    schedule = post.schedule
    record(
        EventName.VIDEO_MANUAL_PUBLISH_DUE,
        workspace=schedule.workspace,
        subject=schedule.video,
        properties={"platform": post.platform, "schedule_id": schedule.pk, "post_id": post.pk},
        idempotency_key=f"video.manual_publish_due:{post.pk}",
    )
    manual_post_notify(post=post)
    schedule_refresh_status(schedule=schedule)
    return PostStatus.AWAITING


def _attempt(post: PlatformPost, exchanges: list[Exchange]):
    account = post.account
    if post.schedule.version is None:
        raise PlatformError(PERMANENT, messages.VERSION_DELETED)
    if account is None or account.status != AccountStatus.ACTIVE:
        raise PlatformError(AUTH, messages.NEEDS_RECONNECT)
    publisher = publisher_for(post.platform, log=exchanges)
    progress = Progress(dict(post.progress), _save_progress(post))
    content = PostContent(title=post.title, caption=post.caption)
    media = _media_for(post)
    return with_token(
        account,
        lambda token: publisher.publish(
            account=account, token=token, media=media, content=content, progress=progress
        ),
    )


def _log(post, exchanges, started, attempt_started, outcome, error: PlatformError | None):
    PublishAttempt.objects.create(
        post=post,
        number=post.attempts + 1,
        started_at=attempt_started,
        duration_ms=round((time.monotonic() - started) * 1000),
        outcome=outcome,
        requests=[e.summary() for e in exchanges][-50:],
        response_status=(error.status if error else exchanges[-1].status if exchanges else None),
        error=error.message[:4000] if error else "",
    )


@transaction.atomic
def _succeeded(post, published, exchanges, started, attempt_started) -> str | None:
    now = timezone.now()
    finished = POST_LEASE.finish(
        post,
        status=PostStatus.PUBLISHED,
        remote_id=published.remote_id,
        remote_url=published.url,
        published_at=now,
        next_stats_at=now,  # the first statistics poll comes soon after publishing
        last_error="",
        attempts=F("attempts") + 1,
    )
    if not finished:
        return None
    _log(post, exchanges, started, attempt_started, "published", None)
    schedule = post.schedule
    record(
        EventName.VIDEO_PUBLISHED,
        workspace=schedule.workspace,
        subject=schedule.video,
        properties={
            "platform": post.platform,
            "url": published.url,
            "remote_id": published.remote_id,
            "schedule_id": schedule.pk,
            "post_id": post.pk,
            "title": schedule.video.title,
        },
        idempotency_key=f"video.published:{post.pk}",
    )
    schedule_refresh_status(schedule=schedule)
    return PostStatus.PUBLISHED


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4 … times PUBLISH_RETRY_BASE_SECONDS."""
    return dt.timedelta(seconds=settings.PUBLISH_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1))


@transaction.atomic
def _failed(post, error: PlatformError, exchanges, started, attempt_started) -> str | None:
    now = timezone.now()
    attempts = post.attempts + 1
    too_late = now > post.schedule.publish_at + GIVE_UP_AFTER
    if error.kind == PERMANENT or too_late:
        status, next_at, outcome = PostStatus.FAILED, post.next_attempt_at, "failed"
    elif error.kind == RATE_LIMIT:
        status, next_at, outcome = PostStatus.SCHEDULED, error.retry_at or now, "rate_limited"
        attempts -= 1  # waiting for a quota is not a failed try
    elif error.kind == AUTH:
        status, next_at, outcome = PostStatus.SCHEDULED, now + RECONNECT_WAIT, "needs_reconnect"
        attempts -= 1
    elif attempts > MAX_RETRIES:
        status, next_at, outcome = PostStatus.FAILED, post.next_attempt_at, "failed"
    else:
        status, next_at, outcome = PostStatus.SCHEDULED, now + retry_delay(attempts), "retry"
    finished = POST_LEASE.finish(
        post,
        status=status,
        next_attempt_at=next_at,
        attempts=attempts,
        last_error=error.message[:4000],
    )
    if not finished:
        return None
    _log(post, exchanges, started, attempt_started, outcome, error)
    if status == PostStatus.FAILED:
        record(
            EventName.VIDEO_PUBLISH_FAILED,
            workspace=post.schedule.workspace,
            subject=post.schedule.video,
            properties={
                "platform": post.platform,
                "error": error.message[:500],
                "schedule_id": post.schedule_id,
            },
            idempotency_key=f"video.publish_failed:{post.pk}",
        )
        schedule_refresh_status(schedule=post.schedule)
    return status
