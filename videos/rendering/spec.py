"""The template spec format (``Template.spec``) and the fields list (``Template.fields``).

A spec is JSON. Every position and length is a fraction of the frame, so one template renders
at any resolution; every time is relative, so it works for any duration in the template's
range. ``validate_spec(spec, fields)`` checks all of the following and raises ``ValueError``
with the path of the first problem (``layers[2].anchor: …``). Unknown keys are errors.

Top level
---------
``{"version": 1, "background": {...}, "layers": [...], "fade_in": 0.5, "fade_out": 0.8,
"music": {...}, "thumbnail_at": "33%"}``

- ``version``: 1. ``layers``: drawn in order, first at the bottom.
- ``fade_in`` / ``fade_out``: seconds of fade from / to black of the whole video (default 0).
- ``music``: ``{"field": "music", "volume": 0.8, "fade_in": 0.5, "fade_out": 2.0}`` – an
  ``audio`` field; looped or cut to the duration and faded out. Without music (or when the
  field is empty) the video gets a silent AAC track.
- ``thumbnail_at``: time of the thumbnail frame (default ``"33%"``).
- ``logo_safe_area``: ``{"x": 0, "y": 0.12, "w": 1, "h": 0.81}`` – the part of the frame
  (fractions, from its top-left corner) where a brand kit's logo covers none of the template's
  own text: a placement whose box would leave it is moved into it (``videos.branding``). At
  least a quarter of the width and of the height. Without it the whole frame is safe. The
  render itself ignores it.

Values
------
- *time*: a number of seconds from the start; a negative number counts back from the end
  (``-2`` = two seconds before the end); a string ``"40%"`` is a share of the duration.
  Durations (``in_duration`` …) take seconds or a percentage.
- *color*: ``"#rrggbb"``, ``"#rrggbbaa"`` or ``{"field": "<color field>"}``.
- *text*: a layer takes ``"field": "<text or number field>"`` or a literal ``"text"``, in
  which ``{name}`` is replaced by that field's value (``"text": "Only {price}"``).
- *x, y*: fractions of the width and height (0 = left/top, 1 = right/bottom); ``anchor`` says
  which point of the layer sits there: ``center`` (default), ``top``, ``bottom``, ``left``,
  ``right``, ``top-left``, ``top-right``, ``bottom-left``, ``bottom-right``.
- *w, h*: fractions of the width and height. Other lengths (``radius``, ``thickness``,
  ``outline``, shadow ``offset``…) are fractions of the frame height; a text ``size`` is the
  font size as a fraction of the frame height; a text box's ``padding``/``radius`` are
  fractions of the font size.

Background
----------
- ``{"type": "color", "color": <color>}``
- ``{"type": "gradient", "colors": [<color>, <color>, <color>?], "angle": 135}`` – linear,
  CSS angles (0 = to the top, 90 = to the right, 180 = to the bottom).
- ``{"type": "image", "field": "<image field>", "fallback": <color/gradient background>,
  "dim": 0.3}`` – cover-fit (scaled to fill, centre-cropped); ``dim`` darkens it.
- ``{"type": "video", "fallback": <color/gradient/image background>, "audio": "drop"|"mix",
  "volume": 1.0}`` – the creator's clip fills the frame (scaled and cropped, cut or looped to
  the duration); its sound is dropped or mixed under the music.
- Any background may add ``"vignette": 0..1`` (darker edges) and
  ``"zoom": {"from": 1.0, "to": 1.12}`` (a slow zoom over the whole video).

Layers – keys every layer may have
----------------------------------
``start`` (time, default 0), ``end`` (time, default ``"100%"``), ``opacity`` (0..1),
``in`` / ``out`` (lists of effects), ``in_duration`` (default 0.6 s), ``out_duration``
(default 0.5 s), ``slide_distance`` (fraction of the width/height, default 0.08),
``zoom_from`` (default 0.6), ``when`` (a field name: the layer is drawn only when that field
has a value, e.g. a tip's number badge only when the tip is filled in), ``name`` (free text
for humans).

Effects: ``in``: ``fade``, ``from-left``, ``from-right``, ``from-top``, ``from-bottom``,
``zoom`` (grows from ``zoom_from`` about its centre), ``grow-x`` (unrolls rightwards),
``grow-y`` (rises from its bottom edge); ``out``: ``fade``, ``to-left``, ``to-right``,
``to-top``, ``to-bottom``. At most one slide per direction list; ``zoom``, ``grow-x`` and
``grow-y`` exclude each other.

Layer types
-----------
- ``text``: ``field`` | ``text``; ``x``, ``y``, ``anchor``; ``size`` (default 0.05);
  ``color`` (default white); ``bold`` (default true); ``serif`` (default false);
  ``max_width`` (fraction of the width, default 0.9; longer text wraps – per word, per
  character in Chinese and Japanese); ``align`` (``left``/``center``/``right``);
  ``line_spacing`` (default 1.15); ``max_lines`` (default 4: longer text first shrinks to 60 %
  of its size, then is cut with an ellipsis); ``uppercase``; ``box``
  (``{"color", "opacity", "padding", "radius"}``, a rounded box behind the text); ``shadow``
  (``{"color", "opacity", "offset", "blur"}``).
- ``image``: ``field`` (image); ``x``, ``y``, ``w``, ``h``, ``anchor``; ``fit``
  (``cover``/``contain``, default cover); ``radius``; ``border`` (``{"color", "width"}``);
  ``shadow``; ``placeholder`` (true or ``{"color", "opacity"}``: drawn when the field is
  empty – otherwise an empty field skips the layer).
- ``logo``: ``field`` (logo); ``x``, ``y``, ``w``, ``h``, ``anchor``; always contain-fit;
  skipped when empty.
- ``video``: the slot for the creator's clip: ``x``, ``y``, ``w``, ``h``, ``anchor``;
  ``fallback_field`` (image shown, cover-fit, when there is no clip); ``placeholder``;
  ``audio`` (``drop``/``mix``), ``volume``. At most one video slot per template (a ``video``
  layer or a ``video`` background).
- ``shape``: ``shape`` = ``rect`` | ``ellipse`` (``x``, ``y``, ``w``, ``h``, ``anchor``,
  ``radius`` for rect corners, ``outline`` to draw only the outline of that thickness) or
  ``line`` | ``arrow`` (from ``x``, ``y`` to ``x2``, ``y2``, ``thickness``); ``color``.
- ``bars``: a bar chart that grows to the numbers entered: ``field`` (numbers),
  ``labels_field`` (text: labels separated by commas or new lines), ``x``, ``y``, ``w``,
  ``h``, ``anchor`` (the chart area, labels included); ``colors`` (list of colors, cycled);
  ``bar_width`` (share of each slot, default 0.6); ``label_color``, ``value_color``,
  ``label_size``, ``value_size`` (fractions of the frame height); ``prefix``/``suffix`` of
  the values (literal or ``{field}`` text); ``decimals`` (default: as entered, at most 2);
  ``max`` (the value of a full-height bar, default the largest number); ``grow`` (seconds
  each bar grows, default 1.2) and ``stagger`` (seconds between bars, default 0.25); ``axis``
  (``{"color", "thickness"}``); ``radius`` (rounded bar tops, a share of the bar width). Values
  count up while their bar grows. A bar chart's ``in``/``out`` may only be ``fade``.

Fields
------
``[{"name": "title", "type": "text", "label": "Title", "required": true, "default": "…",
"max_length": 80}, …]``: ``type`` is ``text`` (``max_length``, ``multiline``), ``color``
(``"#rrggbb"``), ``number`` (``min``, ``max``), ``numbers`` (``min``, ``max``, ``max_items``),
``image``, ``logo`` or ``audio`` (files; default null). ``label`` (and optional ``help``) are
English msgids. Every required text field should have a default, so a template renders with
no input at all.

``render()`` takes *resolved* values (``fields.resolve_fields`` makes them: defaults applied,
types coerced, file fields as local paths). A field missing from them counts as empty: text
layers and pictures are left out (or show their placeholder), colors fall back to white.
"""

