"""Templates declare where a brand kit's logo may go (`logo_safe_area`), and every placement
respects it: the logo never covers a template's header or footer text (the tip counter and
title of `tiktok-quick-tips` above all), in the video, its thumbnail and the kit preview."""

from __future__ import annotations

import importlib
import io
import itertools

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from PIL import Image

from tests.videos.conftest import FIELDS, SPEC, png_bytes, upload
from videos import branding, services
from videos.branding.placement import safe_rect
from videos.models import Template, VideoVersion
from videos.rendering import validate_spec
from videos.starter_templates import STARTER_TEMPLATES

POSITIONS = sorted(branding.POSITIONS)
SCALES = (0.05, 0.15, 0.30)
MARGINS = (0, 24, 120)
LOGO_SIZES = ((500, 500), (800, 200), (200, 600))  # square, wide, tall
FRAMES = {"9:16": ((720, 1280), (1080, 1920)), "16:9": ((1280, 720), (1920, 1080))}

STARTERS = {template["key"]: template for template in STARTER_TEMPLATES}


def _text_rect(layer: dict, width: int, height: int) -> tuple[float, float, float, float]:
    """A box certain to hold a text layer, whatever its text: (x0, y0, x1, y1) in pixels.

    As wide as the layer may wrap (max_width, default 0.9 of the frame), as tall as its lines
    may run (max_lines, default 4) with generous line spacing, placed by its anchor.
    """
    w = layer.get("max_width", 0.9) * width
    h = layer.get("size", 0.05) * height * 1.4 * layer.get("max_lines", 4)
    x, y = layer["x"] * width, layer["y"] * height
    anchor = layer.get("anchor", "center")
    vertical = "top" if "top" in anchor else "bottom" if "bottom" in anchor else "middle"
    horizontal = "left" if "left" in anchor else "right" if "right" in anchor else "middle"
    x0 = {"left": x, "right": x - w, "middle": x - w / 2}[horizontal]
    y0 = {"top": y, "bottom": y - h, "middle": y - h / 2}[vertical]
    return x0, y0, x0 + w, y0 + h


def _header_and_footer_texts(spec: dict) -> list[dict]:
    """Text layers anchored in the top or bottom tenth of the frame (handles, headers, tip
    counters, sources: what stays on screen around the content)."""
    return [
        layer
        for layer in spec["layers"]
        if layer["type"] == "text" and (layer["y"] <= 0.1 or layer["y"] >= 0.9)
    ]


def _intersects(box, rect) -> bool:
    x, y, w, h = box
    x0, y0, x1, y1 = rect
    return x < x1 and x0 < x + w and y < y1 and y0 < y + h


def _boxes(template: dict):
    area = branding.safe_area_of(template["spec"])
    for (width, height), position, scale, margin, logo in itertools.product(
        FRAMES[template["aspect_ratio"]], POSITIONS, SCALES, MARGINS, LOGO_SIZES
    ):
        box = branding.logo_box(
            width,
            height,
            *logo,
            position=position,
            scale=scale,
            margin=margin,
            safe_area=area,
        )
        yield (width, height), (position, scale, margin, logo), box


# -- the tiktok template's header ------------------------------------------------------------


def test_the_logo_never_covers_the_header_of_tiktok_quick_tips():
    template = STARTERS["tiktok-quick-tips"]
    header = [layer for layer in template["spec"]["layers"] if layer.get("y") == 0.085]
    assert {layer.get("field") or "counter" for layer in header} == {"title", "counter"}
    checked = 0
    for (width, height), settings, box in _boxes(template):
        for layer in header:
            rect = _text_rect(layer, width, height)
            assert not _intersects(box, rect), (settings, box, rect)
            checked += 1
    assert checked > 1000


def test_without_a_safe_area_the_tiktok_header_was_covered():
    """What the issue saw: a top corner logo on the header text."""
    header = next(
        layer
        for layer in STARTERS["tiktok-quick-tips"]["spec"]["layers"]
        if layer.get("field") == "title" and layer.get("y") == 0.085
    )
    box = branding.logo_box(1080, 1920, 500, 500, position="top-left", scale=0.15, margin=24)
    assert _intersects(box, _text_rect(header, 1080, 1920))


@pytest.mark.parametrize("key", sorted(STARTERS))
def test_no_logo_covers_a_starter_templates_header_or_footer_text(key):
    template = STARTERS[key]
    texts = _header_and_footer_texts(template["spec"])
    for (width, height), settings, box in _boxes(template):
        x0, y0, x1, y1 = safe_rect(width, height, branding.safe_area_of(template["spec"]))
        x, y, w, h = box
        assert x0 <= x and y0 <= y and x + w <= x1 and y + h <= y1, (settings, box)
        assert x % 2 == 0 and y % 2 == 0 and w % 2 == 0 and h % 2 == 0
        for layer in texts:
            assert not _intersects(box, _text_rect(layer, width, height)), (settings, layer)


# -- the spec ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(STARTERS))
def test_every_starter_template_declares_a_valid_safe_area(key):
    template = STARTERS[key]
    assert "logo_safe_area" in template["spec"]
    validate_spec(template["spec"], template["fields"])


