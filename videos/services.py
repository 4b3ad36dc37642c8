"""Videos: create, edit, render, brand, delete — and brand kits.

Every write checks the actor's role and the plan's entitlements first, so a
refused request changes nothing. Rendering runs in a task; a job is claimed
under a row lock, so two workers never render the same job.
"""

from __future__ import annotations

import logging
import math
import socket
import tempfile
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import record
from billing import entitlements
from teams.models import Team
from teams.permissions import ensure_can

from . import storage
from .fields import FILE_TYPES, clean_fields
from .models import (
    BrandKit,
    RenderJob,
    RenderJobKind,
    RenderJobStatus,
    Resolution,
    Template,
    Video,
    VideoStatus,
)

logger = logging.getLogger(__name__)

CLIP_TYPES = {".mp4", ".mov", ".webm"}
CLIP_MAX_BYTES = 200 * 1024 * 1024
CLIP_MAX_SECONDS = 300
IMAGE_MAX_BYTES = 10 * 1024 * 1024
RENDER_TIMEOUT_SECONDS = getattr(settings, "RENDER_TIMEOUT_SECONDS", 30 * 60)
MAX_RENDER_ATTEMPTS = 3
PROGRESS_WRITE_INTERVAL = 1.0


def render_error_message(code: str) -> str:
    """Why a render failed, translated, for the page and the API."""
    messages = {
        "ffmpeg_failed": _("The video could not be encoded. Please try again."),
        "bad_input": _("One of the uploaded files could not be read as a video or image."),
        "font_missing": _("A text uses characters no installed font can show."),
        "timeout": _("Rendering took too long and was stopped."),
        "storage": _("The finished video could not be stored. Please try again."),
        "attempts": _("Rendering failed several times; please check the fields and try again."),
    }
    return messages.get(code, _("Rendering failed. Please try again."))


# -- checks ---------------------------------------------------------------------------------


def _check_template_allowed(workspace: Team, template: Template) -> None:
    if not template.is_active:
        raise ValidationError(_("This template is no longer available."))
    if template.is_pro:
        entitlements.require_feature(workspace, "pro_templates")


def _check_resolution(workspace: Team, resolution: int) -> int:
    if resolution not in Resolution.values:
        raise ValidationError(_("Choose 720p or 1080p."))
    if resolution == Resolution.FULL_HD:
        entitlements.require_feature(workspace, "output_1080p")
    return resolution


def _check_duration(template: Template, duration: Any) -> int:
    try:
        seconds = int(duration)
    except (TypeError, ValueError):
        raise ValidationError(_("The duration must be a whole number of seconds.")) from None
    if not template.min_duration <= seconds <= template.max_duration:
        raise ValidationError(
            _("The duration must be between %(min)s and %(max)s seconds.")
            % {"min": template.min_duration, "max": template.max_duration}
        )
    return seconds


def validate_image(upload: UploadedFile) -> None:
    from PIL import Image, UnidentifiedImageError

    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationError(_("Images can be at most 10 MB."))
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("The file is not a readable image.")) from None
    finally:
        upload.seek(0)
    if kind not in {"PNG", "JPEG", "WEBP"}:
        raise ValidationError(_("Images must be PNG, JPEG or WebP."))


AUDIO_TYPES = {".mp3", ".m4a", ".aac", ".wav", ".ogg", ".oga", ".flac"}
AUDIO_MAX_BYTES = 20 * 1024 * 1024