from __future__ import annotations

from typing import Any

from .fields import validate_fields
from .spec_layers import LayerChecker

SPEC_VERSION = 1


class _SpecChecker(LayerChecker):
    """Adds the background, the one part of a spec that is neither a value nor a layer."""

    def background(self, path: str, bg: Any, *, allow: tuple[str, ...]) -> None:
        if not isinstance(bg, dict) or "type" not in bg:
            self.fail(path, "must be an object with a type")
        kind = bg["type"]
        self.choice(path + ".type", kind, allow)
        extra = {"type", "vignette", "zoom"}
        if kind == "color":
            self.keys(path, bg, extra | {"color"}, ("color",))
            self.color(path + ".color", bg["color"])
        elif kind == "gradient":
            self.keys(path, bg, extra | {"colors", "angle"}, ("colors",))
            colors = bg["colors"]
            if not isinstance(colors, list) or not 2 <= len(colors) <= 3:
                self.fail(path + ".colors", "must list 2 or 3 colors")
            for i, color in enumerate(colors):
                self.color(f"{path}.colors[{i}]", color)
            if "angle" in bg:
                self.number(path + ".angle", bg["angle"], -360, 360)
        elif kind == "image":
            self.keys(path, bg, extra | {"field", "fallback", "dim"}, ("field",))
            self.field_ref(path + ".field", bg["field"], ("image",))
            if "dim" in bg:
                self.number(path + ".dim", bg["dim"], 0, 1)
            if "fallback" in bg:
                self.background(path + ".fallback", bg["fallback"], allow=("color", "gradient"))
        elif kind == "video":
            self.keys(path, bg, extra | {"fallback", "audio", "volume"})
            if "fallback" in bg:
                self.background(
                    path + ".fallback", bg["fallback"], allow=("color", "gradient", "image")
                )
            if "audio" in bg:
                self.choice(path + ".audio", bg["audio"], ("drop", "mix"))
            if "volume" in bg:
                self.number(path + ".volume", bg["volume"], 0, 2)
        if "vignette" in bg:
            self.number(path + ".vignette", bg["vignette"], 0, 1)
        if "zoom" in bg:
            self.keys(path + ".zoom", bg["zoom"], {"from", "to"}, ("to",))
            for key in ("from", "to"):
                if key in bg["zoom"]:
                    self.number(f"{path}.zoom.{key}", bg["zoom"][key], 1.0, 2.0)


