"""The layers of a spec: which keys each layer type takes, the in/out effects, and their checks.

The formats are described in spec.py's docstring (sections *Layers* and *Layer types*).
"""

from __future__ import annotations

from typing import Any

from .fields import FIELD_TYPES
from .spec_values import ValueChecker

SLIDES_IN = ("from-left", "from-right", "from-top", "from-bottom")
SLIDES_OUT = ("to-left", "to-right", "to-top", "to-bottom")
GROWTHS = ("zoom", "grow-x", "grow-y")
EFFECTS_IN = ("fade", *SLIDES_IN, *GROWTHS)
EFFECTS_OUT = ("fade", *SLIDES_OUT)

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


class LayerChecker(ValueChecker):
    """Checks of one layer and of the styles inside it (shadow, placeholder, effects)."""

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
