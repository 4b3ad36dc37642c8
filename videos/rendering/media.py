"""ffmpeg itself: finding it, running it with progress, probing files, output sizes."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import struct
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .errors import RenderError

ProgressCallback = Callable[[int], None]

_ASPECTS = {"16:9": (16, 9), "9:16": (9, 16), "1:1": (1, 1)}


@dataclass(frozen=True)
class MediaInfo:
    duration: float
    width: int
    height: int
    fps: float
    has_audio: bool
    video_codec: str
    size: int
    checksum: str  # sha256 hex of the file


def ffmpeg_exe() -> str:
    """The ffmpeg binary imageio-ffmpeg ships (or the one ``IMAGEIO_FFMPEG_EXE`` names)."""
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as exc:  # RuntimeError when no binary is available
        raise RenderError("ffmpeg_failed", f"ffmpeg is not available: {exc}") from exc


def output_size(aspect_ratio: str, resolution: int) -> tuple[int, int]:
    """Frame size for an aspect ratio and a resolution (short side): ("16:9", 720) → 1280×720."""
    try:
        aw, ah = _ASPECTS[aspect_ratio]
    except KeyError:
        raise ValueError(f"unknown aspect ratio {aspect_ratio!r}") from None
    if not isinstance(resolution, int) or resolution <= 0:
        raise ValueError(f"resolution must be a positive integer, not {resolution!r}")
    short = resolution
    long_side = round(short * max(aw, ah) / min(aw, ah) / 2) * 2
    if aw > ah:
        return long_side, short
    if ah > aw:
        return short, long_side
    return short, short


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def mp4_top_level_atoms(path: str) -> list[str]:
    """Types of the top-level boxes of an MP4/MOV file, in file order (['ftyp', 'moov', ...])."""
    atoms = []
    size_total = os.path.getsize(path)
    with open(path, "rb") as handle:
        offset = 0
        while offset + 8 <= size_total and len(atoms) < 64:
            handle.seek(offset)
            size, kind = struct.unpack(">I4s", handle.read(8))
            if size == 1:
                (size,) = struct.unpack(">Q", handle.read(8))
            elif size == 0:
                size = size_total - offset
            if size < 8:
                break
            atoms.append(kind.decode("latin-1"))
            offset += size
    return atoms


def probe(path: str, *, checksum: bool = True) -> MediaInfo:
    """Duration, size, fps, audio and codec of a video file, read by ffmpeg (through MoviePy).

    ``checksum=False`` skips hashing the file (``checksum`` is then ""): for inputs, whose
    hash nobody keeps. Raises RenderError("bad_input") for anything that is not a readable video.
    """
    info = probe_infos(path)
    if not info.get("video_found") or not info.get("video_size"):
        raise RenderError("bad_input", f"{os.path.basename(path)}: no video stream")
    duration = float(info.get("duration") or 0.0)
    if duration <= 0:
        raise RenderError("bad_input", f"{os.path.basename(path)}: no duration")
    width, height = info["video_size"]
    return MediaInfo(
        duration=duration,
        width=int(width),
        height=int(height),
        fps=float(info.get("video_fps") or 0.0),
        has_audio=bool(info.get("audio_found")),
        video_codec=str(info.get("video_codec_name") or ""),
        size=os.path.getsize(path),
        checksum=file_sha256(path) if checksum else "",
    )


def probe_audio(path: str) -> float:
    """Duration of a file that must carry an audio stream; RenderError("bad_input") otherwise."""
    info = probe_infos(path)
    if not info.get("audio_found"):
        raise RenderError("bad_input", f"{os.path.basename(path)}: no audio stream")
    return float(info.get("duration") or 0.0)


def probe_infos(path: str) -> dict:
    """ffmpeg's description of a media file (streams, duration, size), as MoviePy parses it."""
    if not path or not os.path.isfile(path):
        raise RenderError("bad_input", f"{path!r} is not a file")
    from moviepy.video.io.ffmpeg_reader import ffmpeg_parse_infos

    try:
        return ffmpeg_parse_infos(path)
    except Exception as exc:  # moviepy raises OSError/IOError with ffmpeg's output
        first_line = str(exc).strip().splitlines()[:1]
        raise RenderError("bad_input", f"{os.path.basename(path)}: {first_line}") from exc


