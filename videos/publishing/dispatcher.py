"""Claim due posts and publish each exactly once.

`claim_due_posts` locks due rows with `select_for_update(skip_locked=True)`, so racing
dispatchers take disjoint sets, and gives each claimed post a new `lease`. `publish_post`
only works on a post whose lease it was given; every saved step re-checks the lease, so a
worker that lost its post (recovered after a timeout) stops at its next step instead of
racing the new one. Publishers resume from saved progress and check the remote side
before finalizing, so a retry after a crash never posts twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from analytics.events import EventName, record
from integrations import messages
from integrations.http import AUTH, PERMANENT, RATE_LIMIT, Exchange, PlatformError
from integrations.models import AccountStatus
from integrations.publishers import Media, PostContent, Progress, publisher_for
from integrations.services import with_token

from ..selectors import public_file_url
from .models import PlatformPost, PostStatus, PublishAttempt, PublishSchedule, ScheduleStatus
from .services import schedule_refresh_status

logger = logging.getLogger(__name__)

MAX_RETRIES = 3
# Waiting on a rate limit or a reconnect doesn't use up retries, but a post gives up this
# long after its publish time.
GIVE_UP_AFTER = dt.timedelta(hours=24)
RECONNECT_WAIT = dt.timedelta(minutes=15)


class LeaseLost(Exception):
    """Another worker owns the post now (it was recovered after a timeout)."""


# -- claiming ---------------------------------------------------------------------------------


def claim_due_posts(*, now: dt.datetime | None = None, limit: int = 500) -> list[tuple[int, str]]:
    """Claim up to `limit` due posts and queue one publish task each (on commit)."""
    now = now or timezone.now()
    with transaction.atomic():
        posts = list(
            PlatformPost.objects.select_for_update(skip_locked=True)
            .filter(status=PostStatus.SCHEDULED, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .only("pk", "schedule_id")[:limit]
        )
        claimed = []
        for post in posts:
            post.status = PostStatus.PUBLISHING
            post.started_at = now
            post.lease = uuid.uuid4()
            claimed.append((post.pk, str(post.lease)))
        PlatformPost.objects.bulk_update(posts, ["status", "started_at", "lease"], batch_size=500)
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
    cutoff = now - dt.timedelta(seconds=settings.PUBLISH_TIMEOUT_SECONDS)
    recovered = 0
    with transaction.atomic():
        stuck = list(
            PlatformPost.objects.select_for_update(skip_locked=True).filter(
                status=PostStatus.PUBLISHING, started_at__lt=cutoff
            )
        )
        for post in stuck:
            post.attempts += 1
            post.lease = None
            post.last_error = messages.WORKER_LOST
            if post.attempts > MAX_RETRIES:
                post.status = PostStatus.FAILED
            else:
                post.status = PostStatus.SCHEDULED
                post.next_attempt_at = now
            recovered += 1
        PlatformPost.objects.bulk_update(
            stuck, ["attempts", "lease", "last_error", "status", "next_attempt_at"]
        )
        failed = {post.schedule_id for post in stuck if post.status == PostStatus.FAILED}
        for schedule in PublishSchedule.objects.filter(pk__in=failed):
            schedule_refresh_status(schedule=schedule)
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
    )


def _save_progress(post: PlatformPost, lease: str):
    def save(data: dict[str, Any]) -> None:
        # Saving progress is also the heartbeat: a slow upload is not "stuck".
        updated = PlatformPost.objects.filter(
            pk=post.pk, lease=lease, status=PostStatus.PUBLISHING
        ).update(progress=data, started_at=timezone.now())
        if not updated:
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
    exchanges: list[Exchange] = []
    started = time.monotonic()
    attempt_started = timezone.now()
    try:
        published = _attempt(post, lease, exchanges)
    except LeaseLost:
        logger.warning("publishing: post %s was handed to another worker", post.pk)
        return None
    except PlatformError as error:
        return _failed(post, lease, error, exchanges, started, attempt_started)
    return _succeeded(post, lease, published, exchanges, started, attempt_started)


def _attempt(post: PlatformPost, lease: str, exchanges: list[Exchange]):
    account = post.account
    if post.schedule.version is None:
        raise PlatformError(PERMANENT, messages.VERSION_DELETED)
    if account is None or account.status != AccountStatus.ACTIVE:
        raise PlatformError(AUTH, messages.NEEDS_RECONNECT)
    publisher = publisher_for(post.platform, log=exchanges)
    progress = Progress(dict(post.progress), _save_progress(post, lease))
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
def _succeeded(post, lease, published, exchanges, started, attempt_started) -> str | None:
    now = timezone.now()
    updated = PlatformPost.objects.filter(pk=post.pk, lease=lease).update(
        status=PostStatus.PUBLISHED,
        remote_id=published.remote_id,
        remote_url=published.url,
        published_at=now,
        last_error="",
        lease=None,
        attempts=F("attempts") + 1,
    )
    if not updated:
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
        },
        idempotency_key=f"video.published:{post.pk}",
    )
    schedule_refresh_status(schedule=schedule)
    return PostStatus.PUBLISHED


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4 … times PUBLISH_RETRY_BASE_SECONDS."""
    return dt.timedelta(seconds=settings.PUBLISH_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1))


@transaction.atomic
def _failed(post, lease, error: PlatformError, exchanges, started, attempt_started) -> str | None:
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
    updated = PlatformPost.objects.filter(pk=post.pk, lease=lease).update(
        status=status,
        next_attempt_at=next_at,
        attempts=attempts,
        last_error=error.message[:4000],
        lease=None,
    )
    if not updated:
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
