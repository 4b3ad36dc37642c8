"""The rendering engine: every starter template to a valid MP4, specs, text, progress, clips.

Renders run at 320 px wide and 10 fps so the whole file stays quick on two cores. No database.
"""

from __future__ import annotations

import copy
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageFont

from videos.rendering import (
    RenderError,
    RenderRequest,
    ffmpeg_exe,
    mp4_top_level_atoms,
    output_size,
    probe,
    render,
    resolve_fields,
    run_ffmpeg,
    validate_spec,
)
from videos.rendering.spec import uses_video_slot
from videos.rendering.text import TextStyle, render_text
from videos.starter_templates import STARTER_TEMPLATES

NOTO = Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
LANGUAGES = ("en", "es", "fr", "de", "pt", "ja", "ko", "zh_hans", "hi")


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


def ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *args], check=True, capture_output=True)


def streams(path: Path) -> str:
    """The stream lines `ffmpeg -i` prints for a file."""
    result = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True
    )
    return "\n".join(line for line in result.stderr.splitlines() if "Stream #" in line)


def frame_at(video: Path, seconds: float, target: Path) -> Image.Image:
    ffmpeg("-ss", f"{seconds:.3f}", "-i", str(video), "-frames:v", "1", str(target))
    return Image.open(target).convert("RGB")


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


# -- the starter templates -------------------------------------------------------------------


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


# -- sizes and specs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aspect", "resolution", "size"),
    [
        ("16:9", 720, (1280, 720)),
        ("9:16", 720, (720, 1280)),
        ("1:1", 720, (720, 720)),
        ("16:9", 1080, (1920, 1080)),
        ("9:16", 1080, (1080, 1920)),
        ("1:1", 1080, (1080, 1080)),
    ],
)
def test_output_size(aspect, resolution, size):
    assert output_size(aspect, resolution) == size


def test_output_size_rejects_unknown_ratio():
    with pytest.raises(ValueError):
        output_size("4:3", 720)


FIELDS = [
    {"name": "title", "type": "text", "label": "Title", "required": True, "default": "Hi"},
    {"name": "accent", "type": "color", "label": "Accent", "default": "#ff0000"},
    {"name": "values", "type": "numbers", "label": "Numbers", "default": [1, 2]},
    {"name": "labels", "type": "text", "label": "Labels", "default": "A, B"},
    {"name": "photo", "type": "image", "label": "Photo"},
    {"name": "music", "type": "audio", "label": "Music"},
]
GOOD = {
    "version": 1,
    "background": {"type": "gradient", "colors": ["#000000", {"field": "accent"}], "angle": 90},
    "fade_in": 0.5,
    "music": {"field": "music"},
    "layers": [
        {"type": "text", "field": "title", "x": 0.5, "y": 0.2, "in": ["fade", "from-left"]},
        {"type": "text", "text": "Only {title}!", "start": "10%", "end": -1},
        {"type": "image", "field": "photo", "w": 0.3, "h": 0.3, "fit": "contain"},
        {"type": "shape", "shape": "arrow", "x": 0.1, "y": 0.9, "x2": 0.4, "y2": 0.9},
        {"type": "bars", "field": "values", "labels_field": "labels", "w": 0.5, "h": 0.4},
        {"type": "video", "w": 0.4, "h": 0.3, "fallback_field": "photo"},
    ],
}


def test_a_good_spec_passes():
    validate_spec(GOOD, FIELDS)


