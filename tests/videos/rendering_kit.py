"""Helpers for the rendering-engine tests (test_rendering_*.py): fonts, ffmpeg, requests."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from videos.rendering import (
    RenderError,
    RenderRequest,
    ffmpeg_exe,
    mp4_top_level_atoms,
    probe,
    resolve_fields,
)

NOTO = Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")


def _have_ffmpeg() -> bool:
    try:
        ffmpeg_exe()
    except RenderError:
        return False
    return True


needs_ffmpeg = pytest.mark.skipif(not _have_ffmpeg(), reason="imageio-ffmpeg has no ffmpeg binary")
needs_fonts = pytest.mark.skipif(
    not (NOTO.exists() and NOTO_CJK.exists()),
    reason="Noto fonts missing (Debian: apt install fonts-noto-core fonts-noto-cjk)",
)


def small_size(aspect_ratio: str) -> tuple[int, int]:
    return {"16:9": (320, 180), "9:16": (320, 568), "1:1": (320, 320)}[aspect_ratio]


def streams(path: Path) -> str:
    """The stream lines `ffmpeg -i` prints for a file."""
    result = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True
    )
    return "\n".join(line for line in result.stderr.splitlines() if "Stream #" in line)


def request_for(template: dict, tmp_path: Path, **overrides) -> RenderRequest:
    width, height = small_size(template["aspect_ratio"])
    values = {
        "spec": template["spec"],
        "fields": resolve_fields(template["fields"], {}),
        "duration": template["duration"],
        "width": width,
        "height": height,
        "fps": 10,
        "output_path": str(tmp_path / "out.mp4"),
        "thumbnail_path": str(tmp_path / "thumb.jpg"),
        "work_dir": str(tmp_path / "work"),
    }
    values.update(overrides)
    return RenderRequest(**values)


def assert_valid_mp4(path: Path, *, duration: float, width: int, height: int) -> None:
    info = probe(str(path))
    assert info.video_codec == "h264"
    assert (info.width, info.height) == (width, height)
    assert abs(info.duration - duration) <= 0.1, info.duration
    assert info.has_audio
    assert info.size == path.stat().st_size
    assert re.fullmatch(r"[0-9a-f]{64}", info.checksum)
    lines = streams(path)
    assert re.search(r"Video: h264 .*yuv420p", lines), lines
    assert re.search(r"Audio: aac", lines), lines
    atoms = mp4_top_level_atoms(str(path))
    assert atoms.index("moov") < atoms.index("mdat"), atoms  # faststart
