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

import re
from typing import Any

from .fields import FIELD_TYPES, validate_fields

SPEC_VERSION = 1
ANCHORS = {
    "center": (0.5, 0.5),
    "top": (0.5, 0.0),
    "bottom": (0.5, 1.0),
    "left": (0.0, 0.5),
    "right": (1.0, 0.5),
    "top-left": (0.0, 0.0),
    "top-right": (1.0, 0.0),
    "bottom-left": (0.0, 1.0),
    "bottom-right": (1.0, 1.0),
}
SLIDES_IN = ("from-left", "from-right", "from-top", "from-bottom")
SLIDES_OUT = ("to-left", "to-right", "to-top", "to-bottom")
GROWTHS = ("zoom", "grow-x", "grow-y")
EFFECTS_IN = ("fade", *SLIDES_IN, *GROWTHS)
EFFECTS_OUT = ("fade", *SLIDES_OUT)

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$")
_PERCENT = re.compile(r"^(\d{1,3}(?:\.\d+)?)%$")
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]{0,39})\}")

_COMMON_LAYER_KEYS = {
    "type",
    "name",
    "when",
    "start",
    "end",
    "opacity",
    "in",
    "out",
    "in_duration",
    "out_duration",
    "slide_distance",
    "zoom_from",
}
_BOX_KEYS = {"x", "y", "w", "h", "anchor"}
_LAYER_KEYS = {
    "text": {
        "field",
        "text",
        "x",
        "y",
        "anchor",
        "size",
        "color",
        "bold",
        "serif",
        "max_width",
        "align",
        "line_spacing",
        "max_lines",
        "uppercase",
        "box",
        "shadow",
    },
    "image": {"field", *_BOX_KEYS, "fit", "radius", "border", "shadow", "placeholder"},
    "logo": {"field", *_BOX_KEYS},
    "video": {*_BOX_KEYS, "fallback_field", "placeholder", "audio", "volume"},
    "shape": {"shape", *_BOX_KEYS, "x2", "y2", "radius", "outline", "thickness", "color"},
    "bars": {
        "field",
        "labels_field",
        *_BOX_KEYS,
        "colors",
        "bar_width",
        "label_color",
        "value_color",
        "label_size",
        "value_size",
        "prefix",
        "suffix",
        "decimals",
        "max",
        "grow",
        "stagger",
        "axis",
        "radius",
    },
}


