"""Uploaded images, music and clips: checked completely before anything is stored."""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Iterator
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from teams.models import Team
from videos import storage
from videos.branding import MAX_LOGO_SIDE, within_pixel_cap
from videos.fields import FILE_TYPES
from videos.models import (
    Template,
)

logger = logging.getLogger(__name__)

CLIP_TYPES = {".mp4", ".mov", ".webm"}
CLIP_MAX_BYTES = 200 * 1024 * 1024
CLIP_MAX_SECONDS = 300
IMAGE_MAX_BYTES = 10 * 1024 * 1024


def validate_image(upload: UploadedFile) -> None:
    from PIL import Image, UnidentifiedImageError

    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationError(_("Images can be at most 10 MB."))
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            # The header gives the size: an image over the cap is refused before any decoding.
            width, height = image.size
            if within_pixel_cap(width, height):
                image.verify()
            kind = image.format
    except Image.DecompressionBombError:
        width = height = 0  # far over the cap
    except (UnidentifiedImageError, OSError):
        raise ValidationError(_("The file is not a readable image.")) from None
    finally:
        upload.seek(0)
    if not within_pixel_cap(width, height):
        raise ValidationError(
            _("The image is larger than %(side)s × %(side)s pixels.") % {"side": MAX_LOGO_SIDE}
        )
    if kind not in {"PNG", "JPEG", "WEBP"}:
        raise ValidationError(_("Images must be PNG, JPEG or WebP."))


@contextlib.contextmanager
def _local_copy(upload: UploadedFile, suffix: str) -> Iterator[IO[bytes]]:
    """The upload written to a temporary file (ffmpeg needs a path); the upload is rewound."""
    with tempfile.NamedTemporaryFile(suffix=suffix) as scratch:
        upload.seek(0)
        for chunk in upload.chunks():
            scratch.write(chunk)
        scratch.flush()
        upload.seek(0)
        yield scratch


AUDIO_TYPES = {".mp3", ".m4a", ".aac", ".wav", ".ogg", ".oga", ".flac"}
AUDIO_MAX_BYTES = 20 * 1024 * 1024


def validate_audio(upload: UploadedFile) -> None:
    """A music track: a known audio type, at most 20 MB, with an audio stream ffmpeg can read."""
    from pathlib import Path

    from videos.rendering import RenderError, probe_audio

    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in AUDIO_TYPES:
        raise ValidationError(_("Upload the music as MP3, M4A, AAC, WAV, OGG or FLAC."))
    if upload.size > AUDIO_MAX_BYTES:
        raise ValidationError(_("Music files can be at most 20 MB."))
    with _local_copy(upload, suffix) as scratch:
        try:
            probe_audio(scratch.name)
        except RenderError:
            raise ValidationError(_("This file is not an audio file we can read.")) from None


def validate_clip(upload: UploadedFile) -> float:
    """Check an uploaded clip by probing it with ffmpeg; returns its duration."""
    from pathlib import Path

    from videos.rendering import RenderError, probe

    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in CLIP_TYPES:
        raise ValidationError(_("Upload an MP4, MOV or WebM video."))
    if upload.size > CLIP_MAX_BYTES:
        raise ValidationError(_("Videos can be at most 200 MB."))
    with _local_copy(upload, suffix) as scratch:
        try:
            info = probe(scratch.name, checksum=False)  # only the duration is needed
        except RenderError:
            raise ValidationError(_("This file is not a video we can read.")) from None
    if info.duration <= 0:
        raise ValidationError(_("This file is not a video we can read."))
    if info.duration > CLIP_MAX_SECONDS:
        raise ValidationError(_("Videos can be at most 5 minutes long."))
    return info.duration


def check_uploads(
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


def store_files(workspace: Team, files: dict[str, UploadedFile]) -> dict[str, str]:
    """Store checked images for file fields; returns name → storage key."""
    return {
        name: storage.save_upload(upload, workspace_id=workspace.pk, kind="uploads")
        for name, upload in files.items()
    }


@contextlib.contextmanager
def removed_on_failure(*keys: str) -> Iterator[None]:
    """Files just stored are deleted again when what was to point at them is not saved."""
    try:
        yield
    except BaseException:
        storage.delete_quietly(*keys)
        raise


def has_video_slot(template: Template) -> bool:
    """Whether the template has a place for the creator's own clip: in the spec format
    (videos.rendering.spec) a `video` layer or a `video` background."""
    from videos.rendering.spec import uses_video_slot

    return uses_video_slot(template.spec)


def store_clip(workspace: Team, clip: UploadedFile | None) -> str:
    """Store a checked clip of the creator's own; its storage key, or "" when there is none."""
    if clip is None:
        return ""
    return storage.save_upload(clip, workspace_id=workspace.pk, kind="uploads")
