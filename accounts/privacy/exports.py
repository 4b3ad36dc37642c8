"""The personal data export: a person asks, a worker builds one ZIP (JSON per category and the
video files they made), they download it for 7 days.

A worker claims the export through its lease (`DATA_EXPORT_LEASE`, the helper every claimed job
uses); a worker that dies is replaced by `data_exports_requeue_stuck` (3 attempts), which builds
the ZIP again from the start: nothing is stored until the ZIP is complete, and the finish only
counts while the claim's token still matches, so a slow first worker cannot overwrite it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import IO

from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.emails import send_once
from accounts.models import ApiToken, User
from analytics.events import EventName, events_about, record
from videocreator import zips
from videocreator.leases import Lease

from . import providers
from .models import PENDING_STATUSES, DataExport, DataExportStatus
from .providers import ExportEntry

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = timedelta(days=7)
STUCK_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 3
HEARTBEAT_EVERY = 30.0  # seconds, while JSON files are written
# Under the top-level exports/ prefix that the bucket's lifecycle rule empties after 7 days.
KEY_PREFIX = "exports/personal"

DATA_EXPORT_LEASE = Lease(
    model=DataExport,
    waiting={"status": DataExportStatus.QUEUED},
    running={"status": DataExportStatus.RUNNING},
    max_attempts=MAX_ATTEMPTS,
)


# -- request --------------------------------------------------------------------------------------


def data_export_request(*, user: User) -> tuple[DataExport, bool]:
    """Queue a ZIP of `user`'s data; (export, created). While one is queued or running, that
    one is returned instead of a second. (An inactive account cannot sign in to ask.)"""
    try:
        return _request(user)
    except IntegrityError:  # a concurrent request won the unique constraint
        pending = DataExport.objects.filter(user=user, status__in=PENDING_STATUSES).first()
        return (pending, False) if pending is not None else _request(user)


@transaction.atomic
def _request(user: User) -> tuple[DataExport, bool]:
    pending = DataExport.objects.filter(user=user, status__in=PENDING_STATUSES).first()
    if pending is not None:
        return pending, False
    export = DataExport.objects.create(user=user)
    record(
        EventName.USER_DATA_EXPORT_REQUESTED,
        actor=user,
        subject=export,
        idempotency_key=f"user.data_export_requested:{export.pk}",
    )
    from accounts import tasks

    export_id = str(export.pk)
    transaction.on_commit(lambda: tasks.run_data_export.delay(export_id))
    return export, True


# -- accounts' own files of the ZIP ----------------------------------------------------------------


def _account_entries(user: User) -> list[ExportEntry]:
    profile = getattr(user, "profile", None)
    addresses = EmailAddress.objects.filter(user=user).order_by("email")
    tokens = ApiToken.objects.filter(user=user).order_by("created_at")
    return [
        ExportEntry(
            "account.json",
            data={
                "id": user.pk,
                "email": user.email,
                "name": user.name,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "is_active": user.is_active,
                "email_addresses": [
                    {"email": a.email, "primary": a.primary, "verified": a.verified}
                    for a in addresses
                ],
            },
        ),
        ExportEntry(
            "profile.json",
            data={
                "language": profile.language if profile else "",
                "time_zone": profile.time_zone if profile else "UTC",
                "marketing_emails": profile.marketing_emails if profile else False,
                "signup_network": profile.signup_network if profile else "",
            },
        ),
        # Never the key: only its hash is stored, and the hash is not the person's to keep.
        ExportEntry(
            "api_tokens.json",
            rows=(
                {
                    "name": t.name,
                    "prefix": t.prefix,
                    "created_at": t.created_at,
                    "last_used_at": t.last_used_at,
                    "revoked_at": t.revoked_at,
                }
                for t in tokens
            ),
        ),
        ExportEntry(
            "events.json",
            rows=(
                {
                    "name": e.name,
                    "occurred_at": e.occurred_at,
                    "by_you": e.actor_id == user.pk,
                    "workspace_id": e.workspace_id,
                    "subject_type": e.subject_type,
                    "subject_id": e.subject_id,
                    "properties": e.properties,
                }
                for e in events_about(user_id=user.pk)
            ),
        ),
    ]


def export_entries(user: User) -> list[ExportEntry]:
    """Every file of `user`'s ZIP: accounts' own, then each provider's."""
    return [*_account_entries(user), *providers.export_entries(user=user)]


# -- the task -------------------------------------------------------------------------------------


class _Heartbeat:
    """Keeps the claim alive while the ZIP is written and notices when it was taken away."""

    def __init__(self, export: DataExport) -> None:
        self.export, self.lost, self.last = export, False, time.monotonic()

    def beat(self, **progress) -> None:
        if not self.lost and not DATA_EXPORT_LEASE.heartbeat(self.export, **progress):
            self.lost = True
        self.last = time.monotonic()

    def due(self) -> bool:
        if time.monotonic() - self.last >= HEARTBEAT_EVERY:
            self.beat()
        return self.lost


def _json_rows(rows: Iterable[dict], heartbeat: _Heartbeat):
    def write(target: IO[bytes]) -> None:
        target.write(b"[")
        for n, row in enumerate(rows):
            if n % 500 == 0 and heartbeat.due():
                raise zips.ExportCancelled
            target.write(b",\n" if n else b"\n")
            target.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False).encode())
        target.write(b"\n]\n")

    return write