def _broken(path: str, value, delete: bool = False) -> dict:
    spec = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    node = spec
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if delete:
        del node[last]
    elif last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return spec


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (_broken("background", None, delete=True), "background is required"),
        (_broken("version", 2), "version"),
        (_broken("background.colors", ["#000000"]), "2 or 3 colors"),
        (_broken("background.colors.1", "red"), "#rrggbb"),
        (_broken("background.type", "plasma"), "must be one of"),
        (_broken("layers.0.type", "sparkles"), "type among"),
        (_broken("layers.0.colour", "#ffffff"), "unknown key(s) colour"),
        (_broken("layers.0.field", "subtitle"), "unknown field 'subtitle'"),
        (_broken("layers.0.field", "photo"), "must be of type text or number"),
        (_broken("layers.0.anchor", "middle"), "anchor"),
        (_broken("layers.0.in", ["spin"]), "must be one of"),
        (_broken("layers.0.in", ["from-left", "from-right"]), "one direction"),
        (_broken("layers.0.in", ["zoom", "grow-x"]), "only one of zoom"),
        (_broken("layers.0.out", ["from-left"]), "must be one of"),
        (_broken("layers.0.start", "150%"), "percentage"),
        (_broken("layers.0.start", "soon"), "percentage"),
        (_broken("layers.0.end", 0), "ends before it starts"),
        (_broken("layers.1.text", "Only {price}"), "unknown field 'price'"),
        (_broken("layers.2.fit", "stretch"), "must be one of"),
        (_broken("layers.2.w", None, delete=True), "w is required"),
        (_broken("layers.3.x2", None, delete=True), "x2 is required"),
        (_broken("layers.4.labels_field", "values"), "must be of type text"),
        (_broken("layers.4.in", ["from-left"]), "bars fade"),
        (_broken("layers.5.in", ["zoom"]), "not zoom"),
        (_broken("music.field", "photo"), "must be of type audio"),
        (_broken("layers", [*GOOD["layers"], {"type": "video", "w": 0.2, "h": 0.2}]), "video slot"),
        (_broken("fade_in", -1), "between"),
    ],
)
def test_broken_specs_are_rejected(spec, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        validate_spec(spec, FIELDS)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ([*FIELDS, {"name": "title", "type": "text", "label": "Again"}], "used twice"),
        ([{"name": "x", "type": "video", "label": "X"}], "type: must be one of"),
        ([{"name": "Bad Name", "type": "text", "label": "X"}], "lower_snake_case"),
        ([{"name": "x", "type": "text", "label": ""}], "English label"),
        ([{"name": "x", "type": "text", "label": "X", "required": True}], "needs a default"),
        ([{"name": "x", "type": "color", "label": "X", "default": "red"}], "#rrggbb"),
        ([{"name": "x", "type": "number", "label": "X", "default": 5, "max": 3}], "above max"),
        ([{"name": "x", "type": "image", "label": "X", "default": "a.png"}], "no default"),
        ([{"name": "x", "type": "text", "label": "X", "max_items": 3}], "unknown key"),
    ],
)
def test_broken_fields_are_rejected(fields, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        validate_spec({"background": {"type": "color", "color": "#000000"}, "layers": []}, fields)


def test_resolve_fields_applies_defaults_and_types():
    values = resolve_fields(FIELDS, {"accent": "nope", "values": "3, 4.5", "photo": ""})
    assert values == {
        "title": "Hi",
        "accent": "#ff0000",
        "values": [3, 4.5],
        "labels": "A, B",
        "photo": None,
        "music": None,
    }
    assert resolve_fields(FIELDS, {"title": ""})["title"] == ""  # emptied on purpose stays empty


# -- text ----------------------------------------------------------------------------------------


@needs_fonts
@pytest.mark.parametrize("text", ["gjpqy", "Quickly: gjpqy\nTwo lines gjpqy", "कृपया गुरु सुनें"])
def test_descenders_are_not_clipped(text):
    size = 64
    raster = render_text(text, TextStyle(size=size, max_width=2000))
    ink = raster.image.getchannel("A").point(lambda v: 255 if v > 8 else 0).getbbox()
    assert ink is not None
    left, top, right, bottom = ink
    # a transparent margin on every side: nothing touches (or was cut at) an edge
    assert top > 0 and left > 0
    assert bottom < raster.image.height and right < raster.image.width
    # and the ink is as deep as the font draws it: the descenders are all there
    last_line = text.split("\n")[-1]
    font_path = (
        "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Bold.ttf"
        if "ग" in last_line
        else str(NOTO)
    )
    font = ImageFont.truetype(font_path, size, layout_engine=ImageFont.Layout.RAQM)
    _l, _t, _r, descent_ink = font.getbbox(last_line, anchor="ls")
    assert descent_ink > 0.15 * size
    rows = raster.image.getchannel("A").crop((0, bottom - 2, raster.image.width, bottom)).getbbox()
    assert rows is not None  # ink right down to the measured bottom
    # the bottom of the ink sits below the last baseline by the font's full descender depth
    _block_x0, _block_y0, _block_x1, block_y1 = raster.block
    assert bottom >= block_y1 - font.getmetrics()[1] + descent_ink - 2


@needs_fonts
def test_long_text_wraps_and_shrinks_to_fit():
    style = TextStyle(size=40, max_width=300, max_lines=2)
    raster = render_text("A rather long sentence that will not fit on one short line at all", style)
    assert raster.image.width <= 300 + 40
    japanese = "夏のセール開催中、今すぐチェックしてください"
    cjk = render_text(japanese, TextStyle(size=40, max_width=300))
    assert cjk.image.width <= 300 + 40
    assert cjk.block[3] - cjk.block[1] > 80  # wrapped per character onto several lines


# -- progress, errors, clips, music ------------------------------------------------------------

QUICK = {
    "version": 1,
    "background": {"type": "color", "color": "#202020"},
    "layers": [{"type": "text", "field": "title", "size": 0.12, "in": ["fade"]}],
}


def quick_request(tmp_path: Path, title: str, *, duration: float) -> RenderRequest:
    """QUICK at 320 × 180, 10 fps, with no work_dir (render() makes its own)."""
    return RenderRequest(
        spec=QUICK,
        fields={"title": title},
        duration=duration,
        width=320,
        height=180,
        fps=10,
        output_path=str(tmp_path / "out.mp4"),
        thumbnail_path=str(tmp_path / "thumb.jpg"),
    )


@needs_ffmpeg
@needs_fonts
def test_progress_reaches_100_monotonically(tmp_path):
    seen: list[int] = []
    render(quick_request(tmp_path, "Progress", duration=6), on_progress=seen.append)
    assert seen[0] == 0 and seen[-1] == 100
    assert all(isinstance(v, int) for v in seen)
    assert seen == sorted(set(seen))  # strictly increasing


@needs_ffmpeg
def test_run_ffmpeg_reports_failures_and_timeouts(tmp_path):
    with pytest.raises(RenderError) as failed:
        run_ffmpeg(["-i", str(tmp_path / "missing.mp4"), str(tmp_path / "x.mp4")], duration=1)
    assert failed.value.code == "ffmpeg_failed"
    assert "missing.mp4" in failed.value.detail
    endless = ["-f", "lavfi", "-i", "testsrc=s=320x240:r=25", "-f", "null", "-"]
    with pytest.raises(RenderError) as slow:
        run_ffmpeg(endless, duration=1000, timeout=0.5)
    assert slow.value.code == "timeout"


@needs_ffmpeg
def test_probe_rejects_what_is_not_a_video(tmp_path):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"this is not a video at all")
    picture = tmp_path / "still.png"
    Image.new("RGB", (16, 16)).save(picture)
    for path in (junk, picture, tmp_path / "missing.mp4"):
        with pytest.raises(RenderError) as error:
            probe(str(path))
        assert error.value.code == "bad_input"


