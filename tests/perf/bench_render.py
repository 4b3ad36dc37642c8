"""Render every starter template at 720p / 30 fps and compare with ffmpeg re-encoding the result.

Run with ``make bench`` (``pytest tests/perf -s``). The target is a ratio of at most 2.0: a
render should take no longer than twice what ffmpeg needs to re-encode that very output with
the same codec settings. Timings are printed, never asserted – the machines are shared and
noisy. Each measurement is the best of ``BENCH_REPEAT`` runs (default 2), render and baseline
interleaved so that load spikes hit both alike. ``BENCH_TEMPLATES`` (comma-separated keys)
limits the run.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from videos.rendering import (
    RenderError,
    RenderRequest,
    ffmpeg_exe,
    mp4_top_level_atoms,
    output_size,
    probe,
    render,
    resolve_fields,
)
from videos.rendering.graph import ENCODE_AUDIO, ENCODE_VIDEO
from videos.starter_templates import STARTER_TEMPLATES

NOTO_BOLD = Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")
REPEAT = max(1, int(os.environ.get("BENCH_REPEAT", "2")))
FPS = 30


def _ffmpeg_or_skip() -> str:
    try:
        return ffmpeg_exe()
    except RenderError as exc:
        pytest.skip(f"ffmpeg is not available: {exc.detail}")


def _baseline(source: Path, target: Path) -> float:
    """Seconds ffmpeg needs to re-encode `source` with the render's codec settings."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y", "-i", str(source)]
    cmd += [*ENCODE_VIDEO, *ENCODE_AUDIO, "-movflags", "+faststart", str(target)]
    started = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - started


def _assert_valid(path: Path, *, duration: float, width: int, height: int) -> None:
    info = probe(str(path))
    assert info.video_codec == "h264"
    assert info.has_audio
    assert (info.width, info.height) == (width, height)
    assert abs(info.duration - duration) <= 0.1
    atoms = mp4_top_level_atoms(str(path))
    assert atoms.index("moov") < atoms.index("mdat")


def _naive_moviepy_title_card(path: Path) -> float:
    """The approach we replaced: MoviePy composites every frame in Python."""
    from moviepy import ColorClip, CompositeVideoClip, TextClip, vfx

    started = time.perf_counter()
    size = (1280, 720)
    background = ColorClip(size, color=(20, 24, 48)).with_duration(10)
    title = (
        TextClip(
            font=str(NOTO_BOLD),
            text="Summer sale — 50% off",
            font_size=72,
            color="white",
            margin=(10, 20),
        )
        .with_duration(9)
        .with_start(0.5)
        .with_position(("center", "center"))
        .with_effects([vfx.CrossFadeIn(0.8), vfx.CrossFadeOut(0.6)])
    )
    clip = CompositeVideoClip([background, title], size=size).with_duration(10)
    clip.write_videofile(
        str(path),
        fps=FPS,
        codec="libx264",
        preset="veryfast",
        audio=False,
        ffmpeg_params=["-crf", "23", "-pix_fmt", "yuv420p"],
        logger=None,
    )
    return time.perf_counter() - started


TITLE_CARD_SPEC = {
    "version": 1,
    "background": {"type": "color", "color": "#141830"},
    "layers": [
        {
            "type": "text",
            "field": "title",
            "size": 0.1,
            "start": 0.5,
            "end": 9.5,
            "in": ["fade"],
            "in_duration": 0.8,
            "out": ["fade"],
        }
    ],
}


def test_bench_render(tmp_path):
    _ffmpeg_or_skip()
    if not NOTO_BOLD.exists():
        pytest.skip("Noto fonts are not installed (Debian: fonts-noto-core, fonts-noto-cjk)")
    only = {k for k in os.environ.get("BENCH_TEMPLATES", "").split(",") if k}
    rows = []
    for template in STARTER_TEMPLATES:
        if only and template["key"] not in only:
            continue
        width, height = output_size(template["aspect_ratio"], 720)
        output = tmp_path / f"{template['key']}.mp4"
        request = RenderRequest(
            spec=template["spec"],
            fields=resolve_fields(template["fields"], {}),
            duration=template["duration"],
            width=width,
            height=height,
            fps=FPS,
            output_path=str(output),
            thumbnail_path=str(tmp_path / f"{template['key']}.jpg"),
            work_dir=str(tmp_path / "work"),
        )
        render_times, baseline_times = [], []
        for _ in range(REPEAT):
            started = time.perf_counter()
            render(request)
            render_times.append(time.perf_counter() - started)
            baseline_times.append(_baseline(output, tmp_path / "baseline.mp4"))
        _assert_valid(output, duration=template["duration"], width=width, height=height)
        best_render, best_baseline = min(render_times), min(baseline_times)
        rows.append((template["key"], template["duration"], best_render, best_baseline))

    card = tmp_path / "title-card.mp4"
    naive = _naive_moviepy_title_card(card)
    naive_baseline = _baseline(card, tmp_path / "baseline.mp4")
    ours = tmp_path / "title-card-engine.mp4"
    started = time.perf_counter()
    render(
        RenderRequest(
            spec=TITLE_CARD_SPEC,
            fields={"title": "Summer sale — 50% off"},
            duration=10,
            width=1280,
            height=720,
            fps=FPS,
            output_path=str(ours),
            thumbnail_path=str(tmp_path / "title-card.jpg"),
        )
    )
    engine = time.perf_counter() - started
    engine_baseline = _baseline(ours, tmp_path / "baseline.mp4")

    print()
    print(f"720p, {FPS} fps, best of {REPEAT}; baseline = ffmpeg re-encoding the output")
    print(f"{'template':<28} {'duration':>8} {'render s':>9} {'baseline s':>11} {'ratio':>6}")
    for key, duration, seconds, baseline in rows:
        ratio = seconds / baseline
        flag = "" if ratio <= 2.0 else "  > 2.0"
        print(f"{key:<28} {duration:>7}s {seconds:>9.2f} {baseline:>11.2f} {ratio:>6.2f}{flag}")
    print()
    print("10 s 720p title card (context):")
    for label, seconds, baseline in (
        ("naive MoviePy composite", naive, naive_baseline),
        ("this engine", engine, engine_baseline),
    ):
        print(
            f"  {label:<24} {seconds:6.2f} s, baseline {baseline:5.2f} s, "
            f"ratio {seconds / baseline:5.2f}"
        )
    assert len(rows) == len(only or STARTER_TEMPLATES)