def validate_audio(upload: UploadedFile) -> None:
    """A music track: a known audio type, at most 20 MB, with an audio stream ffmpeg can read."""
    from pathlib import Path

    from moviepy.video.io.ffmpeg_reader import ffmpeg_parse_infos

    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in AUDIO_TYPES:
        raise ValidationError(_("Upload the music as MP3, M4A, AAC, WAV, OGG or FLAC."))
    if upload.size > AUDIO_MAX_BYTES:
        raise ValidationError(_("Music files can be at most 20 MB."))
    with tempfile.NamedTemporaryFile(suffix=suffix) as scratch:
        upload.seek(0)
        for chunk in upload.chunks():
            scratch.write(chunk)
        scratch.flush()
        upload.seek(0)
        try:
            infos = ffmpeg_parse_infos(scratch.name, decode_file=False)
        except (OSError, IndexError, KeyError, ValueError):
            infos = {}
    if not infos.get("audio_found"):
        raise ValidationError(_("This file is not an audio file we can read."))


def validate_clip(upload: UploadedFile) -> float:
    """Check an uploaded clip by probing it with ffmpeg; returns its duration."""
    from pathlib import Path

    from .rendering import RenderError, probe

    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in CLIP_TYPES:
        raise ValidationError(_("Upload an MP4, MOV or WebM video."))
    if upload.size > CLIP_MAX_BYTES:
        raise ValidationError(_("Videos can be at most 200 MB."))
    with tempfile.NamedTemporaryFile(suffix=suffix) as scratch:
        upload.seek(0)
        for chunk in upload.chunks():
            scratch.write(chunk)
        scratch.flush()
        upload.seek(0)
        try:
            info = probe(scratch.name)
        except RenderError:
            raise ValidationError(_("This file is not a video we can read.")) from None
    if info.duration <= 0:
        raise ValidationError(_("This file is not a video we can read."))
    if info.duration > CLIP_MAX_SECONDS:
        raise ValidationError(_("Videos can be at most 5 minutes long."))
    return info.duration


def _check_uploads(
    template: Template, files: dict[str, UploadedFile], clip: UploadedFile | None
) -> None:
    """Validate every upload before any is stored, so a refused request leaves no files."""
    names = {f["name"] for f in template.fields if f["type"] in FILE_TYPES}
    unknown = sorted(set(files) - names)
    if unknown:
        raise ValidationError(
            _("Unknown field(s): %(unknown)s. Valid fields: %(valid)s.")
            % {"unknown": ", ".join(unknown), "valid": ", ".join(sorted(names)) or "—"}
        )
    kinds = {f["name"]: f["type"] for f in template.fields}
    for name, upload in files.items():
        if kinds[name] == "audio":
            validate_audio(upload)
        else:
            validate_image(upload)
    if clip is not None:
        if not has_video_slot(template):
            raise ValidationError(_("This template has no place for a video of your own."))
        validate_clip(clip)


def _store_files(workspace: Team, files: dict[str, UploadedFile]) -> dict:
    """Store checked images for file fields; returns name → storage key."""
    return {
        name: storage.save_upload(upload, workspace_id=workspace.pk, kind="uploads")
        for name, upload in files.items()
    }


def has_video_slot(template: Template) -> bool:
    """Whether the template has a place for the creator's own clip: in the spec format
    (videos.rendering.spec) a `video` layer or a `video` background."""
    from .rendering.compose import uses_video_slot

    return uses_video_slot(template.spec)


def _store_clip(workspace: Team, clip: UploadedFile | None) -> str:
    if clip is None:
        return ""
    return storage.save_upload(clip, workspace_id=workspace.pk, kind="uploads")


# -- videos ---------------------------------------------------------------------------------


