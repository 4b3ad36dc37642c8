"""Where and how big the logo goes, shared by the ffmpeg watermark and the Pillow preview."""

from __future__ import annotations

import math

from PIL import Image, ImageOps

from .logo import LOGO_FORMATS, MAX_LOGO_SIDE

# The values of videos.models.LogoPosition (kept here so this module needs no models).
POSITIONS = frozenset({"top-left", "top-right", "bottom-left", "bottom-right", "center"})
SCALE_MIN, SCALE_MAX = 0.05, 0.30

# How the logo is resized, in the preview and for ffmpeg alike.
_RESAMPLE = Image.Resampling.LANCZOS


def _even(value: float) -> int:
    """The nearest even integer, at least 2."""
    return max(2, round(value / 2) * 2)


def _even_down(value: float) -> int:
    """The largest even integer not above ``value``, at least 2."""
    return max(2, int(value) - int(value) % 2)


def check_settings(position: str, scale: float, margin: int, opacity: float = 100) -> None:
    """Raise ValueError for a position, scale, margin or opacity out of range."""
    if position not in POSITIONS:
        raise ValueError(f"unknown logo position {position!r}")
    if not (SCALE_MIN - 1e-9 <= scale <= SCALE_MAX + 1e-9):
        raise ValueError(f"scale must be between {SCALE_MIN} and {SCALE_MAX}, not {scale!r}")
    if margin < 0:
        raise ValueError(f"margin must not be negative, not {margin!r}")
    if not (0 <= opacity <= 100):
        raise ValueError(f"opacity must be between 0 and 100, not {opacity!r}")


SafeArea = tuple[float, float, float, float]  # x, y, w, h as fractions of the frame


def safe_area_of(spec: dict | None) -> SafeArea | None:
    """A template spec's ``logo_safe_area`` as ``(x, y, w, h)``, or None when it has none."""
    area = (spec or {}).get("logo_safe_area")
    if not isinstance(area, dict):
        return None
    return float(area["x"]), float(area["y"]), float(area["w"]), float(area["h"])


def safe_rect(video_w: int, video_h: int, area: SafeArea) -> tuple[int, int, int, int]:
    """The safe area in pixels ``(x0, y0, x1, y1)``, shrunk inwards to even edges."""
    x, y, w, h = area
    x0, y0 = math.ceil(x * video_w - 1e-6), math.ceil(y * video_h - 1e-6)
    x1 = min(video_w, math.floor((x + w) * video_w + 1e-6))
    y1 = min(video_h, math.floor((y + h) * video_h + 1e-6))
    x0, y0 = max(0, x0 + x0 % 2), max(0, y0 + y0 % 2)
    return x0, y0, x1 - x1 % 2, y1 - y1 % 2


def logo_box(
    video_w: int,
    video_h: int,
    logo_w: int,
    logo_h: int,
    *,
    position: str,
    scale: float,
    margin: int,
    safe_area: SafeArea | None = None,
) -> tuple[int, int, int, int]:
    """Where the logo goes in a frame: ``(x, y, w, h)`` in pixels.

    The logo is ``scale`` × the frame width wide, its height follows its aspect ratio, both
    rounded to even numbers. A logo too tall (or a margin too wide) for the frame is shrunk,
    keeping its aspect, to fit inside it with the margin. It sits ``margin`` pixels from the
    chosen corner (``center`` ignores the margin); x and y are rounded down to even numbers so
    the logo lines up with 4:2:0 chroma. The box always lies inside the frame.

    ``safe_area`` is the template's ``logo_safe_area`` (:func:`safe_area_of`): the part of the
    frame where a logo covers none of the template's own text. A box that would leave it is
    moved (the least distance) into it, and shrunk first if it is larger than the area.
    """
    check_settings(position, scale, margin)
    if min(video_w, video_h) < 2 or min(logo_w, logo_h) < 1:
        raise ValueError(f"bad sizes: frame {video_w}×{video_h}, logo {logo_w}×{logo_h}")
    gap = 0 if position == "center" else margin
    max_w = video_w - gap if video_w - gap >= 2 else video_w
    max_h = video_h - gap if video_h - gap >= 2 else video_h
    w = _even(scale * video_w)
    h = _even(w * logo_h / logo_w)
    if w > max_w or h > max_h:
        fit = min(max_w / w, max_h / h)
        w = min(_even_down(w * fit), _even_down(max_w))
        h = min(_even_down(w * logo_h / logo_w), _even_down(max_h))

    if position == "center":
        x, y = (video_w - w) // 2, (video_h - h) // 2
    else:
        vertical, horizontal = position.split("-")
        x = margin if horizontal == "left" else video_w - w - margin
        y = margin if vertical == "top" else video_h - h - margin
    x = min(max(0, x), video_w - w)
    y = min(max(0, y), video_h - h)
    if safe_area is not None:
        x, y, w, h = _into(safe_rect(video_w, video_h, safe_area), x, y, w, h, logo_w / logo_h)
    return x - x % 2, y - y % 2, w, h


def _into(
    rect: tuple[int, int, int, int], x: int, y: int, w: int, h: int, aspect: float
) -> tuple[int, int, int, int]:
    """The box moved into ``rect`` (even edges), shrunk first, keeping ``aspect``, if needed."""
    x0, y0, x1, y1 = rect
    if x1 - x0 < 2 or y1 - y0 < 2:
        return x, y, w, h  # no usable area: the frame's placement stands
    if w > x1 - x0 or h > y1 - y0:
        fit = min((x1 - x0) / w, (y1 - y0) / h)
        w = min(_even_down(w * fit), x1 - x0)
        h = min(_even_down(w / aspect), y1 - y0)
    return min(max(x, x0), x1 - w), min(max(y, y0), y1 - h), w, h


def alpha_factor(opacity: float) -> str:
    """The opacity as ffmpeg's colorchannelmixer ``aa`` argument (two decimals)."""
    return f"{max(0.0, min(100.0, float(opacity))) / 100:.2f}"


def opacity_lut(opacity: float) -> list[int]:
    """What ``colorchannelmixer=aa=…`` does to 8-bit alpha: ``lrint(a × aa)``.

    Python's ``round`` rounds half to even, like C's ``lrint`` in the default rounding mode.
    """
    factor = float(alpha_factor(opacity))
    return [min(255, max(0, round(a * factor))) for a in range(256)]


# -- the logo, scaled ------------------------------------------------------------------------


def open_logo(logo_path: str) -> Image.Image:
    """The logo as an RGBA image, upright (EXIF orientation applied). Raises OSError/ValueError."""
    try:
        image = Image.open(logo_path)
    except Image.DecompressionBombError as exc:
        raise ValueError(str(exc)) from None
    with image:
        if image.format not in LOGO_FORMATS:
            raise ValueError(f"logo is {image.format}, not PNG or JPEG")
        if max(image.size) > MAX_LOGO_SIDE:
            raise ValueError(f"logo is {image.size[0]}×{image.size[1]} pixels")
        image.load()
        upright = ImageOps.exif_transpose(image)
        return upright.convert("RGBA")


def scaled_logo(logo: Image.Image, w: int, h: int) -> Image.Image:
    """The logo at ``w`` × ``h``, resampled the same way for the preview and for ffmpeg."""
    # Pillow resizes RGBA with premultiplied alpha, so transparent edges do not darken.
    return logo if logo.size == (w, h) else logo.resize((w, h), _RESAMPLE)