class _Checker:
    def __init__(self, fields: list[dict]) -> None:
        self.fields = {f["name"]: f for f in fields}

    # -- primitives ---------------------------------------------------------------------
    @staticmethod
    def fail(path: str, message: str) -> None:
        raise ValueError(f"{path}: {message}")

    def keys(
        self, path: str, value: Any, allowed: set[str], required: tuple[str, ...] = ()
    ) -> None:
        if not isinstance(value, dict):
            self.fail(path, "must be an object")
        unknown = sorted(set(value) - allowed)
        if unknown:
            self.fail(path, f"unknown key(s) {', '.join(unknown)}")
        for key in required:
            if key not in value:
                self.fail(path, f"{key} is required")

    def number(self, path: str, value: Any, lo: float, hi: float) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, "must be a number")
        if not lo <= value <= hi:
            self.fail(path, f"must be between {lo} and {hi}")

    def boolean(self, path: str, value: Any) -> None:
        if not isinstance(value, bool):
            self.fail(path, "must be true or false")

    def choice(self, path: str, value: Any, options: tuple[str, ...] | set[str]) -> None:
        if value not in options:
            self.fail(path, f"must be one of {', '.join(sorted(options))}")

    def time(self, path: str, value: Any, *, duration: bool = False) -> None:
        if isinstance(value, str):
            match = _PERCENT.match(value)
            if not match or float(match.group(1)) > 100:
                self.fail(path, 'must be seconds or a percentage like "40%"')
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, 'must be seconds or a percentage like "40%"')
        if duration and value < 0:
            self.fail(path, "must not be negative")
        if abs(value) > 3600:
            self.fail(path, "must be within an hour")

    def field_ref(self, path: str, name: Any, types: tuple[str, ...]) -> None:
        if not isinstance(name, str) or name not in self.fields:
            self.fail(path, f"refers to unknown field {name!r}")
        if self.fields[name]["type"] not in types:
            self.fail(path, f"field {name!r} must be of type {' or '.join(types)}")

    def color(self, path: str, value: Any) -> None:
        if isinstance(value, dict):
            self.keys(path, value, {"field"}, ("field",))
            self.field_ref(path + ".field", value["field"], ("color",))
        elif not isinstance(value, str) or not _COLOR.match(value):
            self.fail(path, 'must be "#rrggbb", "#rrggbbaa" or {"field": name}')

    def text_value(self, path: str, value: Any) -> None:
        if not isinstance(value, str):
            self.fail(path, "must be a string")
        for name in PLACEHOLDER.findall(value):
            self.field_ref(path, name, ("text", "number"))

    def position(self, path: str, layer: dict, *, box: bool) -> None:
        for key in ("x", "y"):
            if key in layer:
                self.number(f"{path}.{key}", layer[key], -1.0, 2.0)
        if "anchor" in layer:
            self.choice(f"{path}.anchor", layer["anchor"], set(ANCHORS))
        if box:
            for key in ("w", "h"):
                if key not in layer:
                    self.fail(path, f"{key} is required")
                self.number(f"{path}.{key}", layer[key], 0.001, 2.0)

    # -- parts ----------------------------------------------------------------------------
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

    def shadow(self, path: str, value: Any) -> None:
        self.keys(path, value, {"color", "opacity", "offset", "blur"})
        if "color" in value:
            self.color(path + ".color", value["color"])
        for key, hi in (("opacity", 1), ("offset", 0.1), ("blur", 0.1)):
            if key in value:
                self.number(f"{path}.{key}", value[key], 0, hi)

    def effects(
        self, path: str, value: Any, options: tuple[str, ...], slides: tuple[str, ...]
    ) -> None:
        if not isinstance(value, list):
            self.fail(path, "must be a list of effects")
        for i, effect in enumerate(value):
            self.choice(f"{path}[{i}]", effect, options)
        if len(set(value)) != len(value):
            self.fail(path, "lists an effect twice")
        if len([e for e in value if e in slides]) > 1:
            self.fail(path, "may slide in one direction only")
        if len([e for e in value if e in GROWTHS]) > 1:
            self.fail(path, "may use only one of zoom, grow-x, grow-y")

    def layer(self, path: str, layer: Any) -> None:
        if not isinstance(layer, dict) or layer.get("type") not in _LAYER_KEYS:
            self.fail(path, f"must be an object with a type among {', '.join(_LAYER_KEYS)}")
        kind = layer["type"]
        self.keys(path, layer, _COMMON_LAYER_KEYS | _LAYER_KEYS[kind])
        if "name" in layer and not isinstance(layer["name"], str):
            self.fail(path + ".name", "must be a string")
        if "when" in layer:
            self.field_ref(path + ".when", layer["when"], FIELD_TYPES)
        for key in ("start", "end"):
            if key in layer:
                self.time(f"{path}.{key}", layer[key])
        for key in ("in_duration", "out_duration"):
            if key in layer:
                self.time(f"{path}.{key}", layer[key], duration=True)
        start, end = layer.get("start", 0), layer.get("end", "100%")
        if type(start) is type(end) and not isinstance(start, str):
            if (start >= 0) == (end >= 0) and start >= end:
                self.fail(path, "ends before it starts")
        elif (
            isinstance(start, str) and isinstance(end, str) and float(start[:-1]) >= float(end[:-1])
        ):
            self.fail(path, "ends before it starts")
        if "opacity" in layer:
            self.number(path + ".opacity", layer["opacity"], 0, 1)
        if "in" in layer:
            self.effects(path + ".in", layer["in"], EFFECTS_IN, SLIDES_IN)
        if "out" in layer:
            self.effects(path + ".out", layer["out"], EFFECTS_OUT, SLIDES_OUT)
        if "slide_distance" in layer:
            self.number(path + ".slide_distance", layer["slide_distance"], 0, 1.5)
        if "zoom_from" in layer:
            self.number(path + ".zoom_from", layer["zoom_from"], 0.05, 0.99)
        getattr(self, f"layer_{kind}")(path, layer)

    def layer_text(self, path: str, layer: dict) -> None:
        if ("field" in layer) == ("text" in layer):
            self.fail(path, "needs exactly one of field and text")
        if "field" in layer:
            self.field_ref(path + ".field", layer["field"], ("text", "number"))
        else:
            self.text_value(path + ".text", layer["text"])
        self.position(path, layer, box=False)
        if "size" in layer:
            self.number(path + ".size", layer["size"], 0.005, 0.5)
        if "color" in layer:
            self.color(path + ".color", layer["color"])
        for key in ("bold", "serif", "uppercase"):
            if key in layer:
                self.boolean(f"{path}.{key}", layer[key])
        if "max_width" in layer:
            self.number(path + ".max_width", layer["max_width"], 0.05, 1.0)
        if "align" in layer:
            self.choice(path + ".align", layer["align"], ("left", "center", "right"))
        if "line_spacing" in layer:
            self.number(path + ".line_spacing", layer["line_spacing"], 0.8, 3.0)
        if "max_lines" in layer:
            if not isinstance(layer["max_lines"], int) or isinstance(layer["max_lines"], bool):
                self.fail(path + ".max_lines", "must be an integer")
            self.number(path + ".max_lines", layer["max_lines"], 1, 20)
        if "box" in layer:
            box = layer["box"]
            self.keys(path + ".box", box, {"color", "opacity", "padding", "radius"})
            if "color" in box:
                self.color(path + ".box.color", box["color"])
            for key, hi in (("opacity", 1), ("padding", 3), ("radius", 3)):
                if key in box:
                    self.number(f"{path}.box.{key}", box[key], 0, hi)
        if "shadow" in layer:
            self.shadow(path + ".shadow", layer["shadow"])

    def layer_image(self, path: str, layer: dict) -> None:
        if "field" not in layer:
            self.fail(path, "field is required")
        self.field_ref(path + ".field", layer["field"], ("image", "logo"))
        self.position(path, layer, box=True)
        if "fit" in layer:
            self.choice(path + ".fit", layer["fit"], ("cover", "contain"))
        if "radius" in layer:
            self.number(path + ".radius", layer["radius"], 0, 0.5)
        if "border" in layer:
            self.keys(path + ".border", layer["border"], {"color", "width"}, ("width",))
            self.number(path + ".border.width", layer["border"]["width"], 0, 0.1)
            if "color" in layer["border"]:
                self.color(path + ".border.color", layer["border"]["color"])
        if "shadow" in layer:
            self.shadow(path + ".shadow", layer["shadow"])
        if "placeholder" in layer:
            self.placeholder(path + ".placeholder", layer["placeholder"])

    def placeholder(self, path: str, value: Any) -> None:
        if isinstance(value, bool):
            return
        self.keys(path, value, {"color", "opacity"})
        if "color" in value:
            self.color(path + ".color", value["color"])
        if "opacity" in value:
            self.number(path + ".opacity", value["opacity"], 0, 1)

    def layer_logo(self, path: str, layer: dict) -> None:
        if "field" not in layer:
            self.fail(path, "field is required")
        self.field_ref(path + ".field", layer["field"], ("logo", "image"))
        self.position(path, layer, box=True)

    def layer_video(self, path: str, layer: dict) -> None:
        self.position(path, layer, box=True)
        if "fallback_field" in layer:
            self.field_ref(path + ".fallback_field", layer["fallback_field"], ("image",))
        if "placeholder" in layer:
            self.placeholder(path + ".placeholder", layer["placeholder"])
        if "audio" in layer:
            self.choice(path + ".audio", layer["audio"], ("drop", "mix"))
        if "volume" in layer:
            self.number(path + ".volume", layer["volume"], 0, 2)
        if any(e in GROWTHS for e in layer.get("in", [])):
            self.fail(path + ".in", "a video slot may fade and slide, not zoom or grow")

    def layer_shape(self, path: str, layer: dict) -> None:
        if "shape" not in layer:
            self.fail(path, "shape is required")
        self.choice(path + ".shape", layer["shape"], ("rect", "ellipse", "line", "arrow"))
        if layer["shape"] in ("line", "arrow"):
            for key in ("x", "y", "x2", "y2"):
                if key not in layer:
                    self.fail(path, f"{key} is required")
                self.number(f"{path}.{key}", layer[key], -1.0, 2.0)
            for key in ("w", "h", "anchor", "radius", "outline"):
                if key in layer:
                    self.fail(path, f"{key} is not used by a {layer['shape']}")
            if "thickness" in layer:
                self.number(path + ".thickness", layer["thickness"], 0.0005, 0.2)
        else:
            self.position(path, layer, box=True)
            for key in ("x2", "y2", "thickness"):
                if key in layer:
                    self.fail(path, f"{key} is only used by lines and arrows")
            if "radius" in layer:
                self.number(path + ".radius", layer["radius"], 0, 1)
            if "outline" in layer:
                self.number(path + ".outline", layer["outline"], 0.0005, 0.2)
        if "color" in layer:
            self.color(path + ".color", layer["color"])

    def layer_bars(self, path: str, layer: dict) -> None:
        for key in ("in", "out"):
            if any(effect != "fade" for effect in layer.get(key, [])):
                self.fail(f"{path}.{key}", "bars fade in and out; they grow by themselves")
        for key in ("field", "labels_field"):
            if key not in layer:
                self.fail(path, f"{key} is required")
        self.field_ref(path + ".field", layer["field"], ("numbers",))
        self.field_ref(path + ".labels_field", layer["labels_field"], ("text",))
        self.position(path, layer, box=True)
        if "colors" in layer:
            if not isinstance(layer["colors"], list) or not 1 <= len(layer["colors"]) <= 8:
                self.fail(path + ".colors", "must list 1 to 8 colors")
            for i, color in enumerate(layer["colors"]):
                self.color(f"{path}.colors[{i}]", color)
        for key in ("label_color", "value_color"):
            if key in layer:
                self.color(f"{path}.{key}", layer[key])
        if "bar_width" in layer:
            self.number(path + ".bar_width", layer["bar_width"], 0.1, 1.0)
        for key in ("label_size", "value_size"):
            if key in layer:
                self.number(f"{path}.{key}", layer[key], 0.005, 0.3)
        for key in ("prefix", "suffix"):
            if key in layer:
                self.text_value(f"{path}.{key}", layer[key])
        if "decimals" in layer:
            if not isinstance(layer["decimals"], int) or isinstance(layer["decimals"], bool):
                self.fail(path + ".decimals", "must be an integer")
            self.number(path + ".decimals", layer["decimals"], 0, 3)
        if "max" in layer:
            self.number(path + ".max", layer["max"], 1e-9, 1e12)
        for key in ("grow", "stagger"):
            if key in layer:
                self.number(f"{path}.{key}", layer[key], 0, 60)
        if "radius" in layer:
            self.number(path + ".radius", layer["radius"], 0, 0.5)
        if "axis" in layer:
            axis = layer["axis"]
            self.keys(path + ".axis", axis, {"color", "thickness"})
            if "color" in axis:
                self.color(path + ".axis.color", axis["color"])
            if "thickness" in axis:
                self.number(path + ".axis.thickness", axis["thickness"], 0, 0.05)