@transaction.atomic
def video_create(
    *,
    workspace: Team,
    template: Template,
    title: str,
    actor,
    fields: dict | None = None,
    duration: int | None = None,
    resolution: int = Resolution.HD,
    files: dict[str, UploadedFile] | None = None,
    source_clip: UploadedFile | None = None,
) -> Video:
    ensure_can(actor, workspace, "create")
    _check_template_allowed(workspace, template)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the video a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("The title can be at most 200 characters long.")})
    seconds = _check_duration(template, template.duration if duration is None else duration)
    resolution = _check_resolution(workspace, int(resolution or Resolution.HD))
    values = clean_fields(template, fields or {})
    _check_uploads(template, files or {}, source_clip)
    values.update(_store_files(workspace, files or {}))
    clip_key = _store_clip(workspace, source_clip)
    video = Video.objects.create(
        workspace=workspace,
        template=template,
        title=title,
        fields=values,
        duration_seconds=seconds,
        resolution=resolution,
        source_clip=clip_key,
        created_by=actor,
    )
    Template.objects.filter(pk=template.pk).update(usage_count=F("usage_count") + 1)
    record("video.created", workspace=workspace, actor=actor, subject=video,
           properties={"template": template.key, "duration": seconds})  # fmt: skip
    record("template.used", workspace=workspace, actor=actor, subject=template,
           properties={"video": video.pk})  # fmt: skip
    return video


@transaction.atomic
def video_update(
    *,
    video: Video,
    actor,
    title: str | None = None,
    fields: dict | None = None,
    duration: int | None = None,
    resolution: int | None = None,
    files: dict[str, UploadedFile] | None = None,
    source_clip: UploadedFile | None = None,
) -> Video:
    ensure_can(actor, video.workspace, "edit")
    video = (
        Video.objects.select_for_update(of=("self",))
        .select_related("template", "workspace")
        .get(pk=video.pk)
    )
    if video.is_busy:
        raise ValidationError(_("Wait until the current render has finished."))
    template = video.template
    if title is not None:
        title = title.strip()
        if not title:
            raise ValidationError({"title": _("Give the video a title.")})
        video.title = title[:200]
    if fields is not None or files:
        values = clean_fields(template, fields or {}, partial_base=video.fields)
    if duration is not None:
        video.duration_seconds = _check_duration(template, duration)
    if resolution is not None:
        video.resolution = _check_resolution(video.workspace, int(resolution))
    _check_uploads(template, files or {}, source_clip)
    # Everything is valid: only now store the uploads.
    if fields is not None or files:
        values.update(_store_files(video.workspace, files or {}))
        video.fields = values
    if source_clip is not None:
        video.source_clip = _store_clip(video.workspace, source_clip)
    video.save()
    record("video.updated", workspace=video.workspace, actor=actor, subject=video)
    return video


def render_minutes_used(workspace: Team) -> int:
    """Minutes rendered this calendar month (UTC), counted by finished render jobs."""
    start = timezone.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    seconds = (
        RenderJob.objects.filter(
            video__workspace=workspace,
            kind=RenderJobKind.RENDER,
            status=RenderJobStatus.DONE,
            finished_at__gte=start,
        ).aggregate(total=Sum("video__duration_seconds"))["total"]
        or 0
    )
    return math.ceil(seconds / 60)


def _queue(video: Video, *, kind: str, actor, brand_kit: BrandKit | None = None) -> RenderJob:
    if RenderJob.objects.filter(
        video=video, status__in=[RenderJobStatus.QUEUED, RenderJobStatus.RUNNING]
    ).exists():
        raise ValidationError(_("This video is already being rendered."))
    job = RenderJob.objects.create(video=video, kind=kind, requested_by=actor, brand_kit=brand_kit)
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.QUEUED, progress=0, error_code="", error_detail=""
    )
    from . import tasks

    transaction.on_commit(lambda: tasks.run_render_job.delay(str(job.pk)))
    return job


@transaction.atomic
def video_render(*, video: Video, actor) -> RenderJob:
    ensure_can(actor, video.workspace, "render")
    video = (
        Video.objects.select_for_update(of=("self",))
        .select_related("template", "workspace")
        .get(pk=video.pk)
    )
    _check_template_allowed(video.workspace, video.template)
    _check_resolution(video.workspace, video.resolution)
    entitlements.check_limit(
        video.workspace,
        "render_minutes_per_month",
        current=render_minutes_used(video.workspace),
        adding=math.ceil(video.duration_seconds / 60),
    )
    job = _queue(video, kind=RenderJobKind.RENDER, actor=actor)
    record("video.render_requested", workspace=video.workspace, actor=actor, subject=video,
           properties={"job": str(job.pk), "resolution": video.resolution})  # fmt: skip
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
    record("video.branding_requested", workspace=video.workspace, actor=actor, subject=video,
           properties={"brand_kit": brand_kit.pk})  # fmt: skip
    return job


