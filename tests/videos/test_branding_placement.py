"""videos.branding.logo_box and preview: where the logo goes, and the kit page's picture."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from videos import branding

from .conftest import (
    LOGO_SIDE,
    MARGIN,
    RED,
    SCALE,
    VIDEO_H,
    VIDEO_W,
    WHITE,
    centre,
    draw_logo,
    expected_box,
    near,
)

BACKGROUND = (32, 64, 96)


# -- logo_box --------------------------------------------------------------------------------


def test_positions_are_the_models_choices():
    from videos.models import LogoPosition

    assert set(LogoPosition.values) == branding.POSITIONS


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        ("top-left", (16, 16, 128, 128)),
        ("top-right", (640 - 128 - 16, 16, 128, 128)),
        ("bottom-left", (16, 360 - 128 - 16, 128, 128)),
        ("bottom-right", (640 - 128 - 16, 360 - 128 - 16, 128, 128)),
        ("center", ((640 - 128) // 2, (360 - 128) // 2, 128, 128)),
    ],
)
def test_logo_box_corners_and_centre(position, expected):
    assert expected_box(position) == expected


def test_logo_box_keeps_aspect_with_even_sides():
    x, y, w, h = branding.logo_box(
        1280, 720, 300, 100, position="bottom-right", scale=0.15, margin=24
    )
    assert (w, h) == (192, 64)
    assert (x, y) == (1280 - 192 - 24, 720 - 64 - 24)
    _, _, w, h = branding.logo_box(1280, 720, 333, 101, position="top-left", scale=0.07, margin=0)
    assert w % 2 == 0 and h % 2 == 0
    assert abs(w / h - 333 / 101) < 0.1


def test_centre_ignores_the_margin():
    assert branding.logo_box(
        1280, 720, 100, 100, position="center", scale=0.1, margin=200
    ) == branding.logo_box(1280, 720, 100, 100, position="center", scale=0.1, margin=0)


def test_a_tall_logo_or_a_wide_margin_stays_inside_the_frame():
    x, y, w, h = branding.logo_box(
        1280, 720, 100, 1000, position="bottom-left", scale=0.3, margin=24
    )
    assert h <= 720 - 24 and y >= 0 and y + h <= 720
    assert abs(w / h - 0.1) < 0.02
    x, y, w, h = branding.logo_box(
        640, 360, 100, 100, position="bottom-right", scale=0.3, margin=500
    )
    assert x >= 0 and x + w <= 640 and y >= 0 and y + h <= 360


@pytest.mark.parametrize(
    "kwargs",
    [
        {"position": "middle", "scale": 0.1, "margin": 0},
        {"position": "top-left", "scale": 0.5, "margin": 0},
        {"position": "top-left", "scale": 0.01, "margin": 0},
        {"position": "top-left", "scale": 0.1, "margin": -1},
    ],
)
def test_logo_box_rejects_bad_settings(kwargs):
    with pytest.raises(ValueError):
        branding.logo_box(1280, 720, 100, 100, **kwargs)


# -- preview ---------------------------------------------------------------------------------


def _solid_frame(path: Path, color=BACKGROUND) -> str:
    Image.new("RGB", (VIDEO_W, VIDEO_H), color).save(path)
    return str(path)


def test_preview_places_the_logo_in_the_box(tmp_path):
    logo = draw_logo(tmp_path / "logo.png", RED)
    frame = _solid_frame(tmp_path / "frame.png")
    for position in sorted(branding.POSITIONS):
        png = branding.preview(
            logo, position=position, opacity=100, scale=SCALE, margin=MARGIN, frame_path=frame
        )
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.size == (VIDEO_W, VIDEO_H)
        pixels = np.asarray(image.convert("RGB"))
        x, y, w, h = expected_box(position)
        border = 16  # the logo's 8 px transparent border, scaled 2×
        assert tuple(pixels[y + h // 2, x + w // 2]) == RED, position
        assert tuple(pixels[y + border + 8, x + border + 8]) == RED, position
        # The transparent border leaves the frame as it was.
        assert tuple(pixels[y + 3, x + 3]) == BACKGROUND, position
        assert tuple(pixels[y + h - 4, x + w - 4]) == BACKGROUND, position
        # Nothing outside the box changed.
        mask = np.ones((VIDEO_H, VIDEO_W), bool)
        mask[y : y + h, x : x + w] = False
        assert (pixels[mask] == BACKGROUND).all(), position


def test_preview_opacity_matches_ffmpeg_rounding(tmp_path):
    logo = draw_logo(tmp_path / "logo.png", WHITE)
    frame = _solid_frame(tmp_path / "frame.png")
    png = branding.preview(
        logo, position="top-left", opacity=50, scale=SCALE, margin=MARGIN, frame_path=frame
    )
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    alpha = 128  # lrint(255 × 0.50), as colorchannelmixer computes it
    expected = [round((255 * alpha + c * (255 - alpha)) / 255) for c in BACKGROUND]
    assert near(pixels[80, 80], expected, 1)
    png = branding.preview(
        logo, position="top-left", opacity=0, scale=SCALE, margin=MARGIN, frame_path=frame
    )
    assert (np.asarray(Image.open(io.BytesIO(png)).convert("RGB")) == BACKGROUND).all()


def test_preview_on_the_generated_frame(tmp_path):
    logo = draw_logo(tmp_path / "logo.png", RED)
    png = branding.preview(logo, position="bottom-right", opacity=100, scale=0.15, margin=24)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1280, 720)
    pixels = np.asarray(image.convert("RGB"))
    box = branding.logo_box(
        1280, 720, LOGO_SIDE, LOGO_SIDE, position="bottom-right", scale=0.15, margin=24
    )
    x, y = centre(box)
    assert tuple(pixels[y, x]) == RED
    assert len({tuple(p) for p in pixels[::40, ::40].reshape(-1, 3)}) > 20  # a gradient
    small = branding.preview(
        logo, position="center", opacity=80, scale=0.1, margin=0, width=640, height=360
    )
    assert Image.open(io.BytesIO(small)).size == (640, 360)


def test_preview_rejects_a_bad_logo(tmp_path):
    bad = tmp_path / "logo.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(OSError):
        branding.preview(str(bad), position="center", opacity=50, scale=0.1, margin=0)
    with pytest.raises(ValueError):
        branding.preview(
            draw_logo(tmp_path / "ok.png"), position="nowhere", opacity=50, scale=0.1, margin=0
        )
