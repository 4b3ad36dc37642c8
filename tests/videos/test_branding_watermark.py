"""videos.branding.apply_watermark: the logo burnt into a real video with ffmpeg."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from videos import branding
from videos.rendering import RenderError, ffmpeg_exe, probe, run_ffmpeg

from .conftest import (
    LOGO_SIDE,
    MARGIN,
    RED,
    SCALE,
    VIDEO_H,
    VIDEO_W,
    WHITE,
    centre,
    draw_logo,
    expected_box,
    near,
)


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


def _patch(frame: np.ndarray, x: int, y: int, radius: int = 4) -> np.ndarray:
    """The mean colour of a small square around (x, y): robust to single-pixel codec noise."""
    return frame[y - radius : y + radius + 1, x - radius : x + radius + 1].reshape(-1, 3).mean(0)


# -- apply_watermark -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    if FFMPEG is None:
        pytest.skip("ffmpeg is not installed (imageio-ffmpeg has no binary)")
    folder = tmp_path_factory.mktemp("branding")
    return {
        "video": _make_video(folder / "input.mp4"),
        "white": draw_logo(folder / "white.png", WHITE),
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
        x, y = centre(expected_box(other))
        expected = WHITE if other == position else background
        assert near(_patch(frame, x, y), expected, 6), (position, other)
    # The transparent border of the logo leaves the background as it was.
    x, y, w, h = expected_box(position)
    assert near(_patch(frame, x + 6, y + 6, 2), background, 6)
    assert near(_patch(frame, x + w - 7, y + h - 7, 2), background, 6)


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
    x, y = centre(expected_box("bottom-left"))
    expected = background + (255 - background) * 128 / 255
    assert near(_patch(_frame(output), x, y), expected, 12)


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
    x, y = centre(expected_box("center"))
    assert near(_patch(_frame(output), x, y), _patch(_frame(media["video"]), x, y), 4)


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
    red = draw_logo(tmp_path / "red.png", RED)
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