@transaction.atomic
def video_delete(*, video: Video, actor) -> None:
    ensure_can(actor, video.workspace, "delete")
    video = Video.objects.select_for_update().get(pk=video.pk)
    keys = [video.file.name, video.thumbnail.name, video.source_clip.name]
    keys += [
        v for name, v in video.fields.items() if isinstance(v, str) and v.startswith("workspaces/")
    ]
    record("video.deleted", workspace=video.workspace, actor=actor,
           properties={"video": video.pk, "title": video.title})  # fmt: skip
    video.delete()
    transaction.on_commit(lambda: storage.delete_quietly(*keys))


# -- the render job -------------------------------------------------------------------------


def _worker_name() -> str:
    return f"{socket.gethostname()}:{id(object())}"


def _claim(job_id: str, worker: str) -> RenderJob | None:
    """Take a queued job for this worker, or None if another worker has it (or it is done)."""
    with transaction.atomic():
        job = (
            # Lock only the job row: PostgreSQL refuses FOR UPDATE on the nullable brand kit.
            RenderJob.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("video__template", "video__workspace", "brand_kit")
            .filter(pk=job_id, status=RenderJobStatus.QUEUED)
            .first()
        )
        if job is None:
            return None
        now = timezone.now()
        job.status = RenderJobStatus.RUNNING
        job.attempts += 1
        job.worker = worker
        job.started_at = job.heartbeat_at = now
        job.save(update_fields=["status", "attempts", "worker", "started_at", "heartbeat_at"])
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
        RenderJob.objects.filter(pk=self.job.pk, worker=self.job.worker).update(
            heartbeat_at=timezone.now()
        )


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


