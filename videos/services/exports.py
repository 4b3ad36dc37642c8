"""Batch export: several videos streamed from storage into one ZIP, downloadable for 7 days.

The ZIP is built by a task on disk (stored, not recompressed; 1 MB at a time, so neither a
video nor the ZIP is ever held in memory) and then saved to storage under `exports/…`, a
top-level prefix the bucket's lifecycle rules delete after 7 days
(`manage.py apply_storage_lifecycle`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import tempfile
import time
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.http import absolute_url
from analytics.events import EventName, record
from billing import entitlements
from teams.models import Team
from teams.permissions import ensure_can, scope_for_user
from videos import storage
from videos.models import ExportJob, ExportStatus, Video, VideoStatus, VideoVersion

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = timedelta(days=7)
# SigV4 presigned URLs live at most 7 days.
PRESIGNED_MAX_SECONDS = 7 * 24 * 60 * 60
CHUNK = 1024 * 1024
CANCEL_CHECK_BYTES = 64 * CHUNK
PROGRESS_WRITE_INTERVAL = 1.0
EXPORTS_PREFIX = storage.EXPORTS_PREFIX.rstrip("/")
SIGNING_SALT = "videos.export"


class ExportCancelled(Exception):
    """The export was cancelled while the ZIP was being written."""


def export_key(workspace_id: int) -> str:
    """exports/<workspace>/<yyyy>/<uuid>.zip — a top-level prefix for the lifecycle rule."""
    return f"{EXPORTS_PREFIX}/{workspace_id}/{timezone.now():%Y}/{uuid.uuid4().hex}.zip"


def download_filename(export: ExportJob) -> str:
    return f"videos-{timezone.localtime(export.created_at):%Y-%m-%d}-{str(export.pk)[:8]}.zip"


# -- create and cancel --------------------------------------------------------------------------


def _clean_ids(video_ids) -> list[int]:
    ids: list[int] = []
    bad: list[str] = []
    for raw in video_ids or []:
        try:
            value = int(raw)
        except (TypeError, ValueError):
            bad.append(str(raw)[:20])
            continue
        if value <= 0:
            bad.append(str(raw)[:20])
        elif value not in ids:
            ids.append(value)  # de-duplicated, first order kept
    if bad:
        raise ValidationError(
            _("These are not video ids: %(ids)s.") % {"ids": ", ".join(bad)}, code="invalid_ids"
        )
    if not ids:
        raise ValidationError(_("Choose at least one video to export."), code="empty")
    return ids


def _named(ids: list[int], titles: dict[int, str]) -> str:
    return ", ".join(f"#{pk} “{titles[pk]}”" if pk in titles else f"#{pk}" for pk in ids)


@transaction.atomic
def export_create(*, workspace: Team, video_ids, actor) -> ExportJob:
    """Queue a ZIP of `video_ids`: every one must be a ready video of `workspace`, or none is."""
    ensure_can(actor, workspace, "export")
    ids = _clean_ids(video_ids)
    # Locked like retention locks them, so a version we export cannot be deleted meanwhile.
    rows = (
        Video.objects.select_for_update(of=("self",))
        .filter(workspace=workspace, pk__in=ids)
        .select_related("current_version")
        .order_by("pk")
    )
    videos = {v.pk: v for v in rows}
    missing = [pk for pk in ids if pk not in videos]
    if missing:
        # Titles only of videos the actor may see (another of their workspaces).
        visible = dict(
            scope_for_user(actor, Video.objects.filter(pk__in=missing)).values_list("pk", "title")
        )
        raise ValidationError(
            _("These videos are not in this workspace or do not exist: %(videos)s.")
            % {"videos": _named(missing, visible)},
            code="not_found",
        )
    not_ready = [
        pk
        for pk in ids
        if videos[pk].status != VideoStatus.READY
        or not (videos[pk].file or videos[pk].current_version_id)
    ]
    if not_ready:
        raise ValidationError(
            _("These videos have no rendered file yet: %(videos)s.")
            % {"videos": _named(not_ready, {pk: videos[pk].title for pk in not_ready})},
            code="not_ready",
        )
    entitlements.check_limit(workspace, "batch_export_size", current=0, adding=len(ids))
    export = ExportJob.objects.create(
        workspace=workspace,
        requested_by=actor,
        video_ids=ids,
        version_ids=[videos[pk].current_version_id for pk in ids],
    )
    record(
        EventName.EXPORT_CREATED,
        workspace=workspace,
        actor=actor,
        subject=export,
        properties={"videos": len(ids)},
        idempotency_key=f"export.created:{export.pk}",
    )
    from videos import tasks

    export_id = str(export.pk)
    transaction.on_commit(lambda: tasks.run_export.delay(export_id))
    return export


@transaction.atomic
def export_cancel(*, export: ExportJob, actor) -> ExportJob:
    """A queued export is cancelled at once; a running one at the task's next check."""
    ensure_can(actor, export.workspace, "export")
    export = ExportJob.objects.select_for_update(of=("self",)).get(pk=export.pk)
    if not export.is_active:
        raise ValidationError(_("Only a queued or running export can be cancelled."))
    export.cancel_requested = True
    fields = ["cancel_requested"]
    if export.status == ExportStatus.QUEUED:
        export.status, export.finished_at = ExportStatus.CANCELLED, timezone.now()
        fields += ["status", "finished_at"]
    export.save(update_fields=fields)
    record(
        EventName.EXPORT_CANCELLED,
        workspace=export.workspace,
        actor=actor,
        subject=export,
        idempotency_key=f"export.cancelled:{export.pk}",
    )
    return export


