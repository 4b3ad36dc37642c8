"""Render and branding jobs: queued, claimed by exactly one worker, produced, stored."""

from __future__ import annotations

import logging
import tempfile
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import EventName, record
from billing import entitlements
from teams.permissions import ensure_can
from videocreator.leases import Lease
from videos import storage
from videos.fields import FILE_TYPES
from videos.models import (
    BrandKit,
    RenderJob,
    RenderJobKind,
    RenderJobStatus,
    VersionKind,
    Video,
    VideoStatus,
)
from videos.usage import render_minutes_used

from .editing import check_resolution, check_template_allowed
from .versions import version_create

if TYPE_CHECKING:
    from videos.rendering import MediaInfo

logger = logging.getLogger(__name__)

RENDER_TIMEOUT_SECONDS = getattr(settings, "RENDER_TIMEOUT_SECONDS", 30 * 60)
MAX_RENDER_ATTEMPTS = 3
PROGRESS_WRITE_INTERVAL = 1.0


def _queue(video: Video, *, kind: str, actor, brand_kit: BrandKit | None = None) -> RenderJob:
    if RenderJob.objects.filter(
        video=video, status__in=[RenderJobStatus.QUEUED, RenderJobStatus.RUNNING]
    ).exists():
        raise ValidationError(_("This video is already being rendered."))
    job = RenderJob.objects.create(video=video, kind=kind, requested_by=actor, brand_kit=brand_kit)
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.QUEUED, progress=0, error_code="", error_detail=""
    )
    from videos import tasks

    transaction.on_commit(lambda: tasks.run_render_job.delay(str(job.pk)))
    return job


def kit_for_render(video: Video) -> BrandKit | None:
    """The kit a new render of `video` carries: the one on its current file (so rendering
    again keeps the branding), else the workspace's default kit."""
    return video.brand_kit or _default_kit(video.workspace_id)


def deleted_brand_kit_name(video: Video) -> str:
    """The name of the kit on the video's current version when that kit has been deleted
    since ("" otherwise): a new render cannot carry it, and says so."""
    version = video.current_version
    if video.brand_kit_id is not None or version is None:
        return ""
    return version.brand_kit_name


@transaction.atomic
def video_render(*, video: Video, actor) -> RenderJob:
    ensure_can(actor, video.workspace, "render")
    video = (
        Video.objects.select_for_update(of=("self",))
        .select_related("template", "workspace")
        .get(pk=video.pk)
    )
    check_template_allowed(video.workspace, video.template)
    check_resolution(video.workspace, video.resolution)
    # Counted as the billing page shows it (videos.usage): a render starts while minutes are left.
    entitlements.check_not_used_up(
        video.workspace, "render_minutes_per_month", used=render_minutes_used(video.workspace)
    )
    kit = kit_for_render(video)
    job = _queue(video, kind=RenderJobKind.RENDER, actor=actor, brand_kit=kit)
    record(
        EventName.VIDEO_RENDER_REQUESTED,
        workspace=video.workspace,
        actor=actor,
        subject=video,
        properties={
            "job": str(job.pk),
            "resolution": video.resolution,
            "brand_kit": kit.pk if kit else None,
        },
    )
    return job


@transaction.atomic
def video_apply_branding(*, video: Video, brand_kit: BrandKit, actor) -> RenderJob:
    ensure_can(actor, video.workspace, "brand")
    video = Video.objects.select_for_update().get(pk=video.pk)
    if brand_kit.workspace_id != video.workspace_id:
        raise ValidationError(_("Choose a brand kit of this workspace."))
    if video.status != VideoStatus.READY or not video.file:
        raise ValidationError(_("Render the video before applying branding."))
    job = _queue(video, kind=RenderJobKind.BRANDING, actor=actor, brand_kit=brand_kit)
    record(
        EventName.VIDEO_BRANDING_REQUESTED,
        workspace=video.workspace,
        actor=actor,
        subject=video,
        properties={"brand_kit": brand_kit.pk},
    )
    return job


# -- the render job -------------------------------------------------------------------------

RENDER_LEASE = Lease(
    model=RenderJob,
    waiting={"status": RenderJobStatus.QUEUED},
    running={"status": RenderJobStatus.RUNNING},
    max_attempts=MAX_RENDER_ATTEMPTS,
)


def render_job_claim(*, job_id: str) -> RenderJob | None:
    """Take a queued job for this worker (with a fresh lease token), or None if another
    worker has it (or it is done)."""
    with transaction.atomic():
        job = RENDER_LEASE.claim(
            job_id,
            queryset=RenderJob.objects.select_related(
                "video__template", "video__workspace", "brand_kit"
            ),
            started_at=timezone.now(),
        )
        if job is not None:
            Video.objects.filter(pk=job.video_id).update(status=VideoStatus.RENDERING, progress=0)
        return job


