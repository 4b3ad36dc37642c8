"""Posts published by hand, for any platform (configured here or not): when one is due its
requester is told, in the app and by one e-mail with the download link and the caption; they
mark it published with its link, or skip it.

The dispatcher claims a manual post like any other and calls `manual_post_notify` instead of
a publisher; the notification has a unique key and the e-mail goes through `send_once`, so a
second dispatcher run or a retried task tells nobody twice.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import send_once
from analytics.events import EventName, record
from integrations.models import Platform
from teams.models import NotificationKind
from teams.permissions import ensure_can
from teams.selectors import wants_email
from teams.services.notifications import notify

from .models import PlatformPost, PostStatus
from .services import schedule_refresh_status

MAX_URL = 500
MAX_NOTE = 500


def manual_post_notify(*, post: PlatformPost) -> None:
    """Tell the requester a post is theirs to publish now: a notification, and the e-mail
    queued on commit (sent once)."""
    schedule = post.schedule
    if schedule.requested_by is None:
        return  # the requester's account is gone: the post waits on the calendar
    notify(
        recipient=schedule.requested_by,
        kind=NotificationKind.PUBLISHING,
        key=f"manual-post:{post.pk}",
        workspace=schedule.workspace,
        params={"video": schedule.video.title, "platform": Platform(post.platform).label},
        url=reverse("videos:post_detail", args=[schedule.pk, post.pk]),
        email=False,  # it has an e-mail of its own, with the download link and the caption
    )
    from .. import tasks

    pk = post.pk
    transaction.on_commit(lambda: tasks.send_manual_post_email.delay(pk))


def manual_posts_to_email():
    """Posts waiting to be published by hand whose requester can be e-mailed."""
    return (
        PlatformPost.objects.select_related(
            "schedule__requested_by__profile", "schedule__video", "schedule__workspace"
        )
        .filter(manual=True, status=PostStatus.AWAITING, schedule__requested_by__isnull=False)
        .exclude(schedule__requested_by__email="")
    )


def manual_post_send_email(*, post_id: int) -> bool:
    """The e-mail for a post due to be published by hand, at most once (`send_once`); a
    requester who turned these e-mails off gets none (and none is tried again)."""
    from ..emails import send_manual_post_due

    def send(post: PlatformPost) -> None:
        if wants_email(post.schedule.requested_by, NotificationKind.PUBLISHING):
            send_manual_post_due(post=post)

    return send_once(manual_posts_to_email(), post_id, send)


def clean_post_url(url: object) -> str:
    """The link of a post published by hand: http(s), at most MAX_URL characters."""
    text = url.strip() if isinstance(url, str) else ""
    try:
        if not text or len(text) > MAX_URL or "\x00" in text:
            raise ValidationError("")
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise ValidationError(
            {"url": _("Enter the post's link, starting with https:// (at most 500 characters).")},
            code="bad_url",
        ) from None
    return text


def _awaiting(post: PlatformPost) -> PlatformPost:
    locked = (
        PlatformPost.objects.select_for_update()
        .filter(pk=post.pk, status=PostStatus.AWAITING)
        .first()
    )
    if locked is None:
        raise ValidationError(
            _("Only a post waiting to be published by hand can be marked published or skipped."),
            code="not_awaiting",
        )
    return locked


@transaction.atomic
def post_mark_published(*, post: PlatformPost, actor, url: object) -> PlatformPost:
    """The post was published by hand at `url`: it counts as published, like any other."""
    schedule = post.schedule
    ensure_can(actor, schedule.workspace, "schedule")
    url = clean_post_url(url)
    locked = _awaiting(post)
    locked.status, locked.remote_url = PostStatus.PUBLISHED, url
    locked.published_at, locked.last_error = timezone.now(), ""
    locked.next_stats_at = locked.published_at  # polled once it has an id and an account
    locked.save(
        update_fields=["status", "remote_url", "published_at", "last_error", "next_stats_at"]
    )
    record(
        EventName.VIDEO_PUBLISHED,
        workspace=schedule.workspace,
        actor=actor,
        subject=schedule.video,
        properties={
            "platform": locked.platform,
            "url": url,
            "remote_id": "",
            "schedule_id": schedule.pk,
            "post_id": locked.pk,
            "manual": True,
            "title": schedule.video.title,
        },
        idempotency_key=f"video.published:{locked.pk}",
    )
    schedule_refresh_status(schedule=schedule)
    return locked


@transaction.atomic
def post_skip(*, post: PlatformPost, actor, note: object = "") -> PlatformPost:
    """The post will not be published (it could not be, or is no longer wanted)."""
    schedule = post.schedule
    ensure_can(actor, schedule.workspace, "schedule")
    note = note.replace("\x00", "").strip()[:MAX_NOTE] if isinstance(note, str) else ""
    locked = _awaiting(post)
    locked.status = PostStatus.SKIPPED
    locked.last_error = note  # the requester's own words, shown as typed
    locked.save(update_fields=["status", "last_error"])
    record(
        EventName.VIDEO_PUBLISH_SKIPPED,
        workspace=schedule.workspace,
        actor=actor,
        subject=schedule.video,
        properties={"platform": locked.platform, "schedule_id": schedule.pk, "post_id": locked.pk},
    )
    schedule_refresh_status(schedule=schedule)
    return locked
