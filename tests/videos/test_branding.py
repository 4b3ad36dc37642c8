"""Brand kits on files: logo checks, the watermark's place and opacity, and the preview."""

from __future__ import annotations

import io
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from videos import branding
from videos.rendering import RenderError, ffmpeg_exe, probe, run_ffmpeg

BACKGROUND = (32, 64, 96)
WHITE = (255, 255, 255)
RED = (255, 0, 0)
VIDEO_W, VIDEO_H = 640, 360
LOGO_SIDE, LOGO_BORDER = 64, 8  # an opaque 48 px square inside an 8 px transparent border
SCALE, MARGIN = 0.2, 16  # → a 128 × 128 box, the square 96 px, the border 16 px

MSG_TYPE = "The logo must be a PNG or JPEG image."
MSG_BYTES = "The logo is larger than 5 MB."
MSG_PIXELS = "The logo is larger than 4096 × 4096 pixels."
MSG_UNREADABLE = "The file is not a readable image."


def _ffmpeg() -> str | None:
    try:
        return ffmpeg_exe()
    except RenderError:
        return None


FFMPEG = _ffmpeg()
needs_ffmpeg = pytest.mark.skipif(
    FFMPEG is None, reason="ffmpeg is not installed (imageio-ffmpeg has no binary)"
)


# -- helpers ---------------------------------------------------------------------------------


def _logo(path: Path, color=WHITE, side=LOGO_SIDE, border=LOGO_BORDER) -> str:
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    image.paste((*color, 255), (border, border, side - border, side - border))
    image.save(path)
    return str(path)


def _png_bytes(size, mode="RGBA", color=(10, 20, 30, 255)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color[: len(mode)]).save(out, format="PNG")
    return out.getvalue()


