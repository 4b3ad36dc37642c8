"""Checking a logo upload: PNG or JPEG by content, at most 5 MB and 4096 × 4096 px."""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

MAX_LOGO_BYTES = 5 * 1024 * 1024
MAX_LOGO_SIDE = 4096
LOGO_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG"}  # MPO: a camera JPEG with extras


@dataclass(frozen=True)
class LogoInfo:
    width: int  # as displayed (after the EXIF orientation of a JPEG)
    height: int
    format: str  # "PNG" or "JPEG"
    has_alpha: bool


# -- validation ------------------------------------------------------------------------------


def within_pixel_cap(width: int, height: int) -> bool:
    """Whether an image this size may be uploaded: the one cap for logos and template images."""
    return 0 < width <= MAX_LOGO_SIDE and 0 < height <= MAX_LOGO_SIDE


def validate_logo(file: BinaryIO) -> LogoInfo:
    """Check an uploaded logo; raise ``ValidationError`` with a clear, translated message.

    ``file`` is a Django ``UploadedFile`` or any binary file object. The size is checked first
    (at most 5 MB is ever read into memory), then the content: a readable PNG or JPEG (by its
    bytes, not its name) of at most 4096 × 4096 pixels. The file is rewound afterwards.
    """
    try:
        return _validate_logo(file)
    finally:
        with contextlib.suppress(AttributeError, OSError, ValueError):
            file.seek(0)


def _validate_logo(file: BinaryIO) -> LogoInfo:
    too_big = ValidationError(_("The logo is larger than 5 MB."), code="logo_too_large")
    unreadable = ValidationError(_("The file is not a readable image."), code="logo_unreadable")
    too_wide = ValidationError(
        _("The logo is larger than 4096 × 4096 pixels."), code="logo_too_many_pixels"
    )
    wrong_type = ValidationError(_("The logo must be a PNG or JPEG image."), code="logo_type")

    size = _known_size(file)
    if size is not None and size > MAX_LOGO_BYTES:
        raise too_big
    with contextlib.suppress(AttributeError, OSError, ValueError):
        file.seek(0)
    data = _read_at_most(file, MAX_LOGO_BYTES + 1)
    if len(data) > MAX_LOGO_BYTES:
        raise too_big
    if not data:
        raise unreadable

    try:
        # Only the header is parsed here: the pixel size is checked before any decoding, so a
        # decompression bomb is refused without being decompressed.
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format or ""
            width, height = image.size
            has_alpha = _has_alpha(image)
            transposed = _exif_orientation(image) in (5, 6, 7, 8)
    except Image.DecompressionBombError:
        raise too_wide from None
    except Exception:  # Pillow raises many types for broken files; all mean the same here
        raise unreadable from None

    if image_format not in LOGO_FORMATS:
        raise wrong_type
    if not within_pixel_cap(width, height):
        raise too_wide
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()  # structure and checksums (PNG chunk CRCs)
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # the pixels themselves: catches truncated and corrupt data
    except Image.DecompressionBombError:
        raise too_wide from None
    except Exception:
        raise unreadable from None

    if transposed:
        width, height = height, width
    return LogoInfo(
        width=width, height=height, format=LOGO_FORMATS[image_format], has_alpha=has_alpha
    )


def _known_size(file: BinaryIO) -> int | None:
    """The file's size without reading it: by seeking to its end, else its ``size``."""
    try:
        position = file.tell()
        end = file.seek(0, os.SEEK_END)
        file.seek(position)
        if isinstance(end, int):
            return end
    except (AttributeError, OSError, ValueError):
        pass
    size = getattr(file, "size", None)
    return size if isinstance(size, int) else None


def _read_at_most(file: BinaryIO, limit: int) -> bytes:
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = file.read(min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _exif_orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112) or 1)
    except Exception:
        return 1
