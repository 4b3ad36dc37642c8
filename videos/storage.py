"""Files in Django storage (local disk or S3): new keys, downloads to scratch, uploads.

Every render and upload gets a new key, so nothing is ever overwritten.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import uuid
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

CHUNK = 1024 * 1024


def new_key(workspace_id: int, kind: str, suffix: str) -> str:
    """workspaces/<id>/<kind>/<yyyy>/<uuid><suffix> — unique for every file we write."""
    from django.utils import timezone

    return f"workspaces/{workspace_id}/{kind}/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


# The extension of a stored file never comes from the uploader's name as such: images get the
# one of the type their bytes show, audio and video (probed by ffmpeg before they are stored)
# keep their name's only if it is one we accept, spelled our way; anything else gets none.
IMAGE_SUFFIXES = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}
MEDIA_SUFFIXES = {
    ".jpeg": ".jpg",
    **{
        suffix: suffix
        for suffix in (
            *(".png", ".jpg", ".webp", ".mp4", ".mov", ".webm"),
            *(".mp3", ".m4a", ".aac", ".wav", ".ogg", ".oga", ".flac"),
        )
    },
}


# What `new_key(…, "uploads", …)` and `video_upload_path` make, and nothing else: no "..", no
# other folder, no other workspace's id.
_UPLOAD_KEY = re.compile(
    r"workspaces/(?P<workspace>[1-9][0-9]*)/uploads/(?:[0-9]{4}/)?[0-9a-f]{32}(?P<suffix>\.[a-z0-9]+)?"
)


def is_upload_of(key: str, workspace_id: int | None) -> bool:
    """Whether `key` names a file uploaded to this workspace (and it is still stored): what a
    template's image, logo or music field may point at when a client sends it as a key."""
    match = _UPLOAD_KEY.fullmatch(key) if isinstance(key, str) else None
    if match is None or workspace_id is None or match["workspace"] != str(workspace_id):
        return False
    if match["suffix"] is not None and match["suffix"] not in MEDIA_SUFFIXES.values():
        return False
    return default_storage.exists(key)


def safe_suffix(filename: str) -> str:
    """The name's extension if it is one we accept (lower case, .jpeg as .jpg); else ""."""
    return MEDIA_SUFFIXES.get(Path(filename or "").suffix.lower(), "")


def detected_suffix(upload: UploadedFile) -> str:
    """The extension for an upload: from the image type its bytes show, else `safe_suffix`."""
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        kind = None
    finally:
        upload.seek(0)
    if kind is not None:
        return IMAGE_SUFFIXES.get(kind, "")
    return safe_suffix(upload.name or "")


def save_upload(upload: UploadedFile, *, workspace_id: int, kind: str) -> str:
    suffix = detected_suffix(upload)
    upload.seek(0)
    return default_storage.save(new_key(workspace_id, kind, suffix), upload)


def save_path(path: str | os.PathLike, *, workspace_id: int, kind: str) -> str:
    with open(path, "rb") as handle:
        key = default_storage.save(
            new_key(workspace_id, kind, Path(path).suffix.lower()), File(handle)
        )
    if kind in VERSION_FILE_KINDS:
        tag_for_lifecycle(key, LIFECYCLE_VERSION)
    return key


# -- lifecycle (manage.py apply_storage_lifecycle) ------------------------------------------------
# S3 lifecycle filters match a key prefix or object tags. Version files live under
# workspaces/<id>/renders/…, so they carry a tag; export ZIPs and temporary uploads have
# top-level prefixes of their own.
LIFECYCLE_TAG = "vc-lifecycle"
LIFECYCLE_VERSION = "version"
VERSION_FILE_KINDS = frozenset({"renders"})
EXPORTS_PREFIX = "exports/"
TMP_UPLOADS_PREFIX = "tmp-uploads/"


def tag_for_lifecycle(key: str, value: str) -> None:
    """Tag an S3 object for the lifecycle rules (nothing to do on local disk)."""
    if is_local() or not key:
        return
    client = default_storage.connection.meta.client
    client.put_object_tagging(
        Bucket=default_storage.bucket_name,
        Key=default_storage._normalize_name(key),
        Tagging={"TagSet": [{"Key": LIFECYCLE_TAG, "Value": value}]},
    )


def download(key: str, directory: str | os.PathLike) -> str:
    """Copy a stored file into `directory` in chunks; returns the local path."""
    target = Path(directory) / f"{uuid.uuid4().hex}{Path(key).suffix.lower()}"
    with default_storage.open(key, "rb") as source, open(target, "wb") as destination:
        shutil.copyfileobj(source, destination, CHUNK)
    return str(target)


def delete_quietly(*keys: str) -> None:
    for key in keys:
        if key:
            with contextlib.suppress(OSError):
                default_storage.delete(key)


def url(key: str) -> str:
    """A URL for the file: presigned (time-limited) on S3, the media URL on local disk."""
    return default_storage.url(key)


def is_local() -> bool:
    from django.core.files.storage import FileSystemStorage, storages

    return isinstance(storages["default"], FileSystemStorage)