@pytest.mark.parametrize(
    "area",
    [
        {"x": 0, "y": 0, "w": 1},
        {"x": 0, "y": 0, "w": 1, "h": 1, "z": 1},
        {"x": 0, "y": 0.5, "w": 1, "h": 0.6},
        {"x": 0.9, "y": 0, "w": 0.1, "h": 1},
        {"x": -0.1, "y": 0, "w": 1, "h": 1},
        {"x": 0, "y": 0, "w": "1", "h": 1},
        [0, 0, 1, 1],
    ],
)
def test_a_bad_safe_area_is_refused(area):
    spec = {**SPEC, "logo_safe_area": area}
    with pytest.raises(ValueError, match="logo_safe_area"):
        validate_spec(spec, FIELDS)


def test_a_full_frame_area_changes_no_placement():
    for position, scale, margin in itertools.product(POSITIONS, SCALES, MARGINS):
        kwargs = {"position": position, "scale": scale, "margin": margin}
        assert branding.logo_box(1280, 720, 300, 200, **kwargs) == branding.logo_box(
            1280, 720, 300, 200, safe_area=(0, 0, 1, 1), **kwargs
        )


def test_a_logo_larger_than_the_area_is_shrunk_keeping_its_shape():
    box = branding.logo_box(
        1280, 720, 400, 400, position="top-left", scale=0.3, margin=0, safe_area=(0, 0.75, 1, 0.25)
    )
    assert box == (0, 540, 180, 180)


# -- existing templates and the job -----------------------------------------------------------


@pytest.mark.django_db
def test_the_data_migration_adds_the_area_to_templates_made_before_it():
    migration = importlib.import_module("videos.migrations.0012_template_logo_safe_area")
    tips = Template.objects.get(key="tiktok-quick-tips")
    quote = Template.objects.get(key="youtube-quote")
    for template in (tips, quote):
        template.spec.pop("logo_safe_area")
    tips.save()
    quote.spec["logo_safe_area"] = {"x": 0, "y": 0, "w": 0.5, "h": 0.5}  # an operator's own
    quote.save()
    migration.add_safe_areas(apps, None)
    tips.refresh_from_db()
    quote.refresh_from_db()
    assert tips.spec["logo_safe_area"] == STARTERS["tiktok-quick-tips"]["spec"]["logo_safe_area"]
    assert quote.spec["logo_safe_area"] == {"x": 0, "y": 0, "w": 0.5, "h": 0.5}
    validate_spec(tips.spec, tips.fields)


@pytest.mark.django_db
def test_the_migrated_starter_templates_have_their_areas():
    for key, template in STARTERS.items():
        stored = Template.objects.get(key=key)
        assert stored.spec["logo_safe_area"] == template["spec"]["logo_safe_area"]


def _red(pixel) -> bool:
    return pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60


@pytest.mark.django_db
def test_the_branding_job_puts_the_logo_inside_the_area(
    make_template, workspace, owner, django_capture_on_commit_callbacks
):
    area = {"x": 0, "y": 0.5, "w": 1, "h": 0.5}  # the lower half only
    template = make_template(duration=1, spec={**SPEC, "logo_safe_area": area})
    video = services.video_create(
        workspace=workspace, template=template, title="T", actor=owner, duration=1
    )
    kit = services.brand_kit_create(
        workspace=workspace,
        actor=owner,
        name="Acme",
        logo=upload("logo.png", png_bytes((64, 64), (255, 0, 0, 255)), "image/png"),
        position="top-left",
        opacity=100,
        scale=0.1,
        margin=0,
        is_default=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.video_render(video=video, actor=owner)
    version = VideoVersion.objects.get(video=video)
    assert version.brand_kit_name == kit.name
    x, y, w, h = branding.logo_box(
        1280, 720, 64, 64, position="top-left", scale=0.1, margin=0, safe_area=(0, 0.5, 1, 0.5)
    )
    assert (x, y) == (0, 360)
    with default_storage.open(version.thumbnail.name, "rb") as handle:
        frame = Image.open(io.BytesIO(handle.read())).convert("RGB")
    assert _red(frame.getpixel((x + w // 2, y + h // 2)))
    assert not _red(frame.getpixel((w // 2, h // 2)))  # not in the corner of the frame


def test_the_kit_preview_places_the_logo_inside_the_area(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes((64, 64), (255, 0, 0, 255)))
    kwargs = {"position": "top-right", "scale": 0.1, "margin": 0}
    png = branding.preview(str(logo), opacity=100, safe_area=(0, 0.5, 1, 0.5), **kwargs)
    frame = Image.open(io.BytesIO(png)).convert("RGB")
    x, y, w, h = branding.logo_box(1280, 720, 64, 64, safe_area=(0, 0.5, 1, 0.5), **kwargs)
    assert y == 360
    assert _red(frame.getpixel((x + w // 2, y + h // 2)))
    assert not _red(frame.getpixel((x + w // 2, h // 2)))