_OUT_TIME = re.compile(r"^out_time_(?:us|ms)=(\d+)$")


def run_ffmpeg(
    args: list[str],
    *,
    duration: float,
    on_progress: ProgressCallback | None = None,
    timeout: float | None = None,
    cwd: str | None = None,
) -> None:
    """Run ffmpeg with ``args`` (everything after the binary's global options).

    ``-progress pipe:1`` is parsed for ``out_time``; ``on_progress`` receives 0..100 (integers,
    non-decreasing, at most about four calls a second, 100 once ffmpeg exits cleanly).
    Raises RenderError("timeout") after ``timeout`` seconds (the process is killed) and
    RenderError("ffmpeg_failed") with the tail of ffmpeg's error output on a non-zero exit.
    If ``on_progress`` raises, ffmpeg is killed and the exception propagates (cancellation).
    """
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-v", "error"]
    cmd += ["-progress", "pipe:1", "-nostats", *args]
    report = _Throttle(on_progress)
    try:
        proc = subprocess.Popen(  # noqa: S603 - the binary and arguments are ours
            cmd,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise RenderError("ffmpeg_failed", f"cannot start ffmpeg: {exc}") from exc

    errors: deque[str] = deque(maxlen=40)

    def read_stderr() -> None:
        for raw in proc.stderr:  # type: ignore[union-attr]
            errors.append(raw.decode("utf-8", "replace").rstrip())

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    timer = None
    timed_out = threading.Event()
    if timeout is not None:

        def kill_on_timeout() -> None:
            timed_out.set()
            with contextlib.suppress(OSError):
                proc.kill()

        timer = threading.Timer(max(0.0, timeout), kill_on_timeout)
        timer.daemon = True
        timer.start()
    try:
        for raw in proc.stdout:  # type: ignore[union-attr]
            match = _OUT_TIME.match(raw.decode("ascii", "replace").strip())
            if match and duration > 0:
                seconds = int(match.group(1)) / 1_000_000
                report(min(99, int(seconds * 100 / duration)))
        returncode = proc.wait()
    except BaseException:
        with contextlib.suppress(OSError):
            proc.kill()
        proc.wait()
        raise
    finally:
        if timer is not None:
            timer.cancel()
        reader.join(timeout=5)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    if timed_out.is_set():
        raise RenderError("timeout", f"ffmpeg ran longer than {timeout:.0f} s")
    if returncode != 0:
        detail = "\n".join(errors) or f"exit status {returncode}"
        raise RenderError("ffmpeg_failed", detail)
    report(100, force=True)


def extract_frame(
    video_path: str, image_path: str, *, at: float, timeout: float | None = 60
) -> None:
    """Write the frame the video shows at ``at`` seconds to ``image_path`` as a JPEG (a
    thumbnail made from a finished file). Raises RenderError when no frame could be written."""
    partial = image_path + ".part"
    args = ["-ss", f"{max(0.0, at):.3f}", "-i", video_path, "-frames:v", "1"]
    args += ["-c:v", "mjpeg", "-q:v", "3", "-update", "1", "-f", "image2", partial]
    try:
        run_ffmpeg(args, duration=0, timeout=timeout)
        if not os.path.exists(partial) or os.path.getsize(partial) == 0:
            raise RenderError("ffmpeg_failed", f"no frame at {at:.3f} s of {video_path}")
        os.replace(partial, image_path)
    finally:
        with contextlib.suppress(OSError):
            os.remove(partial)


class _Throttle:
    """Calls ``callback`` with increasing integers, at most every ``interval`` seconds."""

    def __init__(self, callback: ProgressCallback | None, interval: float = 0.25) -> None:
        self.callback = callback
        self.interval = interval
        self.last_value = -1
        self.last_time = 0.0

    def __call__(self, value: int, *, force: bool = False) -> None:
        if self.callback is None or value <= self.last_value:
            return
        now = time.monotonic()
        if not force and now - self.last_time < self.interval:
            return
        self.last_value = value
        self.last_time = now
        self.callback(value)
