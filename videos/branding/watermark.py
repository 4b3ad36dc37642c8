"""Watermarking a video: one ffmpeg run overlays the pre-scaled logo, audio copied."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from videos.rendering import MediaInfo

from .placement import (
    SafeArea,
    alpha_factor,
    check_settings,
    logo_box,
    open_logo,
    scaled_logo,
)

# libx264 settings. On two shared cores at 720p (tests/perf/bench_branding.py, idle machine)
# `veryfast` runs about 5.8× real time and `superfast` about 8×; the issue asks for 10×. This
# profile starts from `ultrafast` (about 12.7×) and turns back on the cheap tools that matter
# for bitrate (adaptive quantisation, macroblock tree with a short lookahead, deblocking, 8×8
# transform): 10–12× real time, the same SSIM as `veryfast` at CRF 23 for about 1.5× its size
# (plain `ultrafast`: 2.8× its size). ``apply_watermark(preset=...)`` picks a plain preset.
FAST_X264_PARAMS = "aq-mode=1:mbtree=1:rc-lookahead=10:deblock=1:8x8dct=1:partitions=i8x8,i4x4"
CRF = 23

ProgressCallback = Callable[[int], None]


def apply_watermark(
    input_path: str,
    logo_path: str,
    output_path: str,
    *,
    position: str,
    opacity: float,
    scale: float,
    margin: int,
    on_progress: ProgressCallback | None = None,
    timeout: float | None = None,
    preset: str | None = None,
    thumbnail_path: str | None = None,
    thumbnail_at: float = 0.0,
    safe_area: SafeArea | None = None,
) -> MediaInfo:
    """Write ``output_path``: the video at ``input_path`` with the logo overlaid on every frame.

    One ffmpeg run. The logo is scaled with Pillow to its final size first (see
    :func:`logo_box`), so ffmpeg reads a single RGBA frame, multiplies its alpha by
    ``opacity``/100 once and only overlays it. Video: libx264, CRF 23, yuv420p, faststart;
    audio streams are copied without re-encoding. ``preset`` (an x264 preset name) replaces the
    default speed profile. ``on_progress`` gets 0..100. Returns the output's ``MediaInfo``.
    With ``thumbnail_path``, the frame the output shows at ``thumbnail_at`` seconds is written
    there as a JPEG: the branded video's own thumbnail, logo included. ``safe_area`` is the
    template's area for logos (see :func:`logo_box`).

    Raises ``ValueError`` for settings out of range and ``RenderError`` for unreadable inputs
    (``bad_input``), ffmpeg failures (``ffmpeg_failed``) and ``timeout``; on failure no output
    file is left behind.
    """
    from videos.rendering import RenderError, extract_frame, probe, run_ffmpeg

    check_settings(position, scale, margin, opacity)
    if os.path.abspath(input_path) == os.path.abspath(output_path):
        raise ValueError("the output must not overwrite the input")
    info = probe(input_path, checksum=False)  # only its size and duration are needed
    try:
        logo = open_logo(logo_path)
    except Exception as exc:
        raise RenderError("bad_input", f"logo: {exc}") from exc
    x, y, w, h = logo_box(
        info.width,
        info.height,
        *logo.size,
        position=position,
        scale=scale,
        margin=margin,
        safe_area=safe_area,
    )

    video_chain = f"[0:v][wm]overlay=x={x}:y={y}:format=yuv420:eof_action=repeat"
    if info.width % 2 or info.height % 2:  # yuv420p needs even sides
        video_chain += ",crop=trunc(iw/2)*2:trunc(ih/2)*2:0:0"
    filters = f"[1:v]format=rgba,colorchannelmixer=aa={alpha_factor(opacity)}[wm];{video_chain}[v]"
    if preset:
        encoder = ["-preset", preset]
    else:
        encoder = ["-preset", "ultrafast", "-x264-params", FAST_X264_PARAMS]

    with tempfile.TemporaryDirectory(prefix="branding-") as scratch:
        logo_png = os.path.join(scratch, "logo.png")
        scaled_logo(logo, w, h).save(logo_png, format="PNG", compress_level=1)
        args = [
            "-i",
            input_path,
            "-i",
            logo_png,
            "-filter_complex",
            filters,
            "-map",
            "[v]",
            "-map",
            "0:a?",
            "-c:v",
            "libx264",
            *encoder,
            "-crf",
            str(CRF),
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "copy",
            "-movflags",
            "+faststart",
            "-f",
            "mp4",
            output_path,
        ]
        try:
            run_ffmpeg(args, duration=info.duration, on_progress=on_progress, timeout=timeout)
            if thumbnail_path:
                extract_frame(output_path, thumbnail_path, at=thumbnail_at)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(output_path)
            raise
    return probe(output_path)
