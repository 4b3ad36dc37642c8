"""How fast a brand kit is applied: a 20 s 1280×720 30 fps clip, one watermark.

The issue asks for at least 10× real time at 720p. Run with
``pytest tests/perf/bench_branding.py -s -p no:cacheprovider --override-ini="addopts="``;
it prints the wall time and the real-time factor (video seconds / wall seconds) of the default
profile and, for comparison, of the plain x264 presets ``veryfast``, ``superfast`` and
``ultrafast``. No timing
asserts: shared machines vary.
"""

from __future__ import annotations

import subprocess
import time

import pytest
from PIL import Image, ImageDraw

from videos import branding
from videos.rendering import RenderError, ffmpeg_exe

SECONDS, WIDTH, HEIGHT, FPS = 20, 1280, 720, 30


def _ffmpeg() -> str:
    try:
        return ffmpeg_exe()
    except RenderError:
        pytest.skip("ffmpeg is not installed (imageio-ffmpeg has no binary)")


def _clip(path) -> str:
    subprocess.run(
        [
            _ffmpeg(),
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=s={WIDTH}x{HEIGHT}:r={FPS}:d={SECONDS}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={SECONDS}",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return str(path)


def _logo(path) -> str:
    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 599, 199), 40, fill=(255, 255, 255, 230))
    draw.ellipse((40, 40, 160, 160), fill=(220, 38, 38, 255))
    image.save(path)
    return str(path)


def _run(clip: str, logo: str, output: str, preset: str | None) -> tuple[float, int]:
    started = time.perf_counter()
    info = branding.apply_watermark(
        clip,
        logo,
        output,
        position="bottom-right",
        opacity=80,
        scale=0.15,
        margin=24,
        preset=preset,
    )
    return time.perf_counter() - started, info.size


def test_bench_branding(tmp_path):
    clip = _clip(tmp_path / "clip.mp4")
    logo = _logo(tmp_path / "logo.png")
    print()
    results = {}
    presets = (None, "veryfast", "superfast", "ultrafast")
    for label, preset in ((preset or "default", preset) for preset in presets):
        runs = [_run(clip, logo, str(tmp_path / f"out-{label}.mp4"), preset) for _ in range(2)]
        wall = min(seconds for seconds, _ in runs)
        size = runs[-1][1]
        results[label] = wall
        print(
            f"apply_watermark [{label:>9}] {SECONDS} s of {WIDTH}×{HEIGHT}@{FPS}: "
            f"{wall:.2f} s wall (best of 2), {SECONDS / wall:.1f}× real time, "
            f"{size / 1e6:.1f} MB"
        )
    assert results  # no timing asserts; the numbers are printed