@pytest.fixture
def red_clip(tmp_path) -> Path:
    """A 2-second 4:3 red clip with a tone: it must be looped, and cropped to fill a 16:9 slot."""
    path = tmp_path / "red.mp4"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "color=c=red:s=160x120:r=10:d=2",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=2",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        str(path),
    )
    return path


def _is_red(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return r > 170 and g < 90 and b < 90


@needs_ffmpeg
@needs_fonts
def test_bad_clip_is_bad_input(tmp_path):
    template = next(t for t in STARTER_TEMPLATES if t["key"] == "product-demo-60")
    junk = tmp_path / "clip.mp4"
    junk.write_bytes(b"\x00" * 2048)
    with pytest.raises(RenderError) as error:
        render(request_for(template, tmp_path, duration=30, source_clip=str(junk)))
    assert error.value.code == "bad_input"
    assert not (tmp_path / "out.mp4").exists()


@needs_ffmpeg
@needs_fonts
def test_user_clip_fills_the_video_slot(tmp_path, red_clip):
    template = next(t for t in STARTER_TEMPLATES if t["key"] == "product-demo-60")
    request = request_for(template, tmp_path, duration=30, source_clip=str(red_clip))
    render(request)
    assert_valid_mp4(tmp_path / "out.mp4", duration=30, width=320, height=180)
    slot = next(layer for layer in template["spec"]["layers"] if layer["type"] == "video")
    frame = frame_at(tmp_path / "out.mp4", 15.0, tmp_path / "frame.png")  # after several loops
    x0 = (slot["x"] - slot["w"] / 2) * 320
    x1 = (slot["x"] + slot["w"] / 2) * 320
    y0 = (slot["y"] - slot["h"] / 2) * 180
    y1 = (slot["y"] + slot["h"] / 2) * 180
    # filled edge to edge (a 4:3 clip only contain-fitted would leave bars left and right)
    for x in (x0 + 4, (x0 + x1) / 2, x1 - 4):
        for y in (y0 + 4, (y0 + y1) / 2, y1 - 4):
            assert _is_red(frame.getpixel((round(x), round(y)))), (x, y)
    # and nothing red outside the slot
    assert not _is_red(frame.getpixel((round(x0 - 12), round((y0 + y1) / 2))))
    assert not _is_red(frame.getpixel((round((x0 + x1) / 2), round(y1 + 12))))
    # before the slot appears there is no clip on screen
    early = frame_at(tmp_path / "out.mp4", 1.0, tmp_path / "early.png")
    assert not _is_red(early.getpixel((round((x0 + x1) / 2), round((y0 + y1) / 2))))


@needs_ffmpeg
@needs_fonts
def test_clip_as_background_with_music(tmp_path, red_clip):
    music = tmp_path / "music.wav"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=220:duration=1.5", str(music))
    spec = {
        "version": 1,
        "background": {"type": "video", "audio": "mix", "volume": 0.5},
        "music": {"field": "music", "fade_out": 1.0},
        "fade_out": 0.5,
        "layers": [{"type": "text", "field": "title", "y": 0.8, "size": 0.1, "box": {}}],
    }
    fields = [
        {"name": "title", "type": "text", "label": "Title", "default": "On top of the clip"},
        {"name": "music", "type": "audio", "label": "Music"},
    ]
    validate_spec(spec, fields)
    render(
        RenderRequest(
            spec=spec,
            fields={"title": "On top of the clip", "music": str(music)},
            duration=5,
            width=320,
            height=180,
            fps=10,
            output_path=str(tmp_path / "out.mp4"),
            thumbnail_path=str(tmp_path / "thumb.jpg"),
            source_clip=str(red_clip),
        )
    )
    assert_valid_mp4(tmp_path / "out.mp4", duration=5, width=320, height=180)
    frame = frame_at(tmp_path / "out.mp4", 3.0, tmp_path / "frame.png")
    assert _is_red(frame.getpixel((5, 5))) and _is_red(frame.getpixel((314, 20)))


@needs_ffmpeg
@needs_fonts
def test_pictures_and_every_language_render(tmp_path):
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (400, 300), (30, 160, 90)).save(photo)
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (120, 60), (255, 255, 255, 200)).save(logo)
    template = next(t for t in STARTER_TEMPLATES if t["key"] == "youtube-quote")
    quotes = {
        "es": "Oferta de verano",
        "fr": "Soldes d'été",
        "de": "Sommerschlussverkauf: Größen",
        "pt": "Promoção de verão",
        "ja": "夏のセール開催中",
        "ko": "여름 세일 진행 중",
        "zh_hans": "夏季促销进行中",
        "hi": "गर्मियों की सेल, आज ही — Sale",
    }
    request = request_for(
        template,
        tmp_path,
        duration=template["min_duration"],
        fields=resolve_fields(template["fields"], {"quote": "\n".join(quotes.values())}),
    )
    render(request)
    assert_valid_mp4(tmp_path / "out.mp4", duration=template["min_duration"], width=320, height=568)

    showcase = next(t for t in STARTER_TEMPLATES if t["key"] == "instagram-product-showcase")
    values = resolve_fields(showcase["fields"], {"product_image": str(photo)})
    render(request_for(showcase, tmp_path, duration=15, fields=values))
    frame = frame_at(tmp_path / "out.mp4", 4.0, tmp_path / "frame.png")
    r, g, b = frame.getpixel((160, round(0.33 * 568)))  # the product photo's centre
    assert g > r + 60 and g > b + 30

    demo = next(t for t in STARTER_TEMPLATES if t["key"] == "product-demo-60")
    values = resolve_fields(demo["fields"], {"screenshot": str(photo), "logo": str(logo)})
    render(request_for(demo, tmp_path, duration=30, fields=values))
    frame = frame_at(tmp_path / "out.mp4", 15.0, tmp_path / "frame.png")
    r, g, b = frame.getpixel((round(0.665 * 320), round(0.52 * 180)))  # the fallback screenshot
    assert g > r + 60 and g > b + 30