class _Progress:
    """Writes progress and the job's heartbeat at most once a second."""

    def __init__(self, job: RenderJob, start: int = 0, span: int = 100) -> None:
        self.job, self.start, self.span, self.last = job, start, span, 0.0

    def __call__(self, percent: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_WRITE_INTERVAL and percent < 100:
            return
        self.last = now
        value = min(99, self.start + self.span * max(0, min(100, percent)) // 100)
        Video.objects.filter(pk=self.job.video_id).update(progress=value)
        RENDER_LEASE.heartbeat(self.job)


def _default_kit(workspace_id: int) -> BrandKit | None:
    return BrandKit.objects.filter(workspace_id=workspace_id, is_default=True).first()


def _resolved_fields(video: Video, scratch: str) -> dict[str, Any]:
    values = dict(video.fields)
    for field in video.template.fields:
        name = field["name"]
        if field["type"] in FILE_TYPES:
            key = values.get(name)
            values[name] = storage.download(key, scratch) if key else None
    return values


def _produce(job: RenderJob, scratch: str) -> tuple[str, str, BrandKit | None, MediaInfo]:
    """Make the new file (and thumbnail) locally; returns their paths, the kit applied and what
    the producer (render or watermark) says about the written file."""
    from pathlib import Path

    from videos import branding
    from videos.rendering import (
        RenderError,
        RenderRequest,
        output_size,
        probe,
        render,
        thumbnail_time,
    )

    video = job.video
    output = str(Path(scratch) / "output.mp4")
    thumbnail = str(Path(scratch) / "thumbnail.jpg")
    # A render keeps the kit it was asked with (a kit deleted since: the video's, or the
    # default one); a branding applies its own.
    kit = job.brand_kit
    if job.kind == RenderJobKind.RENDER and kit is None:
        kit = kit_for_render(video)
    if job.kind == RenderJobKind.RENDER:
        width, height = output_size(video.template.aspect_ratio, video.resolution)
        rendered = str(Path(scratch) / "rendered.mp4") if kit else output
        info = render(
            RenderRequest(
                spec=video.template.spec,
                fields=_resolved_fields(video, scratch),
                duration=float(video.duration_seconds),
                width=width,
                height=height,
                fps=30,
                output_path=rendered,
                thumbnail_path=thumbnail,
                source_clip=storage.download(video.source_clip.name, scratch)
                if video.source_clip
                else None,
                work_dir=scratch,
            ),
            on_progress=_Progress(job, 0, 85 if kit else 100),
            timeout=RENDER_TIMEOUT_SECONDS,
        )
        source = rendered
    else:
        if kit is None:
            raise RenderError("bad_input", "the brand kit was deleted before it was applied")
        source = storage.download(video.file.name, scratch)
    if kit is not None:
        logo = storage.download(kit.logo.name, scratch)
        source_info = probe(source, checksum=False)
        info = branding.apply_watermark(
            source,
            logo,
            output,
            position=kit.position,
            opacity=kit.opacity,
            scale=kit.scale,
            margin=kit.margin,
            # The thumbnail is taken from the branded file: it shows the logo, and a branded
            # version never shares its parent's thumbnail.
            thumbnail_path=thumbnail,
            thumbnail_at=thumbnail_time(video.template.spec, source_info.duration, source_info.fps),
            safe_area=branding.safe_area_of(video.template.spec),
            on_progress=_Progress(
                job,
                85 if job.kind == RenderJobKind.RENDER else 0,
                15 if job.kind == RenderJobKind.RENDER else 100,
            ),
            timeout=RENDER_TIMEOUT_SECONDS,
        )
    return output, thumbnail, kit, info


def render_job_run(*, job_id: str) -> None:
    """The task body: claim the job, produce the file, store it under a new key, finish."""
    from videos.rendering import RenderError

    job = render_job_claim(job_id=job_id)
    if job is None:
        return
    started = time.monotonic()
    video = job.video
    with tempfile.TemporaryDirectory(prefix="render-") as scratch:
        try:
            output, thumbnail, kit, info = _produce(job, scratch)
            file_key = storage.save_path(output, workspace_id=video.workspace_id, kind="renders")
            thumb_key = storage.save_path(
                thumbnail, workspace_id=video.workspace_id, kind="thumbnails"
            )
        except RenderError as error:
            logger.warning("render %s failed: %s %s", job_id, error.code, error.detail)
            _finish_failed(job, error.code, error.detail)
            return
        except OSError as error:
            logger.exception("render %s could not store its output", job_id)
            _finish_failed(job, "storage", str(error))
            return
    render_job_finish(
        job=job,
        info=info,
        file_key=file_key,
        thumb_key=thumb_key,
        kit=kit,
        seconds=time.monotonic() - started,
    )


@transaction.atomic
def render_job_finish(
    *,
    job: RenderJob,
    info: MediaInfo,
    file_key: str,
    thumb_key: str,
    kit: BrandKit | None,
    seconds: float,
) -> bool:
    """Make the stored output the video's new version, if `job` (as claimed) still holds its
    lease; False, and the output deleted, when the job was requeued and taken meanwhile."""
    now = timezone.now()
    if not RENDER_LEASE.finish(job, status=RenderJobStatus.DONE, finished_at=now, seconds=seconds):
        # The other run owns the result; drop ours (the file and its own thumbnail).
        transaction.on_commit(lambda: storage.delete_quietly(file_key, thumb_key))
        return False
    video = (
        Video.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .get(pk=job.video_id)
    )
    brand_kit = (
        kit
        if kit is not None
        else (video.brand_kit if job.kind == RenderJobKind.BRANDING else None)
    )
    kit_name = brand_kit.name if brand_kit is not None else ""
    if brand_kit is not None and not BrandKit.objects.filter(pk=brand_kit.pk).exists():
        brand_kit = None  # deleted while the job ran: the file carries it, the video cannot
    # A render could not carry the kit of the version before it: that kit was deleted.
    kit_deleted = deleted_brand_kit_name(video) if job.kind == RenderJobKind.RENDER else ""
    # Every output is a new version; version_create points the video at it and copies the
    # file's metadata (file, thumbnail, size, duration…) onto the video.
    version = version_create(
        video=video,
        kind=VersionKind.BRANDING if job.kind == RenderJobKind.BRANDING else VersionKind.RENDER,
        file_key=file_key,
        thumbnail_key=thumb_key,
        info=info,
        author=job.requested_by,
        brand_kit=brand_kit,
        brand_kit_name=kit_name,
        kit_deleted="" if kit_deleted == kit_name else kit_deleted,
    )
    video = version.video
    video.rendered_at = now
    video.save(update_fields=["rendered_at", "updated_at"])
    name = EventName.VIDEO_RENDERED if job.kind == RenderJobKind.RENDER else EventName.VIDEO_BRANDED
    record(
        name,
        workspace=video.workspace,
        actor=job.requested_by,
        subject=video,
        properties={
            "job": str(job.pk),
            "seconds": round(seconds, 2),
            "size": info.size,
            "duration": info.duration,
            "width": info.width,
            "height": info.height,
            "brand_kit": kit.pk if kit else None,
            "version": version.number,
            "title": video.title,
        },
        idempotency_key=f"{name}:{job.pk}",
    )
    return True


@transaction.atomic
def _finish_failed(job: RenderJob, code: str, detail: str) -> None:
    failed = {"status": RenderJobStatus.FAILED, "finished_at": timezone.now(), "error_code": code}
    if not RENDER_LEASE.finish(job, **failed):
        return
    video = Video.objects.select_for_update().get(pk=job.video_id)
    # A failed branding keeps the video's current (good) file; only a render failure fails it.
    video.status = (
        VideoStatus.FAILED
        if job.kind == RenderJobKind.RENDER or not video.file
        else VideoStatus.READY
    )
    video.error_code, video.error_detail, video.progress = code, detail[:2000], 0
    video.save(update_fields=["status", "error_code", "error_detail", "progress", "updated_at"])
    record(
        EventName.VIDEO_RENDER_FAILED,
        workspace=video.workspace,
        actor=job.requested_by,
        subject=video,
        properties={"job": str(job.pk), "code": code, "kind": job.kind},
        idempotency_key=f"video.render_failed:{job.pk}",
    )


def requeue_stuck_jobs(*, older_than: timedelta | None = None) -> int:
    """Jobs whose worker stopped reporting are queued again (or failed after 3 attempts)."""
    from videos import tasks

    with transaction.atomic():
        requeued, failed = RENDER_LEASE.requeue_stale(
            older_than=older_than or timedelta(seconds=RENDER_TIMEOUT_SECONDS),
            fail={
                "status": RenderJobStatus.FAILED,
                "error_code": "attempts",
                "finished_at": timezone.now(),
            },
        )
        Video.objects.filter(pk__in=[job.video_id for job in failed]).update(
            status=VideoStatus.FAILED, error_code="attempts", progress=0
        )
        Video.objects.filter(pk__in=[job.video_id for job in requeued]).update(
            status=VideoStatus.QUEUED, progress=0
        )
        for job_id in [str(job.pk) for job in requeued]:
            transaction.on_commit(lambda job_id=job_id: tasks.run_render_job.delay(job_id))
    return len(requeued)
