"""Writing a batch export's ZIP: stored (not recompressed), streamed 1 MB at a time, so neither a
video nor the ZIP is ever held in memory; then saved to storage under `exports/…`, a top-level
prefix the bucket's lifecycle rules delete after 7 days (`manage.py apply_storage_lifecycle`).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import IO

from django.utils import timezone

from videocreator import zips
from videocreator.zips import ExportCancelled, ZipWriter, open_scratch, write_zip
from videos import storage
from videos.filenames import filename_slug

EXPORTS_PREFIX = storage.EXPORTS_PREFIX.rstrip("/")

# The streaming ZIP writer is shared with the personal data export (videocreator.zips).
__all__ = [
    "ExportCancelled",
    "ZipWriter",
    "export_key",
    "open_scratch",
    "store_zip",
    "write_zip",
    "zip_names",
]


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


def store_zip(handle: IO[bytes], *, workspace_id: int) -> str:
    """Save the finished ZIP under a new exports/ key, streaming from (or moving) the file."""
    return zips.store_zip(handle, key=export_key(workspace_id))