def validate_spec(spec: dict, fields: list[dict]) -> None:
    """Check a template's spec against the format above and its fields list.

    Raises ValueError with a message that names the offending place.
    """
    validate_fields(fields)
    check = _Checker(fields)
    check.keys(
        "spec",
        spec,
        {"version", "background", "layers", "fade_in", "fade_out", "music", "thumbnail_at"},
        ("background", "layers"),
    )
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


# -- helpers the engine shares --------------------------------------------------------------


def resolve_time(value: Any, duration: float) -> float:
    """Seconds (negative: from the end) or "NN%" → seconds from the start, within 0..duration."""
    if isinstance(value, str):
        seconds = float(value.rstrip("%")) / 100.0 * duration
    else:
        seconds = float(value)
        if seconds < 0:
            seconds = duration + seconds
    return min(max(seconds, 0.0), duration)


def parse_color(value: str) -> tuple[int, int, int, int]:
    """ "#rrggbb" or "#rrggbbaa" → (r, g, b, a)."""
    if not isinstance(value, str) or not _COLOR.match(value):
        raise ValueError(f"not a color: {value!r}")
    r, g, b = (int(value[i : i + 2], 16) for i in (1, 3, 5))
    a = int(value[7:9], 16) if len(value) == 9 else 255
    return r, g, b, a
