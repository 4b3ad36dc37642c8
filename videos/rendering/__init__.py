"""The rendering engine: template specs to MP4 files, with Pillow for stills and ffmpeg for time.

Pure functions on local files – no Django models or storage in here. Callers download inputs to
a temporary directory, call :func:`render`, then store the outputs. ``spec.py`` documents the
template spec format, ``fonts.py`` how fonts are chosen.
"""

from .engine import RenderRequest, render
from .errors import RenderError
from .fields import resolve_fields, validate_fields
from .fonts import covers, font_for_text, missing_characters
from .media import (
    MediaInfo,
    extract_frame,
    ffmpeg_exe,
    mp4_top_level_atoms,
    output_size,
    probe,
    probe_audio,
    run_ffmpeg,
)
from .spec import validate_spec
from .spec_values import thumbnail_time

__all__ = [
    "MediaInfo",
    "RenderError",
    "RenderRequest",
    "covers",
    "extract_frame",
    "ffmpeg_exe",
    "font_for_text",
    "missing_characters",
    "mp4_top_level_atoms",
    "output_size",
    "probe",
    "probe_audio",
    "render",
    "resolve_fields",
    "run_ffmpeg",
    "thumbnail_time",
    "validate_fields",
    "validate_spec",
]
