"""Writing a ZIP of stored files in the background: stored (not recompressed), streamed 1 MB at a
time, so neither a file nor the ZIP is ever held in memory; then saved to storage.

Used by the videos' batch export and the personal data export (accounts.privacy). Like
`videocreator.leases`, this module imports no app: each caller chooses the entries and the key.
"""

from __future__ import annotations

import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

CHUNK = 1024 * 1024
CANCEL_CHECK_BYTES = 64 * CHUNK
PROGRESS_WRITE_INTERVAL = 1.0

# What a ZIP entry is made from: a storage key (streamed), bytes, or a function that writes
# the entry itself into the open target (e.g. a JSON array row by row).
Source = str | bytes | Callable[[IO[bytes]], object]


class ExportCancelled(Exception):
    """The export was cancelled while the ZIP was being written."""


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


class TemporaryZip(File):
    """A finished ZIP on disk; FileSystemStorage moves it into place instead of copying."""

    def temporary_file_path(self) -> str:
        return self.file.name


def storage_is_local() -> bool:
    from django.core.files.storage import FileSystemStorage, storages

    return isinstance(storages["default"], FileSystemStorage)


def scratch_dir() -> str | None:
    """On local storage, a scratch directory on the same disk, so the ZIP is renamed, not copied."""
    if not storage_is_local():
        return None
    directory = Path(settings.MEDIA_ROOT) / ".export-tmp"
    directory.mkdir(parents=True, exist_ok=True)
    return str(directory)


def open_scratch() -> IO[bytes]:
    """A temporary file for the ZIP (on local storage: on the media disk, to be renamed)."""
    return tempfile.NamedTemporaryFile(
        prefix="export-", suffix=".zip", dir=scratch_dir(), delete=False
    )


def write_zip(
    entries: Iterable[tuple[str, Source]], fileobj: IO[bytes], writer: ZipWriter | None = None
) -> None:
    """(name in the ZIP, source) → a stored (uncompressed) ZIP64 written to `fileobj`.

    A storage key is streamed 1 MB at a time: neither a file nor the ZIP is held in memory.
    """
    writer = writer or ZipWriter()
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, source in entries:
            writer.check_cancel()  # between files
            if isinstance(source, str):
                with (
                    default_storage.open(source, "rb") as handle,
                    zf.open(name, "w", force_zip64=True) as target,
                ):
                    writer.copy(handle, target)
                continue
            with zf.open(name, "w", force_zip64=True) as target:
                if isinstance(source, bytes):
                    target.write(source)
                else:
                    source(target)


def store_zip(handle: IO[bytes], *, key: str) -> str:
    """Save the finished ZIP under `key` (storage may adjust it), streaming from (or moving)
    the file; returns the key it was stored under."""
    handle.flush()
    handle.seek(0)
    return default_storage.save(key, TemporaryZip(handle))