def _upload(data: bytes, name: str = "logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _messages(excinfo) -> list[str]:
    return excinfo.value.messages


def _make_video(path: Path, *, color="0x204060", seconds=2, audio=True) -> str:
    args = [FFMPEG, "-v", "error", "-y"]
    args += ["-f", "lavfi", "-i", f"color=c={color}:s={VIDEO_W}x{VIDEO_H}:r=25:d={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if audio:
        args += ["-c:a", "aac", "-b:a", "96k"]
    args += [str(path)]
    subprocess.run(args, check=True, capture_output=True, timeout=60)
    return str(path)


def _frame(path: str, at: float = 1.0) -> np.ndarray:
    """One decoded frame as an H × W × 3 uint8 array."""
    result = subprocess.run(
        [
            FFMPEG,
            "-v",
            "error",
            "-ss",
            str(at),
            "-i",
            path,
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return np.frombuffer(result.stdout, np.uint8).reshape(VIDEO_H, VIDEO_W, 3)


def _audio_hash(path: str) -> str:
    """MD5 of the audio packets as stored: equal only if they were copied, not re-encoded."""
    result = subprocess.run(
        [
            FFMPEG,
            "-v",
            "error",
            "-i",
            path,
            "-map",
            "0:a",
            "-c",
            "copy",
            "-f",
            "hash",
            "-hash",
            "md5",
            "-",
        ],
        check=True,
        capture_output=True,
        timeout=60,
        text=True,
    )
    return result.stdout.strip()


def _streams(path: str) -> list[str]:
    result = subprocess.run(
        [FFMPEG, "-hide_banner", "-i", path], capture_output=True, timeout=60, text=True
    )
    return [line.strip() for line in result.stderr.splitlines() if "Stream #" in line]


def _centre(box) -> tuple[int, int]:
    x, y, w, h = box
    return x + w // 2, y + h // 2


def _box(position: str) -> tuple[int, int, int, int]:
    return branding.logo_box(
        VIDEO_W, VIDEO_H, LOGO_SIDE, LOGO_SIDE, position=position, scale=SCALE, margin=MARGIN
    )


def _near(pixel, expected, tolerance) -> bool:
    return all(abs(int(a) - int(b)) <= tolerance for a, b in zip(pixel, expected, strict=True))


def _patch(frame: np.ndarray, x: int, y: int, radius: int = 4) -> np.ndarray:
    """The mean colour of a small square around (x, y): robust to single-pixel codec noise."""
    return frame[y - radius : y + radius + 1, x - radius : x + radius + 1].reshape(-1, 3).mean(0)


# -- logo_box --------------------------------------------------------------------------------


def test_positions_are_the_models_choices():
    from videos.models import LogoPosition

    assert set(LogoPosition.values) == branding.POSITIONS


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        ("top-left", (16, 16, 128, 128)),
        ("top-right", (640 - 128 - 16, 16, 128, 128)),
        ("bottom-left", (16, 360 - 128 - 16, 128, 128)),
        ("bottom-right", (640 - 128 - 16, 360 - 128 - 16, 128, 128)),
        ("center", ((640 - 128) // 2, (360 - 128) // 2, 128, 128)),
    ],
)
def test_logo_box_corners_and_centre(position, expected):
    assert _box(position) == expected


def test_logo_box_keeps_aspect_with_even_sides():
    x, y, w, h = branding.logo_box(
        1280, 720, 300, 100, position="bottom-right", scale=0.15, margin=24
    )
    assert (w, h) == (192, 64)
    assert (x, y) == (1280 - 192 - 24, 720 - 64 - 24)
    _, _, w, h = branding.logo_box(1280, 720, 333, 101, position="top-left", scale=0.07, margin=0)
    assert w % 2 == 0 and h % 2 == 0
    assert abs(w / h - 333 / 101) < 0.1


def test_centre_ignores_the_margin():
    assert branding.logo_box(
        1280, 720, 100, 100, position="center", scale=0.1, margin=200
    ) == branding.logo_box(1280, 720, 100, 100, position="center", scale=0.1, margin=0)


def test_a_tall_logo_or_a_wide_margin_stays_inside_the_frame():
    x, y, w, h = branding.logo_box(
        1280, 720, 100, 1000, position="bottom-left", scale=0.3, margin=24
    )
    assert h <= 720 - 24 and y >= 0 and y + h <= 720
    assert abs(w / h - 0.1) < 0.02
    x, y, w, h = branding.logo_box(
        640, 360, 100, 100, position="bottom-right", scale=0.3, margin=500
    )
    assert x >= 0 and x + w <= 640 and y >= 0 and y + h <= 360


@pytest.mark.parametrize(
    "kwargs",
    [
        {"position": "middle", "scale": 0.1, "margin": 0},
        {"position": "top-left", "scale": 0.5, "margin": 0},
        {"position": "top-left", "scale": 0.01, "margin": 0},
        {"position": "top-left", "scale": 0.1, "margin": -1},
    ],
)
def test_logo_box_rejects_bad_settings(kwargs):
    with pytest.raises(ValueError):
        branding.logo_box(1280, 720, 100, 100, **kwargs)


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


# -- preview ---------------------------------------------------------------------------------


def _solid_frame(path: Path, color=BACKGROUND) -> str:
    Image.new("RGB", (VIDEO_W, VIDEO_H), color).save(path)
    return str(path)


def test_preview_places_the_logo_in_the_box(tmp_path):
    logo = _logo(tmp_path / "logo.png", RED)
    frame = _solid_frame(tmp_path / "frame.png")
    for position in sorted(branding.POSITIONS):
        png = branding.preview(
            logo, position=position, opacity=100, scale=SCALE, margin=MARGIN, frame_path=frame
        )
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.size == (VIDEO_W, VIDEO_H)
        pixels = np.asarray(image.convert("RGB"))
        x, y, w, h = _box(position)
        border = 16  # the logo's 8 px transparent border, scaled 2×
        assert tuple(pixels[y + h // 2, x + w // 2]) == RED, position
        assert tuple(pixels[y + border + 8, x + border + 8]) == RED, position
        # The transparent border leaves the frame as it was.
        assert tuple(pixels[y + 3, x + 3]) == BACKGROUND, position
        assert tuple(pixels[y + h - 4, x + w - 4]) == BACKGROUND, position
        # Nothing outside the box changed.
        mask = np.ones((VIDEO_H, VIDEO_W), bool)
        mask[y : y + h, x : x + w] = False
        assert (pixels[mask] == BACKGROUND).all(), position


def test_preview_opacity_matches_ffmpeg_rounding(tmp_path):
    logo = _logo(tmp_path / "logo.png", WHITE)
    frame = _solid_frame(tmp_path / "frame.png")
    png = branding.preview(
        logo, position="top-left", opacity=50, scale=SCALE, margin=MARGIN, frame_path=frame
    )
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    alpha = 128  # lrint(255 × 0.50), as colorchannelmixer computes it
    expected = [round((255 * alpha + c * (255 - alpha)) / 255) for c in BACKGROUND]
    assert _near(pixels[80, 80], expected, 1)
    png = branding.preview(
        logo, position="top-left", opacity=0, scale=SCALE, margin=MARGIN, frame_path=frame
    )
    assert (np.asarray(Image.open(io.BytesIO(png)).convert("RGB")) == BACKGROUND).all()


def test_preview_on_the_generated_frame(tmp_path):
    logo = _logo(tmp_path / "logo.png", RED)
    png = branding.preview(logo, position="bottom-right", opacity=100, scale=0.15, margin=24)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1280, 720)
    pixels = np.asarray(image.convert("RGB"))
    box = branding.logo_box(
        1280, 720, LOGO_SIDE, LOGO_SIDE, position="bottom-right", scale=0.15, margin=24
    )
    x, y = _centre(box)
    assert tuple(pixels[y, x]) == RED
    assert len({tuple(p) for p in pixels[::40, ::40].reshape(-1, 3)}) > 20  # a gradient
    small = branding.preview(
        logo, position="center", opacity=80, scale=0.1, margin=0, width=640, height=360
    )
    assert Image.open(io.BytesIO(small)).size == (640, 360)


def test_preview_rejects_a_bad_logo(tmp_path):
    bad = tmp_path / "logo.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(OSError):
        branding.preview(str(bad), position="center", opacity=50, scale=0.1, margin=0)
    with pytest.raises(ValueError):
        branding.preview(
            _logo(tmp_path / "ok.png"), position="nowhere", opacity=50, scale=0.1, margin=0
        )


# -- apply_watermark -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    if FFMPEG is None:
        pytest.skip("ffmpeg is not installed (imageio-ffmpeg has no binary)")
    folder = tmp_path_factory.mktemp("branding")
    return {
        "video": _make_video(folder / "input.mp4"),
        "white": _logo(folder / "white.png", WHITE),
        "folder": folder,
    }


@needs_ffmpeg
@pytest.mark.parametrize("position", sorted(branding.POSITIONS))
def test_watermark_lands_at_the_chosen_position(media, position, tmp_path):
    output = str(tmp_path / "out.mp4")
    progress: list[int] = []
    info = branding.apply_watermark(
        media["video"],
        media["white"],
        output,
        position=position,
        opacity=100,
        scale=SCALE,
        margin=MARGIN,
        on_progress=progress.append,
        timeout=120,
    )
    assert (info.width, info.height) == (VIDEO_W, VIDEO_H)
    assert progress and progress[-1] == 100
    frame = _frame(output)
    background = _patch(_frame(media["video"]), 5 + 4, 5 + 4)
    for other in sorted(branding.POSITIONS):
        x, y = _centre(_box(other))
        expected = WHITE if other == position else background
        assert _near(_patch(frame, x, y), expected, 6), (position, other)
    # The transparent border of the logo leaves the background as it was.
    x, y, w, h = _box(position)
    assert _near(_patch(frame, x + 6, y + 6, 2), background, 6)
    assert _near(_patch(frame, x + w - 7, y + h - 7, 2), background, 6)


@needs_ffmpeg
def test_opacity_50_gives_half_intensity(media, tmp_path):
    output = str(tmp_path / "out.mp4")
    branding.apply_watermark(
        media["video"],
        media["white"],
        output,
        position="bottom-left",
        opacity=50,
        scale=SCALE,
        margin=MARGIN,
    )
    background = _patch(_frame(media["video"]), 9, 9)
    x, y = _centre(_box("bottom-left"))
    expected = background + (255 - background) * 128 / 255
    assert _near(_patch(_frame(output), x, y), expected, 12)


@needs_ffmpeg
def test_opacity_0_leaves_the_video_unmarked(media, tmp_path):
    output = str(tmp_path / "out.mp4")
    branding.apply_watermark(
        media["video"],
        media["white"],
        output,
        position="center",
        opacity=0,
        scale=SCALE,
        margin=MARGIN,
    )
    x, y = _centre(_box("center"))
    assert _near(_patch(_frame(output), x, y), _patch(_frame(media["video"]), x, y), 4)


@needs_ffmpeg
def test_audio_is_copied_and_duration_kept(media, tmp_path):
    output = str(tmp_path / "out.mp4")
    info = branding.apply_watermark(
        media["video"],
        media["white"],
        output,
        position="top-right",
        opacity=80,
        scale=0.15,
        margin=24,
    )
    source = probe(media["video"])
    assert info.has_audio and info.video_codec == "h264"
    assert abs(info.duration - source.duration) <= 0.1
    # The very same audio packets: copied, not re-encoded.
    assert _audio_hash(output) == _audio_hash(media["video"])
    audio = [line for line in _streams(output) if "Audio:" in line]
    assert len(audio) == 1 and "aac" in audio[0] and "96 kb/s" in audio[0]
    video = [line for line in _streams(output) if "Video:" in line]
    assert "yuv420p" in video[0]
    # faststart: the index comes before the media data.
    with open(output, "rb") as handle:
        head = handle.read(64 * 1024)
    assert head.find(b"moov") < head.find(b"mdat") or b"mdat" not in head


@needs_ffmpeg
def test_a_video_without_audio(media, tmp_path):
    silent = _make_video(tmp_path / "silent.mp4", audio=False)
    output = str(tmp_path / "out.mp4")
    info = branding.apply_watermark(
        silent, media["white"], output, position="top-left", opacity=100, scale=0.1, margin=8
    )
    assert not info.has_audio and abs(info.duration - 2.0) <= 0.1
    assert len(info.checksum) == 64  # the output is hashed (its version keeps the checksum)


@needs_ffmpeg
def test_the_preview_matches_the_video(media, tmp_path):
    """Same box, same size, same opacity: the kit page shows what the video gets."""
    red = _logo(tmp_path / "red.png", RED)
    kit = {"position": "bottom-right", "opacity": 70, "scale": 0.25, "margin": 20}
    output = str(tmp_path / "out.mp4")
    branding.apply_watermark(media["video"], red, output, **kit)
    still = str(tmp_path / "still.png")
    run_ffmpeg(["-ss", "1", "-i", media["video"], "-frames:v", "1", still], duration=1)
    preview = np.asarray(
        Image.open(io.BytesIO(branding.preview(red, frame_path=still, **kit))).convert("RGB")
    ).astype(int)
    video = _frame(output).astype(int)
    difference = np.abs(preview - video)
    assert difference.mean() < 1.5
    x, y, w, h = branding.logo_box(
        VIDEO_W, VIDEO_H, LOGO_SIDE, LOGO_SIDE, position="bottom-right", scale=0.25, margin=20
    )
    inner = difference[y + h // 4 : y + 3 * h // 4, x + w // 4 : x + 3 * w // 4]
    assert inner.mean() < 8


@needs_ffmpeg
def test_bad_inputs_raise_render_errors_and_leave_no_file(media, tmp_path):
    output = tmp_path / "out.mp4"
    not_video = tmp_path / "not.mp4"
    not_video.write_bytes(b"nothing here")
    with pytest.raises(RenderError) as excinfo:
        branding.apply_watermark(
            str(not_video),
            media["white"],
            str(output),
            position="center",
            opacity=50,
            scale=0.1,
            margin=0,
        )
    assert excinfo.value.code == "bad_input"
    bad_logo = tmp_path / "logo.png"
    bad_logo.write_bytes(b"nothing here")
    with pytest.raises(RenderError) as excinfo:
        branding.apply_watermark(
            media["video"],
            str(bad_logo),
            str(output),
            position="center",
            opacity=50,
            scale=0.1,
            margin=0,
        )
    assert excinfo.value.code == "bad_input"
    assert not output.exists()
    with pytest.raises(ValueError):
        branding.apply_watermark(
            media["video"],
            media["white"],
            media["video"],
            position="center",
            opacity=50,
            scale=0.1,
            margin=0,
        )
    with pytest.raises(ValueError):
        branding.apply_watermark(
            media["video"],
            media["white"],
            str(output),
            position="center",
            opacity=101,
            scale=0.1,
            margin=0,
        )


@needs_ffmpeg
def test_a_failed_run_leaves_no_output(media, tmp_path):
    output = tmp_path / "out.mp4"

    def stop(percent: int) -> None:
        raise RuntimeError("cancelled")

    with pytest.raises((RuntimeError, RenderError)):
        branding.apply_watermark(
            media["video"],
            media["white"],
            str(output),
            position="center",
            opacity=50,
            scale=0.1,
            margin=0,
            on_progress=stop,
        )
    assert not output.exists()