# -- the task ---------------------------------------------------------------------------------


def _claim(export_id: str, worker: str) -> ExportJob | None:
    with transaction.atomic():
        export = (
            ExportJob.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=export_id, status=ExportStatus.QUEUED, cancel_requested=False)
            .first()
        )
        if export is None:
            return None
        now = timezone.now()
        export.status, export.worker, export.started_at = ExportStatus.RUNNING, worker, now
        export.heartbeat_at, export.attempts = now, export.attempts + 1
        export.progress = 0
        export.save(
            update_fields=["status", "worker", "started_at", "heartbeat_at", "attempts", "progress"]
        )
        return export


def _sources(export: ExportJob) -> list[tuple[str, str]]:
    """(title, key) for each video still there, in the order asked: the version exported."""
    videos = Video.objects.in_bulk(export.video_ids)
    versions = VideoVersion.objects.in_bulk([v for v in export.version_ids if v])
    pinned = dict(zip(export.video_ids, export.version_ids, strict=False))
    sources = []
    for pk in export.video_ids:
        video = videos.get(pk)
        if video is None:
            continue  # deleted since: nothing to export
        version = versions.get(pinned.get(pk))
        key = version.file.name if version is not None and version.file else video.file.name
        if key:
            sources.append((video.title, key))
    return sources


def zip_names(titles_and_keys: list[tuple[str, str]]) -> list[str]:
    """Readable, unique names: "<slugified title>.mp4", then "… (2).mp4"."""
    names: list[str] = []
    taken: set[str] = set()
    for title, key in titles_and_keys:
        stem = slugify(title, allow_unicode=True)[:80] or "video"
        suffix = Path(key).suffix.lower() or ".mp4"
        name, n = f"{stem}{suffix}", 1
        while name.lower() in taken:
            n += 1
            name = f"{stem} ({n}){suffix}"
        taken.add(name.lower())
        names.append(name)
    return names


def _cancel_requested(export_id) -> bool:
    return ExportJob.objects.filter(pk=export_id, cancel_requested=True).exists()


