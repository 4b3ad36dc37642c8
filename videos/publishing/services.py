"""Schedules: create (validated against every platform's limits), cancel, reschedule, and the
status a schedule derives from its posts."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import EventName, record
from billing import entitlements
from integrations.models import AccountStatus, ConnectedAccount, Platform
from integrations.publishers import Media, PostContent, publisher_for
from integrations.usage import connected_platforms
from teams.permissions import ensure_can

from ..models import Video, VideoStatus, VideoVersion
from .models import (
    CLOSED_POST_STATUSES,
    FINAL_POST_STATUSES,
    PlatformPost,
    PostStatus,
    PublishSchedule,
)

MAX_TITLE = 200
MAX_CAPTION = 5000
# How far ahead a post may be scheduled. The platforms' own schedulers stop at months; a year
# covers any campaign, and keeps every stored time far from the calendar's edges (year 9999
# shown in a time zone east of UTC does not exist).
SCHEDULE_HORIZON = dt.timedelta(days=365)


def _zone(time_zone: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"time_zone": _("Unknown time zone.")}, code="bad_zone") from None


def local_to_utc(value: dt.datetime, time_zone: str) -> dt.datetime:
    """A wall-clock time in `time_zone` → an aware UTC datetime.

    Across a daylight-saving change: a time that happens twice takes the first, and a time
    that doesn't exist (the skipped hour) is refused.
    """
    zone = _zone(time_zone)
    naive = value.replace(tzinfo=None)
    local = naive.replace(tzinfo=zone, fold=0)
    round_trip = local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        raise ValidationError(
            {
                "publish_at": _(
                    "%(time)s does not exist in %(zone)s: the clocks skip it. Pick another time."
                )
                % {"time": naive.strftime("%Y-%m-%d %H:%M"), "zone": time_zone}
            },
            code="nonexistent_time",
        )
    return local.astimezone(dt.UTC)


def media_info(version: VideoVersion) -> Media:
    """What a publisher checks about a version before trying (no file is opened)."""
    return Media(
        open=lambda: version.file.open("rb"),
        size=version.size,
        duration=version.duration,
        width=version.width,
        height=version.height,
    )


def _clean_targets(workspace, version, video, targets: list[dict[str, Any]]) -> list[dict]:
    if not targets:
        raise ValidationError(
            {"platforms": _("Choose at least one platform.")}, code="no_platforms"
        )
    seen, cleaned, problems = set(), [], []
    accounts = {str(a.pk): a for a in ConnectedAccount.objects.filter(workspace=workspace)}
    for target in targets:
        manual = bool(target.get("manual"))
        if manual:
            platform, account = _manual_platform(target), None
        else:
            account = accounts.get(str(target.get("account") or ""))
            platform = target.get("platform") or (account.platform if account else "")
        if not manual and (account is None or account.platform != platform):
            raise ValidationError(
                {"platforms": _("Choose a connected account of this workspace for each platform.")},
                code="bad_account",
            )
        if account is not None and account.status != AccountStatus.ACTIVE:
            raise ValidationError(
                {
                    "platforms": _("%(name)s needs reconnecting before it can publish.")
                    % {"name": account.name}
                },
                code="account_needs_reconnect",
            )
        if platform in seen:
            raise ValidationError(
                {"platforms": _("Each platform can be chosen once per schedule.")},
                code="duplicate_platform",
            )
        seen.add(platform)
        title = (target.get("title") or video.title).strip()[:MAX_TITLE]
        caption = (target.get("caption") or "").strip()[:MAX_CAPTION]
        content = PostContent(title=title, caption=caption)
        problems += publisher_for(platform).problems(media_info(version), content)
        cleaned.append(
            {
                "platform": platform,
                "account": account,
                "manual": manual,
                "title": title,
                "caption": caption,
            }
        )
    if problems:
        raise ValidationError({"platforms": problems}, code="platform_limits")
    return cleaned


def _manual_platform(target: dict[str, Any]) -> str:
    """The platform of a post to publish by hand: any real one, configured or not."""
    platform = target.get("platform") or ""
    if platform not in Platform.values or platform == Platform.SANDBOX:
        raise ValidationError(
            {
                "platforms": _(
                    "Choose YouTube, Instagram, TikTok, Facebook or X to publish by hand."
                )
            },
            code="bad_manual_platform",
        )
    if target.get("account"):
        raise ValidationError(
            {"platforms": _("A post published by hand has no connected account: leave it out.")},
            code="manual_with_account",
        )
    return platform


def check_publish_time(*, publish_at: dt.datetime, now: dt.datetime) -> None:
    """A publish time must be in the future and within SCHEDULE_HORIZON."""
    if publish_at <= now:
        raise ValidationError(
            {"publish_at": _("Pick a time in the future, or publish now.")}, code="in_the_past"
        )
    if publish_at > now + SCHEDULE_HORIZON:
        raise ValidationError(
            {"publish_at": _("Pick a time within a year from now.")}, code="too_far_ahead"
        )


@transaction.atomic
def schedule_create(
    *,
    video: Video,
    actor,
    platforms: list[dict[str, Any]],
    publish_at: dt.datetime | None = None,
    time_zone: str = "UTC",
    now: dt.datetime | None = None,
) -> PublishSchedule:
    """Schedule the video's current version to each chosen account, or publish now
    (`publish_at=None`). `publish_at` is aware (any offset) and must be in the future."""
    workspace = video.workspace
    ensure_can(actor, workspace, "schedule")
    now = now or timezone.now()
    video = (
        Video.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .get(pk=video.pk)
    )
    version = video.current_version
    if video.status != VideoStatus.READY or version is None:
        raise ValidationError(
            _("Only a ready video can be scheduled: render it first."), code="not_ready"
        )
    if publish_at is None:
        publish_at = now
    elif timezone.is_naive(publish_at):
        raise ValidationError(
            {"publish_at": _("Give the time with its time zone.")}, code="naive_time"
        )
    else:
        check_publish_time(publish_at=publish_at, now=now)
    _zone(time_zone)
    targets = _clean_targets(workspace, version, video, platforms)
    # Every connected platform counts, as the billing page shows (integrations.usage); a
    # schedule's targets are among them, so within the limit each schedule is too.
    entitlements.check_not_over(
        workspace, "scheduling_platforms", used=connected_platforms(workspace)
    )
    schedule = PublishSchedule.objects.create(
        workspace=workspace,
        video=video,
        version=version,
        requested_by=actor,
        publish_at=publish_at,
        time_zone=time_zone,
    )
    PlatformPost.objects.bulk_create(
        PlatformPost(
            schedule=schedule,
            platform=target["platform"],
            account=target["account"],
            manual=target["manual"],
            title=target["title"],
            caption=target["caption"],
            next_attempt_at=publish_at,
        )
        for target in targets
    )
    record(
        EventName.VIDEO_SCHEDULED,
        workspace=workspace,
        actor=actor,
        subject=video,
        properties={
            "schedule_id": schedule.pk,
            "publish_at": publish_at.isoformat(),
            "platforms": [t["platform"] for t in targets],
            "manual": [t["platform"] for t in targets if t["manual"]],
            "now": publish_at == now,
        },
    )
    if publish_at == now:
        from .. import tasks

        transaction.on_commit(lambda: tasks.dispatch_due_posts.delay())
    return schedule


def _locked_schedule(schedule: PublishSchedule) -> PublishSchedule:
    return PublishSchedule.objects.select_for_update().get(pk=schedule.pk)


@transaction.atomic
def schedule_cancel(*, schedule: PublishSchedule, actor) -> PublishSchedule:
    """Cancel every post that has not started; one already publishing carries on."""
    ensure_can(actor, schedule.workspace, "schedule")
    schedule = _locked_schedule(schedule)
    cancelled = PlatformPost.objects.filter(schedule=schedule, status=PostStatus.SCHEDULED).update(
        status=PostStatus.CANCELLED, lease=None
    )
    if not cancelled:
        raise ValidationError(
            _("Nothing is left to cancel: publishing has started or finished."),
            code="not_cancellable",
        )
    record(
        EventName.VIDEO_SCHEDULE_CANCELLED,
        workspace=schedule.workspace,
        actor=actor,
        subject=schedule.video,
        properties={"schedule_id": schedule.pk, "posts": cancelled},
    )
    return schedule_refresh_status(schedule=schedule)


@transaction.atomic
def schedule_reschedule(
    *, schedule: PublishSchedule, actor, publish_at: dt.datetime, now: dt.datetime | None = None
) -> PublishSchedule:
    """Move a schedule whose posts have not started to another (future) time."""
    ensure_can(actor, schedule.workspace, "schedule")
    now = now or timezone.now()
    schedule = _locked_schedule(schedule)
    if not schedule.is_changeable(schedule.posts.values_list("status", flat=True)):
        raise ValidationError(
            _("Only a schedule whose posts have not started can be moved."),
            code="not_reschedulable",
        )
    if timezone.is_naive(publish_at):
        raise ValidationError(
            {"publish_at": _("Pick a time in the future, or publish now.")}, code="in_the_past"
        )
    check_publish_time(publish_at=publish_at, now=now)
    schedule.publish_at = publish_at
    schedule.save(update_fields=["publish_at"])
    schedule.posts.update(next_attempt_at=publish_at)
    record(
        EventName.VIDEO_RESCHEDULED,
        workspace=schedule.workspace,
        actor=actor,
        subject=schedule.video,
        properties={"schedule_id": schedule.pk, "publish_at": publish_at.isoformat()},
    )
    return schedule


def schedule_refresh_status(*, schedule: PublishSchedule) -> PublishSchedule:
    """Store the status derived from the posts. Called inside the change's transaction: a
    schedule that just finished records `schedule.finished` in it, and gets its e-mail queued
    (once: `tasks.send_schedule_report` checks `notified_at`)."""
    posts = list(
        PlatformPost.objects.filter(schedule=schedule)
        .order_by("platform")
        .values_list("platform", "status", "remote_url")
    )
    statuses = [status for _platform, status, _url in posts]
    status = schedule.derived_status(statuses)
    finished = all(s in FINAL_POST_STATUSES for s in statuses)
    fields = {"status": status}
    if finished and schedule.finished_at is None:
        fields["finished_at"] = timezone.now()
    PublishSchedule.objects.filter(pk=schedule.pk).update(**fields)
    for name, value in fields.items():
        setattr(schedule, name, value)
    if "finished_at" in fields:
        _record_finished(schedule, posts)
    if (
        finished
        and schedule.notified_at is None
        and any(s not in CLOSED_POST_STATUSES for s in statuses)
    ):
        from .. import tasks

        pk = schedule.pk
        transaction.on_commit(lambda: tasks.send_schedule_report.delay(pk))
    return schedule


def _record_finished(schedule: PublishSchedule, posts: list[tuple[str, str, str]]) -> None:
    """The outbox entry for webhooks (`schedule.published`): every post's outcome, with its
    link when it was published. Once per schedule, however often the last post is settled."""
    record(
        EventName.SCHEDULE_FINISHED,
        workspace=schedule.workspace,
        subject=schedule,
        properties={
            "video_id": schedule.video_id,
            "title": schedule.video.title,
            "status": schedule.status,
            "posts": [
                {"platform": platform, "status": status}
                | ({"url": url} if status == PostStatus.PUBLISHED else {})
                for platform, status, url in posts
            ],
        },
        occurred_at=schedule.finished_at,
        idempotency_key=f"schedule.finished:{schedule.pk}",
    )


def schedule_send_report(*, schedule_id: int) -> bool:
    """E-mail the requester each platform's result and link, exactly once."""
    from ..emails import send_schedule_report

    with transaction.atomic():
        schedule = (
            PublishSchedule.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("requested_by__profile", "video", "workspace")
            .filter(pk=schedule_id, notified_at__isnull=True, finished_at__isnull=False)
            .first()
        )
        if schedule is None or schedule.requested_by is None:
            return False
        posts = list(schedule.posts.select_related("account").order_by("platform"))
        send_schedule_report(schedule=schedule, posts=posts)
        schedule.notified_at = timezone.now()
        schedule.save(update_fields=["notified_at"])
        return True
