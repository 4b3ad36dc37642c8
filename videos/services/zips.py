"""Writing a batch export's ZIP: stored (not recompressed), streamed 1 MB at a time, so neither a
video nor the ZIP is ever held in memory; then saved to storage under `exports/…`, a top-level
prefix the bucket's lifecycle rules delete after 7 days (`manage.py apply_storage_lifecycle`).
"""

from __future__ import annotations

import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from videos import storage
from videos.filenames import filename_slug

CHUNK = 1024 * 1024
CANCEL_CHECK_BYTES = 64 * CHUNK
PROGRESS_WRITE_INTERVAL = 1.0
EXPORTS_PREFIX = storage.EXPORTS_PREFIX.rstrip("/")


class ExportCancelled(Exception):
    """The export was cancelled while the ZIP was being written."""


def export_key(workspace_id: int) -> str:
    """exports/<workspace>/<yyyy>/<uuid>.zip — a top-level prefix for the lifecycle rule."""
    return f"{EXPORTS_PREFIX}/{workspace_id}/{timezone.now():%Y}/{uuid.uuid4().hex}.zip"


def zip_names(titles_and_keys: list[tuple[str, str]]) -> list[str]:
    """Readable, unique names: "<title as a slug>.mp4", then "… (2).mp4" (videos.filenames:
    letters and combining marks of every script kept)."""
    names: list[str] = []
    taken: set[str] = set()
    for title, key in titles_and_keys:
        stem = filename_slug(title)
        suffix = Path(key).suffix.lower() or ".mp4"
        name, n = f"{stem}{suffix}", 1
        while name.lower() in taken:
            n += 1
            name = f"{stem} ({n}){suffix}"
        taken.add(name.lower())
        names.append(name)
    return names


class ZipWriter:
    """Copies sources into the open ZIP; reports progress by bytes (`on_progress(percent)`, at
    most once a second) and asks `cancelled()` between files and every 64 MB."""

    def __init__(
        self,
        *,
        total: int = 0,
        on_progress: Callable[[int], object] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self.total, self.on_progress, self.cancelled = max(total, 1), on_progress, cancelled
        self.done = self.since_check = 0
        self.last_write = 0.0

    def copy(self, source: IO[bytes], target: IO[bytes]) -> None:
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
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled

    def report(self) -> None:
        now = time.monotonic()
        if self.on_progress is None or now - self.last_write < PROGRESS_WRITE_INTERVAL:
            return
        self.last_write = now
        self.on_progress(min(99, self.done * 100 // self.total))


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


def open_scratch() -> IO[bytes]:
    """A temporary file for the ZIP (on local storage: on the media disk, to be renamed)."""
    return tempfile.NamedTemporaryFile(
        prefix="export-", suffix=".zip", dir=_scratch_dir(), delete=False
    )


def write_zip(
    entries: list[tuple[str, str]], fileobj: IO[bytes], writer: ZipWriter | None = None
) -> None:
    """(name in the ZIP, storage key) → a stored (uncompressed) ZIP64 written to `fileobj`.

    Each source is streamed 1 MB at a time: neither a video nor the ZIP is held in memory.
    """
    writer = writer or ZipWriter()
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, key in entries:
            writer.check_cancel()  # between files
            with (
                default_storage.open(key, "rb") as source,
                zf.open(name, "w", force_zip64=True) as target,
            ):
                writer.copy(source, target)


def store_zip(handle: IO[bytes], *, workspace_id: int) -> str:
    """Save the finished ZIP under a new exports/ key, streaming from (or moving) the file."""
    handle.flush()
    handle.seek(0)
    return default_storage.save(export_key(workspace_id), _TemporaryZip(handle))
