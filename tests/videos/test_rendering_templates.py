"""The rendering engine and the starter templates: each complete, and each rendered to a
valid MP4.

Renders run at 320 px wide and 10 fps so the whole file stays quick on two cores. No database.
"""

from __future__ import annotations

import pytest
from PIL import Image

from tests.videos.rendering_kit import assert_valid_mp4, needs_ffmpeg, needs_fonts, request_for
from videos.rendering import probe, render, validate_spec
from videos.rendering.spec import uses_video_slot
from videos.starter_templates import STARTER_TEMPLATES

LANGUAGES = ("en", "es", "fr", "de", "pt", "ja", "ko", "zh_hans", "hi")


@pytest.mark.parametrize("template", STARTER_TEMPLATES, ids=lambda t: t["key"])
def test_starter_template_is_complete(template):
    validate_spec(template["spec"], template["fields"])
    assert template["category"] in {"social", "education", "marketing", "business", "brand"}
    assert template["tier"] in {"free", "pro"}
    assert template["aspect_ratio"] in {"16:9", "9:16", "1:1"}
    assert template["min_duration"] <= template["duration"] <= template["max_duration"]
    assert template["tags"] and all(isinstance(tag, str) for tag in template["tags"])
    for key in ("name", "description"):
        assert set(template[key]) == set(LANGUAGES)
        assert all(text.strip() for text in template[key].values())
        assert len(set(template[key].values())) >= 7, f"{key} looks untranslated"
    for field in template["fields"]:
        if field["type"] == "text" and field.get("required"):
            assert field.get("default"), field["name"]


def test_the_seven_starter_templates():
    by_key = {t["key"]: t for t in STARTER_TEMPLATES}
    assert set(by_key) == {
        "instagram-product-showcase",
        "tiktok-quick-tips",
        "youtube-quote",
        "educational-explainer",
        "animated-statistics",
        "product-demo-60",
        "brand-story",
    }
    pro = {k for k, t in by_key.items() if t["tier"] == "pro"}
    assert pro == {"product-demo-60", "brand-story"}
    assert [k for k, t in by_key.items() if uses_video_slot(t["spec"])] == ["product-demo-60"]
    assert any(f["type"] == "audio" for f in by_key["brand-story"]["fields"])
    assert any(layer["type"] == "bars" for layer in by_key["animated-statistics"]["spec"]["layers"])
    assert {"instagram", "product", "reel"} <= set(by_key["instagram-product-showcase"]["tags"])


@needs_ffmpeg
@needs_fonts
@pytest.mark.parametrize("template", STARTER_TEMPLATES, ids=lambda t: t["key"])
def test_starter_template_renders_a_valid_mp4(template, tmp_path):
    request = request_for(template, tmp_path)
    info = render(request)
    size = {"width": request.width, "height": request.height}
    assert_valid_mp4(tmp_path / "out.mp4", duration=template["duration"], **size)
    assert info.duration == pytest.approx(template["duration"], abs=0.1)
    assert info.fps == pytest.approx(10)
    with Image.open(tmp_path / "thumb.jpg") as thumbnail:
        assert thumbnail.format == "JPEG"
        assert thumbnail.size == (request.width, request.height)
        assert thumbnail.convert("L").getextrema()[1] > 40  # not a black frame
    assert not list((tmp_path / "work").iterdir())  # scratch files are cleaned up


@needs_ffmpeg
@needs_fonts
def test_shortest_duration_in_range_renders(tmp_path):
    template = next(t for t in STARTER_TEMPLATES if t["key"] == "tiktok-quick-tips")
    render(request_for(template, tmp_path, duration=template["min_duration"]))
    info = probe(str(tmp_path / "out.mp4"))
    assert info.duration == pytest.approx(template["min_duration"], abs=0.1)
