"""The value formats of a spec – times, colors, text with ``{field}`` placeholders, positions –
and their checks, which every other part of a spec's check builds on.

The formats are described in spec.py's docstring (section *Values*). The engine reads values
with :func:`resolve_time` and :func:`parse_color`, so what passes a check is what it can read.
"""

from __future__ import annotations

import re
from typing import Any

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

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$")
_PERCENT = re.compile(r"^(\d{1,3}(?:\.\d+)?)%$")
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]{0,39})\}")


class ValueChecker:
    """Checks of single values; each raises ValueError with the path of the value it checks."""

    def __init__(self, fields: list[dict]) -> None:
        self.fields = {f["name"]: f for f in fields}

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


def resolve_time(value: Any, duration: float) -> float:
    """Seconds (negative: from the end) or "NN%" → seconds from the start, within 0..duration."""
    if isinstance(value, str):
        seconds = float(value.rstrip("%")) / 100.0 * duration
    else:
        seconds = float(value)
        if seconds < 0:
            seconds = duration + seconds
    return min(max(seconds, 0.0), duration)


def thumbnail_time(spec: dict, duration: float, fps: float) -> float:
    """When the thumbnail frame of a video rendered from ``spec`` is shown (``thumbnail_at``,
    default 33 %), a quarter frame early so that seeking there lands on that very frame."""
    fps = fps if fps and fps > 0 else 30.0
    frames = max(1, round(duration * fps))
    frame = min(frames - 1, round(resolve_time(spec.get("thumbnail_at", "33%"), duration) * fps))
    return max(0.0, (frame - 0.25) / fps)


def parse_color(value: str) -> tuple[int, int, int, int]:
    """ "#rrggbb" or "#rrggbbaa" → (r, g, b, a)."""
    if not isinstance(value, str) or not _COLOR.match(value):
        raise ValueError(f"not a color: {value!r}")
    r, g, b = (int(value[i : i + 2], 16) for i in (1, 3, 5))
    a = int(value[7:9], 16) if len(value) == 9 else 255
    return r, g, b, a
