"""Batch export: several videos streamed from storage into one ZIP, downloadable for 7 days.

A worker claims the export through its lease (`EXPORT_LEASE`), writes the ZIP (`.zips`) and
marks it ready; the signed download links are in `videos.selectors`.
"""

from __future__ import annotations

import contextlib
import logging
import os
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import send_once
from analytics.events import EventName, record
from billing import entitlements
from teams.models import Team
from teams.permissions import ensure_can, scope_for_user
from videocreator.leases import Lease
from videos import storage
from videos.models import ExportJob, ExportStatus, Video, VideoStatus, VideoVersion
from videos.selectors import download_url, exports_to_email

from .zips import ExportCancelled, ZipWriter, open_scratch, store_zip, write_zip, zip_names

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = timedelta(days=7)
STUCK_AFTER = timedelta(minutes=10)
MAX_EXPORT_ATTEMPTS = 3

EXPORT_LEASE = Lease(
    model=ExportJob,
    waiting={"status": ExportStatus.QUEUED},
    running={"status": ExportStatus.RUNNING},
    max_attempts=MAX_EXPORT_ATTEMPTS,
)


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


def export_claim(*, export_id: str) -> ExportJob | None:
    """Take a queued, not cancelled export for this worker (with a fresh lease token), or
    None if another worker has it (or it is finished or cancelled)."""
    return EXPORT_LEASE.claim(
        export_id, where=Q(cancel_requested=False), started_at=timezone.now(), progress=0
    )


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


def _cancel_requested(export_id) -> bool:
    return ExportJob.objects.filter(pk=export_id, cancel_requested=True).exists()


def export_run(*, export_id: str) -> None:
    """The task body: claim, write the ZIP, store it, mark ready, e-mail the requester."""
    export = export_claim(export_id=export_id)
    if export is None:
        return
    sources = _sources(export)
    names = zip_names(sources)
    try:
        total = sum(default_storage.size(key) for _title, key in sources)
    except OSError as error:
        logger.warning("export %s: a source is missing: %s", export_id, error)
        _finish_failed(export, "missing_file")
        return
    writer = ZipWriter(
        total=total,
        # Progress is the heartbeat; a worker that lost the export writes neither.
        on_progress=lambda percent: EXPORT_LEASE.heartbeat(export, progress=percent),
        cancelled=lambda: _cancel_requested(export.pk),
    )
    handle = open_scratch()
    key = ""
    try:
        entries = [(name, k) for name, (_title, k) in zip(names, sources, strict=True)]
        write_zip(entries, handle, writer)
        writer.check_cancel()
        size = handle.tell()
        key = store_zip(handle, workspace_id=export.workspace_id)
    except ExportCancelled:
        EXPORT_LEASE.finish(export, status=ExportStatus.CANCELLED, finished_at=timezone.now())
        return
    except OSError:
        logger.exception("export %s could not be written", export_id)
        _finish_failed(export, "storage")
        return
    finally:
        handle.close()
        with contextlib.suppress(OSError):
            os.unlink(handle.name)  # gone already when storage moved it into place
    if export_finish(export=export, key=key, count=len(sources), size=size):
        export_send_ready_email(export_id=export_id)


@transaction.atomic
def export_finish(*, export: ExportJob, key: str, count: int, size: int) -> bool:
    """Mark the export (as claimed) ready with the stored ZIP `key`; False, and the ZIP
    deleted, when it was cancelled or taken from this worker meanwhile."""
    now = timezone.now()
    expires_at = now + EXPORT_LIFETIME
    ready = EXPORT_LEASE.finish(
        export,
        where=Q(cancel_requested=False),
        status=ExportStatus.READY,
        progress=100,
        finished_at=now,
        expires_at=expires_at,
        file=key,
        file_count=count,
        size=size,
    )
    if not ready:
        transaction.on_commit(lambda: storage.delete_quietly(key))
        # Cancelled while the ZIP was stored (a no-op when the export is not ours any more).
        EXPORT_LEASE.finish(export, status=ExportStatus.CANCELLED, finished_at=now)
        return False
    record(
        EventName.EXPORT_READY,
        workspace=export.workspace,
        actor=export.requested_by,
        subject=export,
        properties={"files": count, "size": size, "expires_at": expires_at.isoformat()},
        idempotency_key=f"export.ready:{export.pk}",
    )
    return True


@transaction.atomic
def _finish_failed(export: ExportJob, code: str) -> None:
    failed = {"status": ExportStatus.FAILED, "finished_at": timezone.now(), "error_code": code}
    if not EXPORT_LEASE.finish(export, **failed):
        return
    record(
        EventName.EXPORT_FAILED,
        workspace=export.workspace,
        actor=export.requested_by,
        subject=export,
        properties={"code": code},
        idempotency_key=f"export.failed:{export.pk}",
    )


def export_send_ready_email(*, export_id: str) -> bool:
    """E-mail the requester the link, exactly once (`send_once`)."""
    from videos.emails import send_export_ready

    return send_once(
        exports_to_email(),
        export_id,
        lambda export: send_export_ready(export=export, download_url=download_url(export)),
    )


# -- requeue and expiry -------------------------------------------------------------------------


def exports_requeue_stuck(*, now=None) -> int:
    """Exports whose worker died (no progress for 10 minutes) are queued again, 3 tries at most."""
    from videos import tasks

    now = now or timezone.now()
    with transaction.atomic():
        requeued, _failed = EXPORT_LEASE.requeue_stale(
            older_than=STUCK_AFTER,
            now=now,
            fail={"status": ExportStatus.FAILED, "error_code": "attempts", "finished_at": now},
        )
        # Cancelled while its worker was gone: nobody would claim it again (a claim skips
        # cancelled exports), so it ends here instead of waiting in the queue for ever.
        cancelled = [export.pk for export in requeued if export.cancel_requested]
        ExportJob.objects.filter(pk__in=cancelled, status=ExportStatus.QUEUED).update(
            status=ExportStatus.CANCELLED, finished_at=now
        )
        again = [str(export.pk) for export in requeued if not export.cancel_requested]
        for export_id in again:
            transaction.on_commit(lambda export_id=export_id: tasks.run_export.delay(export_id))
    return len(again)


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
