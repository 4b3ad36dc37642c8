"""videos.branding.validate_logo: which uploads make a logo, and the translated refusals."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from videos import branding

MSG_TYPE = "The logo must be a PNG or JPEG image."


MSG_BYTES = "The logo is larger than 5 MB."


MSG_PIXELS = "The logo is larger than 4096 × 4096 pixels."


MSG_UNREADABLE = "The file is not a readable image."


# -- helpers ---------------------------------------------------------------------------------


def _png_bytes(size, mode="RGBA", color=(10, 20, 30, 255)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color[: len(mode)]).save(out, format="PNG")
    return out.getvalue()


def _upload(data: bytes, name: str = "logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _messages(excinfo) -> list[str]:
    return excinfo.value.messages


# -- validate_logo ---------------------------------------------------------------------------


def test_accepts_a_png_with_alpha_and_rewinds():
    upload = _upload(_png_bytes((300, 120)))
    info = branding.validate_logo(upload)
    assert info == branding.LogoInfo(width=300, height=120, format="PNG", has_alpha=True)
    assert upload.tell() == 0


def test_accepts_a_jpeg_whatever_its_name():
    out = io.BytesIO()
    Image.new("RGB", (200, 100), (200, 10, 10)).save(out, format="JPEG")
    info = branding.validate_logo(_upload(out.getvalue(), "logo.png"))
    assert info == branding.LogoInfo(width=200, height=100, format="JPEG", has_alpha=False)


def test_accepts_a_plain_binary_file_and_palette_transparency(tmp_path):
    path = tmp_path / "logo.png"
    image = Image.new("P", (50, 40), 0)
    image.save(path, transparency=0)
    with open(path, "rb") as handle:
        handle.read(10)
        info = branding.validate_logo(handle)
        assert handle.tell() == 0
    assert info.has_alpha and info.format == "PNG"


def test_accepts_a_temporary_uploaded_file():
    from django.core.files.uploadedfile import TemporaryUploadedFile

    upload = TemporaryUploadedFile("logo.png", "image/png", 0, None)
    upload.write(_png_bytes((640, 480), "LA", (200, 128)))
    upload.size = upload.tell()
    try:
        info = branding.validate_logo(upload)
        assert (info.width, info.height, info.has_alpha) == (640, 480, True)
        assert upload.tell() == 0
    finally:
        upload.close()


def test_accepts_the_largest_allowed_logo():
    info = branding.validate_logo(_upload(_png_bytes((4096, 4096), "RGB")))
    assert (info.width, info.height) == (4096, 4096)


def test_rejects_a_gif():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(out, format="GIF")
    with pytest.raises(ValidationError) as excinfo:
        branding.validate_logo(_upload(out.getvalue(), "logo.png"))
    assert _messages(excinfo) == [MSG_TYPE]
    assert excinfo.value.code == "logo_type"


def test_rejects_a_text_file_named_png():
    upload = _upload(b"this is not an image\n" * 20, "logo.png")
    with pytest.raises(ValidationError) as excinfo:
        branding.validate_logo(upload)
    assert _messages(excinfo) == [MSG_UNREADABLE]
    assert upload.tell() == 0


def test_rejects_an_empty_or_truncated_png():
    with pytest.raises(ValidationError) as excinfo:
        branding.validate_logo(_upload(b""))
    assert _messages(excinfo) == [MSG_UNREADABLE]
    noisy = Image.fromarray(np.random.default_rng(1).integers(0, 255, (200, 200, 3), np.uint8))
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    with pytest.raises(ValidationError) as excinfo:
        branding.validate_logo(_upload(out.getvalue()[: len(out.getvalue()) // 2]))
    assert _messages(excinfo) == [MSG_UNREADABLE]


def test_rejects_more_than_5_mb_before_reading_it():
    data = _png_bytes((10, 10)) + b"\0" * (5 * 1024 * 1024)
    with pytest.raises(ValidationError) as excinfo:
        branding.validate_logo(_upload(data))
    assert _messages(excinfo) == [MSG_BYTES]
    assert excinfo.value.code == "logo_too_large"


def test_rejects_more_than_5_mb_from_a_stream_that_cannot_seek():
    class Stream(io.RawIOBase):
        def __init__(self, size: int) -> None:
            self.left = size
            self.read_total = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            count = min(len(buffer), self.left)
            buffer[:count] = b"\0" * count
            self.left -= count
            self.read_total += count
            return count

    stream = Stream(50 * 1024 * 1024)
    with pytest.raises(ValidationError) as excinfo:
        branding.validate_logo(stream)
    assert _messages(excinfo) == [MSG_BYTES]
    assert stream.read_total <= 5 * 1024 * 1024 + 1


def test_accepts_exactly_5_mb():
    logo = _png_bytes((10, 10))
    # Bytes after IEND are ignored by PNG readers.
    data = logo + b"\0" * (5 * 1024 * 1024 - len(logo))
    assert branding.validate_logo(_upload(data)).format == "PNG"


def test_rejects_more_than_4096_pixels_on_a_side():
    with pytest.raises(ValidationError) as excinfo:
        branding.validate_logo(_upload(_png_bytes((5000, 10))))
    assert _messages(excinfo) == [MSG_PIXELS]
    with pytest.raises(ValidationError):
        branding.validate_logo(_upload(_png_bytes((10, 4097))))


def test_rejects_a_decompression_bomb_without_decoding_it():
    data = bytearray(_png_bytes((1, 1), "L", (0,)))
    # Claim 100 000 × 100 000 pixels in the header (and fix its CRC).
    ihdr = bytearray(data[16:29])
    ihdr[0:8] = struct.pack(">II", 100_000, 100_000)
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)))
    with pytest.raises(ValidationError) as excinfo:
        branding.validate_logo(_upload(bytes(data)))
    assert _messages(excinfo) == [MSG_PIXELS]


def test_messages_are_translated_when_raised():
    with translation.override("fr"):
        expected = gettext(MSG_TYPE)
        out = io.BytesIO()
        Image.new("RGB", (20, 20)).save(out, format="BMP")
        with pytest.raises(ValidationError) as excinfo:
            branding.validate_logo(_upload(out.getvalue(), "logo.png"))
    assert _messages(excinfo) == [expected]