@needs_ffmpeg
@needs_fonts
def test_unreadable_picture_is_bad_input(tmp_path):
    broken = tmp_path / "photo.jpg"
    broken.write_bytes(b"not a jpeg")
    template = next(t for t in STARTER_TEMPLATES if t["key"] == "instagram-product-showcase")
    values = resolve_fields(template["fields"], {"product_image": str(broken)})
    with pytest.raises(RenderError) as error:
        render(request_for(template, tmp_path, duration=15, fields=values))
    assert error.value.code == "bad_input"


@needs_ffmpeg
@needs_fonts
def test_text_no_font_can_draw_is_font_missing(tmp_path):
    with pytest.raises(RenderError) as error:
        render(quick_request(tmp_path, "Private \ue000 use", duration=2))
    assert error.value.code == "font_missing"
    assert "\ue000" in error.value.detail


@needs_ffmpeg
@needs_fonts
def test_timeout_and_odd_sizes(tmp_path):
    template = next(t for t in STARTER_TEMPLATES if t["key"] == "educational-explainer")
    with pytest.raises(RenderError) as slow:
        render(request_for(template, tmp_path), timeout=0.3)
    assert slow.value.code == "timeout"
    with pytest.raises(RenderError) as odd:
        render(request_for(template, tmp_path, width=321))
    assert odd.value.code == "bad_input"