def _zip_entries(entries: list[ExportEntry], heartbeat: _Heartbeat) -> Iterator[tuple]:
    for entry in entries:
        if entry.key:
            yield entry.name, entry.key
        elif entry.rows is not None:
            yield entry.name, _json_rows(entry.rows, heartbeat)
        else:
            text = json.dumps(entry.data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            yield entry.name, (text + "\n").encode()


def _with_sizes(entries: list[ExportEntry]) -> tuple[list[ExportEntry], int]:
    """The entries whose stored files still exist (a video deleted meanwhile is left out), and
    the bytes of those files."""
    kept, total = [], 0
    for entry in entries:
        if entry.key:
            try:
                total += default_storage.size(entry.key)
            except OSError:
                logger.warning("data export: %s is gone, left out", entry.key)
                continue
        kept.append(entry)
    return kept, total


def data_export_run(*, export_id: str) -> None:
    """The task body: claim, write the ZIP, store it, mark it ready, e-mail the person."""
    export = DATA_EXPORT_LEASE.claim(
        export_id,
        queryset=DataExport.objects.select_related("user__profile"),
        started_at=timezone.now(),
        progress=0,
    )
    if export is None:
        return  # another worker has it, or it is finished
    heartbeat = _Heartbeat(export)
    entries, total = _with_sizes(export_entries(export.user))
    writer = zips.ZipWriter(
        total=total,
        on_progress=lambda percent: heartbeat.beat(progress=percent),
        cancelled=heartbeat.due,
    )
    handle = zips.open_scratch()
    key = ""
    try:
        zips.write_zip(_zip_entries(entries, heartbeat), handle, writer)
        size = handle.tell()
        if heartbeat.due():
            raise zips.ExportCancelled
        key = zips.store_zip(handle, key=f"{KEY_PREFIX}/{timezone.now():%Y}/{uuid.uuid4().hex}.zip")
    except zips.ExportCancelled:
        return  # the claim was taken from us: the worker that has it now finishes
    except OSError:
        logger.exception("data export %s could not be written", export_id)
        DATA_EXPORT_LEASE.finish(
            export,
            status=DataExportStatus.FAILED,
            error_code="storage",
            finished_at=timezone.now(),
        )
        return
    finally:
        handle.close()
        with contextlib.suppress(OSError):
            os.unlink(handle.name)  # gone already when storage moved it into place
    files = sum(1 for entry in entries if entry.key)
    if data_export_finish(export=export, key=key, size=size, files=files):
        data_export_send_ready_email(export_id=export_id)


@transaction.atomic
def data_export_finish(*, export: DataExport, key: str, size: int, files: int) -> bool:
    """Mark the export (as claimed) ready with the stored ZIP; False, and the ZIP deleted, when
    the claim was taken from this worker meanwhile."""
    now = timezone.now()
    ready = DATA_EXPORT_LEASE.finish(
        export,
        status=DataExportStatus.READY,
        progress=100,
        finished_at=now,
        expires_at=now + EXPORT_LIFETIME,
        file=key,
        size=size,
        file_count=files,
    )
    if not ready:
        transaction.on_commit(lambda: _delete_quietly(key))
        return False
    record(
        EventName.USER_DATA_EXPORT_READY,
        actor=export.user,
        subject=export,
        properties={"files": files, "size": size},
        idempotency_key=f"user.data_export_ready:{export.pk}",
    )
    return True


def _delete_quietly(*keys: str) -> None:
    for key in keys:
        if key:
            with contextlib.suppress(OSError):
                default_storage.delete(key)


def exports_to_email():
    """Ready exports whose e-mail has not gone out (the person is still there, with an address)."""
    return (
        DataExport.objects.select_related("user__profile")
        .filter(status=DataExportStatus.READY, user__is_active=True)
        .exclude(user__email="")
    )


def data_export_send_ready_email(*, export_id: str) -> bool:
    """E-mail the person that their ZIP is ready, exactly once (`send_once`)."""
    from .emails import send_data_export_ready

    return send_once(exports_to_email(), export_id, lambda export: send_data_export_ready(export))


# -- requeue and expiry ---------------------------------------------------------------------------


def data_exports_requeue_stuck(*, now=None) -> int:
    """Exports whose worker died (no heartbeat for 10 minutes) are queued again, 3 tries at most."""
    from accounts import tasks

    now = now or timezone.now()
    with transaction.atomic():
        requeued, _failed = DATA_EXPORT_LEASE.requeue_stale(
            older_than=STUCK_AFTER,
            now=now,
            fail={"status": DataExportStatus.FAILED, "error_code": "attempts", "finished_at": now},
        )
        for export_id in [str(export.pk) for export in requeued]:
            transaction.on_commit(lambda pk=export_id: tasks.run_data_export.delay(pk))
    return len(requeued)


def data_exports_expire(*, now=None) -> int:
    """Ready exports past their expiry become expired, and their ZIPs are deleted."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            DataExport.objects.select_for_update(skip_locked=True).filter(
                status=DataExportStatus.READY, expires_at__lte=now
            )
        )
        keys = [export.file.name for export in due]
        DataExport.objects.filter(pk__in=[export.pk for export in due]).update(
            status=DataExportStatus.EXPIRED, file=""
        )
        transaction.on_commit(lambda: _delete_quietly(*keys))
    return len(due)


def data_exports_forget(*, user: User) -> None:
    """On account deletion: the person's ZIPs are deleted from storage once the rows are gone."""
    keys = [key for key in DataExport.objects.filter(user=user).values_list("file", flat=True)]
    transaction.on_commit(lambda: _delete_quietly(*keys))