class _Writer:
    """Copies sources into the open ZIP, reports progress by bytes, watches for cancel."""

    def __init__(self, export: ExportJob, total: int) -> None:
        self.export, self.total = export, max(total, 1)
        self.done = self.since_check = 0
        self.last_write = 0.0

    def copy(self, source, target) -> None:
        while True:
            chunk = source.read(CHUNK)
            if not chunk:
                return
            target.write(chunk)
            self.done += len(chunk)
            self.since_check += len(chunk)
            if self.since_check >= CANCEL_CHECK_BYTES:
                self.since_check = 0
                self.check_cancel()
            self.report()

    def check_cancel(self) -> None:
        if _cancel_requested(self.export.pk):
            raise ExportCancelled

    def report(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_write < PROGRESS_WRITE_INTERVAL:
            return
        self.last_write = now
        ExportJob.objects.filter(pk=self.export.pk, worker=self.export.worker).update(
            progress=min(99, self.done * 100 // self.total), heartbeat_at=timezone.now()
        )


class _TemporaryZip(File):
    """A finished ZIP on disk; FileSystemStorage moves it into place instead of copying."""

    def temporary_file_path(self) -> str:
        return self.file.name


def _scratch_dir() -> str | None:
    """On local storage, a scratch directory on the same disk, so the ZIP is renamed, not copied."""
    if not storage.is_local():
        return None
    directory = Path(settings.MEDIA_ROOT) / ".export-tmp"
    directory.mkdir(parents=True, exist_ok=True)
    return str(directory)


class _PlainWriter:
    def check_cancel(self) -> None:
        pass

    def copy(self, source, target) -> None:
        shutil.copyfileobj(source, target, CHUNK)


def open_scratch():
    """A temporary file for the ZIP (on local storage: on the media disk, to be renamed)."""
    return tempfile.NamedTemporaryFile(
        prefix="export-", suffix=".zip", dir=_scratch_dir(), delete=False
    )


def write_zip(entries: list[tuple[str, str]], fileobj, writer=None) -> None:
    """(name in the ZIP, storage key) → a stored (uncompressed) ZIP64 written to `fileobj`.

    Each source is streamed 1 MB at a time: neither a video nor the ZIP is held in memory.
    """
    writer = writer or _PlainWriter()
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, key in entries:
            writer.check_cancel()  # between files
            with (
                default_storage.open(key, "rb") as source,
                zf.open(name, "w", force_zip64=True) as target,
            ):
                writer.copy(source, target)


def store_zip(handle, *, workspace_id: int) -> str:
    """Save the finished ZIP under a new exports/ key, streaming from (or moving) the file."""
    handle.flush()
    handle.seek(0)
    return default_storage.save(export_key(workspace_id), _TemporaryZip(handle))


def export_run(*, export_id: str) -> None:
    """The task body: claim, write the ZIP, store it, mark ready, e-mail the requester."""
    worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    export = _claim(export_id, worker)
    if export is None:
        return
    sources = _sources(export)
    names = zip_names(sources)
    try:
        total = sum(default_storage.size(key) for _title, key in sources)
    except OSError as error:
        logger.warning("export %s: a source is missing: %s", export_id, error)
        _finish_failed(export, worker, "missing_file")
        return
    writer = _Writer(export, total)
    handle = open_scratch()
    key = ""
    try:
        entries = [(name, k) for name, (_title, k) in zip(names, sources, strict=True)]
        write_zip(entries, handle, writer)
        writer.check_cancel()
        size = handle.tell()
        key = store_zip(handle, workspace_id=export.workspace_id)
    except ExportCancelled:
        _finish_cancelled(export, worker)
        return
    except OSError:
        logger.exception("export %s could not be written", export_id)
        _finish_failed(export, worker, "storage")
        return
    finally:
        handle.close()
        with contextlib.suppress(OSError):
            os.unlink(handle.name)  # gone already when storage moved it into place
    if _finish_ready(export, worker, key, len(sources), size):
        export_send_ready_email(export_id=export_id)


@transaction.atomic
def _finish_ready(export: ExportJob, worker: str, key: str, count: int, size: int) -> bool:
    export = ExportJob.objects.select_for_update(of=("self",)).get(pk=export.pk)
    if export.status != ExportStatus.RUNNING or export.worker != worker:
        transaction.on_commit(lambda: storage.delete_quietly(key))
        return False
    if export.cancel_requested:
        transaction.on_commit(lambda: storage.delete_quietly(key))
        export.status, export.finished_at = ExportStatus.CANCELLED, timezone.now()
        export.save(update_fields=["status", "finished_at"])
        return False
    now = timezone.now()
    export.status, export.progress, export.finished_at = ExportStatus.READY, 100, now
    export.expires_at = now + EXPORT_LIFETIME
    export.file.name, export.file_count, export.size = key, count, size
    export.save(
        update_fields=[
            "status",
            "progress",
            "finished_at",
            "expires_at",
            "file",
            "file_count",
            "size",
        ]
    )
    record(
        EventName.EXPORT_READY,
        workspace=export.workspace,
        actor=export.requested_by,
        subject=export,
        properties={"files": count, "size": size},
        idempotency_key=f"export.ready:{export.pk}",
    )
    return True


@transaction.atomic
def _finish_cancelled(export: ExportJob, worker: str) -> None:
    export = ExportJob.objects.select_for_update(of=("self",)).get(pk=export.pk)
    if export.worker != worker or export.status != ExportStatus.RUNNING:
        return
    export.status, export.finished_at = ExportStatus.CANCELLED, timezone.now()
    export.save(update_fields=["status", "finished_at"])


@transaction.atomic
def _finish_failed(export: ExportJob, worker: str, code: str) -> None:
    export = ExportJob.objects.select_for_update(of=("self",)).get(pk=export.pk)
    if export.worker != worker or export.status != ExportStatus.RUNNING:
        return
    export.status, export.finished_at, export.error_code = (
        ExportStatus.FAILED,
        timezone.now(),
        code,
    )
    export.save(update_fields=["status", "finished_at", "error_code"])
    record(
        EventName.EXPORT_FAILED,
        workspace=export.workspace,
        actor=export.requested_by,
        subject=export,
        properties={"code": code},
        idempotency_key=f"export.failed:{export.pk}",
    )


# -- links and the e-mail -----------------------------------------------------------------------


def download_url(export: ExportJob) -> str:
    """The link to a ready export, valid until it expires; "" when there is none.

    S3: a presigned URL (SigV4 allows at most 7 days). Local disk: an absolute, signed link
    to our own view, which checks the signature, the expiry and the export's state.
    """
    if export.status != ExportStatus.READY or not export.file or export.expires_at is None:
        return ""
    seconds = int((export.expires_at - timezone.now()).total_seconds())
    if seconds <= 0:
        return ""
    if not storage.is_local():
        return default_storage.url(
            export.file.name,
            expire=min(seconds, PRESIGNED_MAX_SECONDS),
            parameters={
                "ResponseContentDisposition": content_disposition_header(
                    True, download_filename(export)
                )
            },
        )
    token = signing.dumps(
        {"x": str(export.pk), "e": int(export.expires_at.timestamp())}, salt=SIGNING_SALT
    )
    return absolute_url("videos:export_download", token)


def read_download_token(token: str) -> ExportJob | None:
    """The ready, unexpired export a signed link points at, or None."""
    try:
        payload = signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or int(payload.get("e", 0)) < time.time():
        return None
    export = ExportJob.objects.filter(pk=payload.get("x"), status=ExportStatus.READY).first()
    if export is None or not export.file or export.expires_at is None:
        return None
    if export.expires_at <= timezone.now():
        return None
    return export


def export_send_ready_email(*, export_id: str) -> bool:
    """E-mail the requester the link, exactly once (emailed_at under a row lock)."""
    from videos.emails import send_export_ready

    with transaction.atomic():
        export = (
            ExportJob.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("requested_by__profile", "workspace")
            .filter(pk=export_id, status=ExportStatus.READY, emailed_at__isnull=True)
            .first()
        )
        if export is None or export.requested_by is None or not export.requested_by.email:
            return False
        send_export_ready(export=export, download_url=download_url(export))
        export.emailed_at = timezone.now()
        export.save(update_fields=["emailed_at"])
        return True


# -- expiry -------------------------------------------------------------------------------------


STUCK_AFTER = timedelta(minutes=10)
MAX_EXPORT_ATTEMPTS = 3


def exports_requeue_stuck(*, now=None) -> int:
    """Exports whose worker died (no progress for 10 minutes) are queued again, 3 tries at most."""
    now = now or timezone.now()
    requeued = 0
    with transaction.atomic():
        stuck = ExportJob.objects.select_for_update(skip_locked=True).filter(
            status=ExportStatus.RUNNING, heartbeat_at__lt=now - STUCK_AFTER
        )
        for export in stuck:
            if export.attempts >= MAX_EXPORT_ATTEMPTS:
                export.status, export.error_code, export.finished_at = (
                    ExportStatus.FAILED,
                    "attempts",
                    now,
                )
                export.save(update_fields=["status", "error_code", "finished_at"])
                continue
            export.status, export.worker = ExportStatus.QUEUED, ""
            export.save(update_fields=["status", "worker"])
            from videos import tasks

            export_id = str(export.pk)
            transaction.on_commit(lambda export_id=export_id: tasks.run_export.delay(export_id))
            requeued += 1
    return requeued


def exports_pending_emails(*, now=None) -> list[str]:
    """Ready exports whose e-mail never went out (the worker died right after finishing)."""
    now = now or timezone.now()
    return [
        str(pk)
        for pk in ExportJob.objects.filter(
            status=ExportStatus.READY,
            emailed_at__isnull=True,
            finished_at__lt=now - timedelta(minutes=2),
        ).values_list("pk", flat=True)
    ]


def exports_expire(*, now=None) -> int:
    """Ready exports past their expiry become expired, and their ZIPs are deleted."""
    now = now or timezone.now()
    expired = 0
    with transaction.atomic():
        due = ExportJob.objects.select_for_update(skip_locked=True).filter(
            status=ExportStatus.READY, expires_at__lte=now
        )
        for export in due:
            key = export.file.name
            export.status, export.file = ExportStatus.EXPIRED, ""
            export.save(update_fields=["status", "file"])
            transaction.on_commit(lambda key=key: storage.delete_quietly(key))
            expired += 1
    return expired