def validate_spec(spec: dict, fields: list[dict]) -> None:
    """Check a template's spec against the format above and its fields list.

    Raises ValueError with a message that names the offending place.
    """
    validate_fields(fields)
    check = _SpecChecker(fields)
    check.keys(
        "spec",
        spec,
        {
            *("version", "background", "layers", "fade_in", "fade_out", "music"),
            *("thumbnail_at", "logo_safe_area"),
        },
        ("background", "layers"),
    )
    if "logo_safe_area" in spec:
        _check_safe_area(check, spec["logo_safe_area"])
    if spec.get("version", SPEC_VERSION) != SPEC_VERSION:
        check.fail("spec.version", f"must be {SPEC_VERSION}")
    check.background(
        "spec.background", spec["background"], allow=("color", "gradient", "image", "video")
    )
    for key in ("fade_in", "fade_out"):
        if key in spec:
            check.number(f"spec.{key}", spec[key], 0, 10)
    if "thumbnail_at" in spec:
        check.time("spec.thumbnail_at", spec["thumbnail_at"])
    if "music" in spec:
        music = spec["music"]
        check.keys("spec.music", music, {"field", "volume", "fade_in", "fade_out"}, ("field",))
        check.field_ref("spec.music.field", music["field"], ("audio",))
        if "volume" in music:
            check.number("spec.music.volume", music["volume"], 0, 2)
        for key in ("fade_in", "fade_out"):
            if key in music:
                check.number(f"spec.music.{key}", music[key], 0, 30)
    layers = spec["layers"]
    if not isinstance(layers, list):
        check.fail("spec.layers", "must be a list")
    if len(layers) > 200:
        check.fail("spec.layers", "has more than 200 layers")
    for i, layer in enumerate(layers):
        check.layer(f"spec.layers[{i}]", layer)
    slots = sum(1 for layer in layers if layer["type"] == "video")
    slots += spec["background"]["type"] == "video"
    if slots > 1:
        check.fail("spec", "has more than one video slot")


MIN_SAFE_SIDE = 0.25  # of the frame: room for a logo at the largest scale


def _check_safe_area(check: _SpecChecker, area: Any) -> None:
    path = "spec.logo_safe_area"
    check.keys(path, area, {"x", "y", "w", "h"}, ("x", "y", "w", "h"))
    for key in ("x", "y"):
        check.number(f"{path}.{key}", area[key], 0, 1 - MIN_SAFE_SIDE)
    for key in ("w", "h"):
        check.number(f"{path}.{key}", area[key], MIN_SAFE_SIDE, 1)
    if area["x"] + area["w"] > 1 + 1e-9 or area["y"] + area["h"] > 1 + 1e-9:
        check.fail(path, "must lie inside the frame (x + w ≤ 1, y + h ≤ 1)")


def uses_video_slot(spec: dict) -> bool:
    return spec["background"]["type"] == "video" or any(
        layer["type"] == "video" for layer in spec["layers"]
    )
