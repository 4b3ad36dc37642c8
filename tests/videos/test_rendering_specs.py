"""The rendering engine's specs: output sizes, spec and field validation, field values.

No database.
"""

from __future__ import annotations

import copy
import re

import pytest

from videos.rendering import output_size, resolve_fields, validate_spec


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