def _produce(job: RenderJob, scratch: str) -> tuple[str, str, BrandKit | None]:
    """Make the new file (and thumbnail) locally; returns their paths and the kit applied."""
    from pathlib import Path

    from . import branding
    from .rendering import RenderRequest, output_size, render

    video = job.video
    output = str(Path(scratch) / "output.mp4")
    thumbnail = str(Path(scratch) / "thumbnail.jpg")
    kit = job.brand_kit if job.kind == RenderJobKind.BRANDING else _default_kit(video.workspace_id)
    if job.kind == RenderJobKind.RENDER:
        width, height = output_size(video.template.aspect_ratio, video.resolution)
        rendered = str(Path(scratch) / "rendered.mp4") if kit else output
        render(
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
        source = storage.download(video.file.name, scratch)
        thumbnail = ""
    if kit is not None:
        logo = storage.download(kit.logo.name, scratch)
        branding.apply_watermark(
            source,
            logo,
            output,
            position=kit.position,
            opacity=kit.opacity,
            scale=kit.scale,
            margin=kit.margin,
            on_progress=_Progress(
                job,
                85 if job.kind == RenderJobKind.RENDER else 0,
                15 if job.kind == RenderJobKind.RENDER else 100,
            ),
            timeout=RENDER_TIMEOUT_SECONDS,
        )
    return output, thumbnail, kit


def render_job_run(*, job_id: str) -> None:
    """The task body: claim the job, produce the file, store it under a new key, finish."""
    from .rendering import RenderError, probe

    worker = _worker_name()
    job = _claim(job_id, worker)
    if job is None:
        return
    started = time.monotonic()
    video = job.video
    with tempfile.TemporaryDirectory(prefix="render-") as scratch:
        try:
            output, thumbnail, kit = _produce(job, scratch)
            info = probe(output)
            file_key = storage.save_path(output, workspace_id=video.workspace_id, kind="renders")
            thumb_key = (
                storage.save_path(thumbnail, workspace_id=video.workspace_id, kind="thumbnails")
                if thumbnail
                else video.thumbnail.name
            )
        except RenderError as error:
            logger.warning("render %s failed: %s %s", job_id, error.code, error.detail)
            _finish_failed(job, worker, error.code, error.detail)
            return
        except OSError as error:
            logger.exception("render %s could not store its output", job_id)
            _finish_failed(job, worker, "storage", str(error))
            return
    _finish_ready(job, worker, info, file_key, thumb_key, kit, time.monotonic() - started)


@transaction.atomic
def _finish_ready(job, worker, info, file_key, thumb_key, kit, seconds) -> None:
    job = RenderJob.objects.select_for_update(of=("self",)).select_related("video").get(pk=job.pk)
    if job.status != RenderJobStatus.RUNNING or job.worker != worker:
        # Re-queued while we were slow: the other run owns the result; drop ours.
        transaction.on_commit(lambda: storage.delete_quietly(file_key))
        return
    now = timezone.now()
    job.status, job.finished_at, job.seconds = RenderJobStatus.DONE, now, seconds
    job.save(update_fields=["status", "finished_at", "seconds"])
    video = Video.objects.select_for_update().get(pk=job.video_id)
    video.file.name = file_key
    video.thumbnail.name = thumb_key
    video.status, video.progress, video.rendered_at = VideoStatus.READY, 100, now
    video.error_code = video.error_detail = ""
    video.width, video.height, video.fps = info.width, info.height, info.fps
    video.duration, video.size, video.checksum = info.duration, info.size, info.checksum
    video.brand_kit = (
        kit
        if kit is not None
        else (video.brand_kit if job.kind == RenderJobKind.BRANDING else None)
    )
    video.save()
    name = "video.rendered" if job.kind == RenderJobKind.RENDER else "video.branded"
    record(name, workspace=video.workspace, actor=job.requested_by, subject=video,
           properties={"job": str(job.pk), "seconds": round(seconds, 2), "size": info.size,
                       "duration": info.duration, "width": info.width, "height": info.height,
                       "brand_kit": kit.pk if kit else None},
           idempotency_key=f"{name}:{job.pk}")  # fmt: skip


@transaction.atomic
def _finish_failed(job, worker, code: str, detail: str) -> None:
    job = RenderJob.objects.select_for_update().get(pk=job.pk)
    if job.status != RenderJobStatus.RUNNING or job.worker != worker:
        return
    job.status, job.finished_at, job.error_code = RenderJobStatus.FAILED, timezone.now(), code
    job.save(update_fields=["status", "finished_at", "error_code"])
    video = Video.objects.select_for_update().get(pk=job.video_id)
    # A failed branding keeps the video's current (good) file; only a render failure fails it.
    video.status = (
        VideoStatus.FAILED
        if job.kind == RenderJobKind.RENDER or not video.file
        else VideoStatus.READY
    )
    video.error_code, video.error_detail, video.progress = code, detail[:2000], 0
    video.save(update_fields=["status", "error_code", "error_detail", "progress", "updated_at"])
    record("video.render_failed", workspace=video.workspace, actor=job.requested_by,
           subject=video, properties={"job": str(job.pk), "code": code, "kind": job.kind},
           idempotency_key=f"video.render_failed:{job.pk}")  # fmt: skip


def requeue_stuck_jobs(*, older_than: timedelta | None = None) -> int:
    """Jobs whose worker stopped reporting are queued again (or failed after 3 attempts)."""
    cutoff = timezone.now() - (older_than or timedelta(seconds=RENDER_TIMEOUT_SECONDS))
    requeued = 0
    with transaction.atomic():
        stuck = RenderJob.objects.select_for_update(skip_locked=True).filter(
            status=RenderJobStatus.RUNNING, heartbeat_at__lt=cutoff
        )
        for job in stuck:
            if job.attempts >= MAX_RENDER_ATTEMPTS:
                job.status, job.error_code, job.finished_at = (
                    RenderJobStatus.FAILED, "attempts", timezone.now()
                )  # fmt: skip
                job.save(update_fields=["status", "error_code", "finished_at"])
                Video.objects.filter(pk=job.video_id).update(
                    status=VideoStatus.FAILED, error_code="attempts", progress=0
                )
                continue
            job.status, job.worker = RenderJobStatus.QUEUED, ""
            job.save(update_fields=["status", "worker"])
            Video.objects.filter(pk=job.video_id).update(status=VideoStatus.QUEUED, progress=0)
            from . import tasks

            job_id = str(job.pk)
            transaction.on_commit(lambda job_id=job_id: tasks.run_render_job.delay(job_id))
            requeued += 1
    return requeued


# -- brand kits -----------------------------------------------------------------------------


@transaction.atomic
def brand_kit_create(
    *,
    workspace: Team,
    actor,
    name: str,
    logo: UploadedFile,
    position: str,
    opacity: int,
    scale: float,
    margin: int,
    is_default: bool = False,
) -> BrandKit:
    from . import branding

    ensure_can(actor, workspace, "brand")
    entitlements.check_limit(
        workspace, "brand_kits", current=BrandKit.objects.filter(workspace=workspace).count()
    )
    branding.validate_logo(logo)
    kit = BrandKit(workspace=workspace, name=(name or "").strip()[:100], position=position,
                   opacity=opacity, scale=scale, margin=margin)  # fmt: skip
    kit.logo.name = storage.save_upload(logo, workspace_id=workspace.pk, kind="brand")
    kit.full_clean(exclude=["logo"])
    kit.save()
    if is_default:
        brand_kit_set_default(brand_kit=kit, actor=actor)
    record("brand_kit.created", workspace=workspace, actor=actor, subject=kit)
    return kit


@transaction.atomic
def brand_kit_update(
    *, brand_kit: BrandKit, actor, logo: UploadedFile | None = None, **changes
) -> BrandKit:
    from . import branding

    ensure_can(actor, brand_kit.workspace, "brand")
    for field in ("name", "position", "opacity", "scale", "margin"):
        if field in changes and changes[field] is not None:
            setattr(brand_kit, field, changes[field])
    brand_kit.full_clean(exclude=["logo"])  # check everything before storing any file
    if logo is not None:
        branding.validate_logo(logo)
        brand_kit.logo.name = storage.save_upload(
            logo, workspace_id=brand_kit.workspace_id, kind="brand"
        )
    brand_kit.save()
    if changes.get("is_default"):
        brand_kit_set_default(brand_kit=brand_kit, actor=actor)
    elif changes.get("is_default") is False and brand_kit.is_default:
        BrandKit.objects.filter(pk=brand_kit.pk).update(is_default=False)
    return brand_kit


@transaction.atomic
def brand_kit_set_default(*, brand_kit: BrandKit, actor) -> None:
    ensure_can(actor, brand_kit.workspace, "brand")
    BrandKit.objects.filter(workspace=brand_kit.workspace, is_default=True).exclude(
        pk=brand_kit.pk
    ).update(is_default=False)
    BrandKit.objects.filter(pk=brand_kit.pk).update(is_default=True)
    brand_kit.is_default = True


@transaction.atomic
def brand_kit_delete(*, brand_kit: BrandKit, actor) -> None:
    ensure_can(actor, brand_kit.workspace, "brand")
    record("brand_kit.deleted", workspace=brand_kit.workspace, actor=actor,
           properties={"brand_kit": brand_kit.pk, "name": brand_kit.name})  # fmt: skip
    brand_kit.delete()
    # The logo file stays: videos branded with it keep their history (issue: versions).
