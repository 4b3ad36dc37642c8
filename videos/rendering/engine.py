"""render(): a template, its field values and an optional clip in, an MP4 and a JPEG out."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass

from .compose import Planner
from .errors import RenderError
from .graph import build_command
from .media import MediaInfo, probe, probe_audio, probe_infos, run_ffmpeg
from .spec import uses_video_slot

MAX_DURATION = 600.0


@dataclass(frozen=True)
class RenderRequest:
    spec: dict  # Template.spec
    # resolved values: text -> str, color -> "#rrggbb", number -> int|float,
    # numbers -> list[float], image/logo/audio -> local file path or None
    fields: dict[str, object]
    duration: float  # seconds
    width: int
    height: int
    fps: int
    output_path: str  # .mp4 to write
    thumbnail_path: str  # .jpg to write
    source_clip: str | None = None  # local path of the user's clip for the video slot
    # scratch space: render() makes its own directory inside (or in the system temp dir when
    # None) and removes it afterwards; set VIDEO_RENDER_KEEP_WORK=1 to keep it for debugging
    work_dir: str | None = None


class _Progress:
    """Monotonic integer progress over stages: planning 0–5, ffmpeg 5–97, checks 97–100."""

    def __init__(self, callback: Callable[[int], None] | None) -> None:
        self.callback = callback
        self.last = -1

    def __call__(self, value: int) -> None:
        value = max(0, min(100, int(value)))
        if self.callback is not None and value > self.last:
            self.last = value
            self.callback(value)

    def ffmpeg(self, value: int) -> None:
        self(5 + value * 92 // 100)


def _check_request(request: RenderRequest) -> None:
    if not isinstance(request.spec, dict) or "background" not in request.spec:
        raise RenderError("bad_input", "the template spec has no background")
    for name in ("width", "height"):
        value = getattr(request, name)
        if not isinstance(value, int) or value < 16 or value > 4096 or value % 2:
            raise RenderError(
                "bad_input", f"{name} must be an even number of pixels, not {value!r}"
            )
    if not isinstance(request.fps, int) or not 1 <= request.fps <= 60:
        raise RenderError("bad_input", f"fps must be between 1 and 60, not {request.fps!r}")
    if not 0 < request.duration <= MAX_DURATION:
        raise RenderError("bad_input", f"duration must be within 0–{MAX_DURATION:.0f} s")


def render(
    request: RenderRequest,
    *,
    on_progress: Callable[[int], None] | None = None,
    timeout: float | None = None,
) -> MediaInfo:
    """Render the request to ``output_path`` (H.264/AAC MP4, yuv420p, faststart) and
    ``thumbnail_path`` (JPEG), and return what the written file says about itself.

    Raises RenderError: bad_input, font_missing, ffmpeg_failed or timeout.
    """
    started = time.monotonic()
    progress = _Progress(on_progress)
    progress(0)
    _check_request(request)
    if request.work_dir:
        os.makedirs(request.work_dir, exist_ok=True)
    # a fresh directory of our own (inside work_dir when given), removed afterwards
    work_dir = tempfile.mkdtemp(prefix="render-", dir=request.work_dir or None)
    partial_video = request.output_path + ".part"
    partial_thumb = request.thumbnail_path + ".part"
    try:
        clip, clip_has_audio = None, False
        if request.source_clip and uses_video_slot(request.spec):
            info = probe_infos(request.source_clip)
            if not info.get("video_found") or not info.get("video_size"):
                raise RenderError("bad_input", "the clip has no video stream")
            if float(info.get("duration") or 0) <= 0:
                raise RenderError("bad_input", "the clip has no duration")
            clip, clip_has_audio = (
                os.path.abspath(request.source_clip),
                bool(info.get("audio_found")),
            )
        try:
            plan = Planner(
                request.spec,
                request.fields,
                width=request.width,
                height=request.height,
                fps=request.fps,
                duration=float(request.duration),
                source_clip=clip,
                clip_has_audio=clip_has_audio,
            ).build()
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise RenderError("bad_input", f"template spec: {exc!r}") from exc
        if plan.music:
            plan.music["path"] = os.path.abspath(plan.music["path"])
            probe_audio(plan.music["path"])
        progress(4)
        args = build_command(
            plan,
            work_dir=work_dir,
            output_path=os.path.abspath(partial_video),
            thumbnail_path=os.path.abspath(partial_thumb),
        )
        progress(5)
        remaining = None if timeout is None else timeout - (time.monotonic() - started)
        if remaining is not None and remaining <= 0:
            raise RenderError("timeout", "no time left before encoding")
        run_ffmpeg(
            args,
            duration=plan.duration,
            on_progress=progress.ffmpeg,
            timeout=remaining,
            cwd=work_dir,
        )
        os.replace(partial_video, request.output_path)
        if not os.path.exists(partial_thumb):
            raise RenderError("ffmpeg_failed", "ffmpeg wrote no thumbnail")
        os.replace(partial_thumb, request.thumbnail_path)
        try:
            result = probe(request.output_path)
        except RenderError as exc:
            raise RenderError("ffmpeg_failed", f"the output is unreadable: {exc.detail}") from exc
        progress(100)
        return result
    finally:
        for path in (partial_video, partial_thumb):
            with contextlib.suppress(OSError):
                os.remove(path)
        if not os.environ.get("VIDEO_RENDER_KEEP_WORK"):
            shutil.rmtree(work_dir, ignore_errors=True)
