"""Still pictures with Pillow and numpy: backgrounds, pictures, shapes, placeholders.

Everything here runs once per render, never per frame.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw, ImageOps

from .errors import RenderError
from .text import RGBA, Raster, colored

_SUPERSAMPLE = 4


def load_picture(path: str, target: tuple[int, int] | None = None) -> Image.Image:
    """Open an uploaded picture as RGBA, upright; RenderError("bad_input") if it is not one."""
    try:
        with Image.open(path) as image:
            if target and image.format == "JPEG":
                image.draft("RGB", (target[0] * 2, target[1] * 2))  # decode big photos smaller
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            return upright.convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise RenderError("bad_input", f"{path}: not a readable picture ({exc})") from exc


def cover(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale to fill width × height, cropping the overflow around the centre."""
    return ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS, centering=(0.5, 0.5))


def contain(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale to fit inside width × height, keeping the aspect ratio."""
    scale = min(width / image.width, height / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def gradient(width: int, height: int, colors: list[RGBA], angle: float) -> Image.Image:
    """A linear gradient with evenly spaced stops; CSS angles (0 = to the top, 90 = to the right).

    A little noise dithers the 8-bit steps, so the encoded video shows no banding.
    """
    radians = math.radians(angle)
    dx, dy = math.sin(radians), -math.cos(radians)
    length = abs(width * dx) + abs(height * dy) or 1.0
    xs = (np.arange(width, dtype=np.float32) + 0.5 - width / 2) * dx
    ys = (np.arange(height, dtype=np.float32) + 0.5 - height / 2) * dy
    t = np.clip(ys[:, None] + xs[None, :], -length / 2, length / 2) / length + 0.5
    stops = np.linspace(0.0, 1.0, len(colors))
    rgb = np.empty((height, width, 3), dtype=np.float32)
    for channel in range(3):
        rgb[..., channel] = np.interp(t, stops, [c[channel] for c in colors])
    rgb += np.random.default_rng(7).uniform(-0.5, 0.5, size=(height, width, 1)).astype(np.float32)
    return Image.fromarray(np.clip(rgb + 0.5, 0, 255).astype(np.uint8))


def vignette(image: Image.Image, strength: float) -> Image.Image:
    """Darken the edges (strength 0..1), cinema style."""
    if strength <= 0:
        return image
    width, height = image.size
    xs = (np.arange(width, dtype=np.float32) - width / 2) / (width / 2)
    ys = (np.arange(height, dtype=np.float32) - height / 2) / (height / 2)
    distance = np.sqrt(ys[:, None] ** 2 * 0.8 + xs[None, :] ** 2 * 0.6)
    factor = 1.0 - strength * np.clip(distance - 0.35, 0, None) ** 1.6
    array = np.asarray(image.convert("RGB"), dtype=np.float32) * factor[..., None]
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def dim(image: Image.Image, amount: float) -> Image.Image:
    if amount <= 0:
        return image
    array = np.asarray(image.convert("RGB"), dtype=np.float32) * (1.0 - amount)
    return Image.fromarray(array.astype(np.uint8))


def rounded_mask(
    width: int, height: int, radius: int, *, outline: int = 0, ellipse: bool = False
) -> Image.Image:
    """Anti-aliased L mask of a (rounded) rectangle or an ellipse, filled or outlined."""
    if not ellipse and radius <= 0 and outline <= 0:
        return Image.new("L", (width, height), 255)
    factor = _SUPERSAMPLE if width * height <= 1_000_000 else 2
    big = Image.new("L", (width * factor, height * factor), 0)
    draw = ImageDraw.Draw(big)
    box = (0, 0, width * factor - 1, height * factor - 1)
    kwargs = {"fill": 255} if outline <= 0 else {"outline": 255, "width": outline * factor}
    if ellipse:
        draw.ellipse(box, **kwargs)
    else:
        draw.rounded_rectangle(box, radius=radius * factor, **kwargs)
    return big.resize((width, height), Image.Resampling.LANCZOS)


def shape_box(
    width: int,
    height: int,
    color: RGBA,
    *,
    radius: int = 0,
    outline: int = 0,
    ellipse: bool = False,
) -> Image.Image:
    radius = min(radius, width // 2, height // 2)
    return colored(rounded_mask(width, height, radius, outline=outline, ellipse=ellipse), color)


def line(
    x1: float, y1: float, x2: float, y2: float, thickness: float, color: RGBA, *, arrow: bool
) -> tuple[Image.Image, int, int]:
    """A line (or arrow) with round caps; returns the image and its top-left position."""
    head = thickness * 3.2 if arrow else 0.0
    margin = thickness / 2 + head + 2
    left, top = math.floor(min(x1, x2) - margin), math.floor(min(y1, y2) - margin)
    right, bottom = math.ceil(max(x1, x2) + margin), math.ceil(max(y1, y2) + margin)
    width, height = max(1, right - left), max(1, bottom - top)
    factor = _SUPERSAMPLE
    big = Image.new("L", (width * factor, height * factor), 0)
    draw = ImageDraw.Draw(big)

    def p(x: float, y: float) -> tuple[float, float]:
        return (x - left) * factor, (y - top) * factor

    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    end_x, end_y = (x2 - ux * head * 0.8, y2 - uy * head * 0.8) if arrow else (x2, y2)
    r = thickness / 2 * factor
    draw.line([p(x1, y1), p(end_x, end_y)], fill=255, width=max(1, round(thickness * factor)))
    for cx, cy in (p(x1, y1), p(end_x, end_y)):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
    if arrow:
        nx, ny = -uy, ux
        base_x, base_y = x2 - ux * head * 1.3, y2 - uy * head * 1.3
        draw.polygon(
            [
                p(x2, y2),
                p(base_x + nx * head * 0.75, base_y + ny * head * 0.75),
                p(base_x - nx * head * 0.75, base_y - ny * head * 0.75),
            ],
            fill=255,
        )
    mask = big.resize((width, height), Image.Resampling.LANCZOS)
    return colored(mask, color), left, top


def placeholder(width: int, height: int, color: RGBA, radius: int) -> Image.Image:
    """A quiet card with a picture pictogram, shown where an optional picture was left empty."""
    card = shape_box(width, height, color, radius=radius)
    icon_alpha = min(255, color[3] * 2 + 40)
    icon = Image.new("L", (width * 2, height * 2), 0)
    draw = ImageDraw.Draw(icon)
    size = min(width, height) * 2 * 0.36
    cx, cy = width, height
    draw.polygon(
        [
            (cx - size, cy + size * 0.55),
            (cx - size * 0.25, cy - size * 0.35),
            (cx + size * 0.35, cy + size * 0.55),
        ],
        fill=255,
    )
    draw.polygon(
        [
            (cx - size * 0.05, cy + size * 0.55),
            (cx + size * 0.45, cy - size * 0.05),
            (cx + size, cy + size * 0.55),
        ],
        fill=200,
    )
    sun = size * 0.18
    draw.ellipse(
        (
            cx + size * 0.45 - sun,
            cy - size * 0.55 - sun,
            cx + size * 0.45 + sun,
            cy - size * 0.55 + sun,
        ),
        fill=255,
    )
    icon = icon.resize((width, height), Image.Resampling.LANCZOS)
    card.alpha_composite(colored(icon, (255, 255, 255, icon_alpha)))
    return card


def rounded_picture(image: Image.Image, radius: int) -> Image.Image:
    if radius <= 0:
        return image
    mask = rounded_mask(image.width, image.height, min(radius, image.width // 2, image.height // 2))
    product = np.asarray(image.getchannel("A"), dtype=np.uint16) * np.asarray(mask, dtype=np.uint16)
    alpha = Image.fromarray((product // 255).astype(np.uint8))
    out = image.copy()
    out.putalpha(alpha)
    return out


def with_border(image: Image.Image, width: int, color: RGBA, radius: int) -> Image.Image:
    if width <= 0:
        return image
    out = image.copy()
    out.alpha_composite(shape_box(image.width, image.height, color, radius=radius, outline=width))
    return out


def with_opacity(image: Image.Image, opacity: float) -> Image.Image:
    if opacity >= 1:
        return image
    out = image.copy()
    out.putalpha(out.getchannel("A").point(lambda v: round(v * opacity)))
    return out


def fitted_raster(image: Image.Image) -> Raster:
    return Raster(image, (0, 0, image.width, image.height))
