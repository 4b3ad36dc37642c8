"""The kit page preview: the logo on a sample frame, placed exactly as in the video."""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw

from .placement import (
    SafeArea,
    check_settings,
    logo_box,
    opacity_lut,
    open_logo,
    scaled_logo,
)

MAX_PREVIEW_FRAME_SIDE = 4096


def preview(
    logo_path: str,
    *,
    position: str,
    opacity: float,
    scale: float,
    margin: int,
    width: int = 1280,
    height: int = 720,
    frame_path: str | None = None,
    safe_area: SafeArea | None = None,
) -> bytes:
    """A PNG of the logo on a sample frame, placed and blended as :func:`apply_watermark` would.

    The frame is the image at ``frame_path`` at its own size (a video's thumbnail, so the box is
    the video's), else a generated ``width`` × ``height`` gradient with a placeholder title.
    ``safe_area``: the video's template's area for logos, as for the video itself.
    Raises ``ValueError`` for bad settings and ``OSError``/``ValueError`` for unreadable images.
    """
    check_settings(position, scale, margin, opacity)
    if frame_path:
        try:
            image = Image.open(frame_path)
        except Image.DecompressionBombError as exc:
            raise ValueError(str(exc)) from None
        with image:
            if max(image.size) > MAX_PREVIEW_FRAME_SIDE:
                raise ValueError(f"frame is {image.size[0]}×{image.size[1]} pixels")
            frame = image.convert("RGBA")
    else:
        if not (16 <= width <= MAX_PREVIEW_FRAME_SIDE and 16 <= height <= MAX_PREVIEW_FRAME_SIDE):
            raise ValueError(f"preview size {width}×{height} is out of range")
        frame = _cached_sample_frame(width, height).copy()

    logo = open_logo(logo_path)
    x, y, w, h = logo_box(
        frame.width,
        frame.height,
        *logo.size,
        position=position,
        scale=scale,
        margin=margin,
        safe_area=safe_area,
    )
    mark = scaled_logo(logo, w, h)
    red, green, blue, alpha = mark.split()
    mark = Image.merge("RGBA", (red, green, blue, alpha.point(opacity_lut(opacity))))
    frame.alpha_composite(mark, (x, y))

    out = io.BytesIO()
    frame.convert("RGB").save(out, format="PNG", compress_level=6)
    return out.getvalue()


@functools.lru_cache(maxsize=4)
def _cached_sample_frame(width: int, height: int) -> Image.Image:
    return sample_frame(width, height)


def sample_frame(width: int = 1280, height: int = 720) -> Image.Image:
    """A pleasant RGBA stand-in for a video frame: a diagonal gradient and a placeholder title.

    The title is drawn as soft bars rather than words, so it reads the same in every language.
    """
    import numpy as np

    start = np.array([49, 46, 129], dtype=np.float32)  # indigo
    end = np.array([14, 165, 233], dtype=np.float32)  # sky blue
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    t = (xs / max(1, width - 1) * 0.6 + ys / max(1, height - 1) * 0.4)[..., None]
    pixels = start * (1 - t) + end * t
    # A soft light from the upper left.
    cx, cy = width * 0.3, height * 0.25
    glow = np.exp(-(((xs - cx) / (width * 0.45)) ** 2 + ((ys - cy) / (height * 0.55)) ** 2))
    pixels = pixels + glow[..., None] * 40.0
    rgb = np.clip(pixels + 0.5, 0, 255).astype(np.uint8)
    frame = Image.fromarray(rgb).convert("RGBA")

    overlay = Image.new("RGBA", frame.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    unit = min(width, height)
    left = int(width * 0.1)
    bar = max(4, int(unit * 0.075))
    top = int(height * 0.5) - bar
    radius = bar // 2
    draw.rounded_rectangle(
        (left, top, left + int(width * 0.45), top + bar), radius, fill=(255, 255, 255, 235)
    )
    sub_top = top + int(bar * 1.6)
    sub = max(3, int(bar * 0.5))
    draw.rounded_rectangle(
        (left, sub_top, left + int(width * 0.3), sub_top + sub), sub // 2, fill=(255, 255, 255, 150)
    )
    accent_top = top - int(bar * 1.2)
    draw.rounded_rectangle(
        (left, accent_top, left + int(width * 0.06), accent_top + max(2, bar // 5)),
        max(1, bar // 10),
        fill=(251, 191, 36, 255),  # amber
    )
    frame.alpha_composite(overlay)
    return frame
