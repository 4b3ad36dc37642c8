"""Each layer of a spec drawn once, at the render's size, as positioned still pictures.

The layer types are described in spec.py's docstring; how a layer moves is left to compose.py
(its timing) and graph.py (the ffmpeg expressions).
"""

from __future__ import annotations

from typing import Any

from PIL import Image

from . import draw
from .plan import ClipSlot, Element, Motion
from .spec_values import ANCHORS, PLACEHOLDER, parse_color
from .text import RGBA, BoxStyle, Raster, ShadowStyle, TextStyle, add_shadow, render_text

WHITE: RGBA = (255, 255, 255, 255)


def format_number(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


class LayerDrawer:
    """Spec values in pixels, colors and text for one render, and a picture per layer type."""

    def __init__(
        self,
        spec: dict,
        fields: dict[str, object],
        *,
        width: int,
        height: int,
        fps: int,
        duration: float,
        source_clip: str | None,
        clip_has_audio: bool,
    ) -> None:
        self.spec = spec
        self.fields = fields
        self.W, self.H, self.fps, self.D = width, height, fps, duration
        self.frames = max(1, round(duration * fps))
        self.source_clip = source_clip
        self.clip_has_audio = clip_has_audio

    # -- values ---------------------------------------------------------------------------
    def q(self, seconds: float) -> float:
        """Round to a frame boundary."""
        return min(self.frames, max(0, round(seconds * self.fps))) / self.fps

    def color(self, value: Any, default: RGBA = WHITE, opacity: float | None = None) -> RGBA:
        if isinstance(value, dict):
            value = self.fields.get(value["field"])
        try:
            rgba = parse_color(value) if value is not None else default
        except ValueError:
            rgba = default
        if opacity is not None:
            rgba = (*rgba[:3], round(rgba[3] * opacity))
        return rgba

    def text(self, layer: dict) -> str:
        if "field" in layer:
            value = self.fields.get(layer["field"])
            return "" if value is None else format_number(value)
        return self.substitute(layer.get("text", ""))

    def substitute(self, template: str) -> str:
        def value(match: Any) -> str:
            found = self.fields.get(match.group(1))
            return "" if found is None else format_number(found)

        return PLACEHOLDER.sub(value, template)

    def has_value(self, name: str) -> bool:
        value = self.fields.get(name)
        if isinstance(value, str):
            return bool(value.strip())
        if isinstance(value, list):
            return bool(value)
        return value is not None

    def file_field(self, name: str | None) -> str | None:
        value = self.fields.get(name) if name else None
        return value if isinstance(value, str) and value else None

    def px_w(self, fraction: float) -> int:
        return round(fraction * self.W)

    def px_h(self, fraction: float) -> int:
        return round(fraction * self.H)

    def anchored(self, layer: dict, w: int, h: int) -> tuple[int, int]:
        ax, ay = ANCHORS[layer.get("anchor", "center")]
        return round(layer.get("x", 0.5) * self.W - ax * w), round(
            layer.get("y", 0.5) * self.H - ay * h
        )

    def rect(self, layer: dict, *, even: bool = False) -> tuple[int, int, int, int]:
        w, h = max(1, self.px_w(layer["w"])), max(1, self.px_h(layer["h"]))
        if even:
            w, h = max(2, w // 2 * 2), max(2, h // 2 * 2)
        x, y = self.anchored(layer, w, h)
        if even:
            x, y = x // 2 * 2, y // 2 * 2
        return x, y, w, h

    # -- layers -----------------------------------------------------------------------------
    def element(
        self, layer: dict, motion: Motion, raster: Raster | Image.Image, x: int, y: int
    ) -> Element:
        image = raster.image if isinstance(raster, Raster) else raster
        image = draw.with_opacity(image, layer.get("opacity", 1.0))
        return Element(
            "image",
            x,
            y,
            image.width,
            image.height,
            motion,
            image=image,
            name=layer.get("name", ""),
        )

    def layer_text(self, layer: dict, motion: Motion) -> list[Element]:
        text = self.text(layer).strip()
        if layer.get("uppercase"):
            text = text.upper()
        if not text:
            return []
        size = max(6, self.px_h(layer.get("size", 0.05)))
        box = shadow = None
        if "box" in layer:
            spec = layer["box"]
            box = BoxStyle(
                color=self.color(spec.get("color", "#000000"), opacity=spec.get("opacity", 0.55)),
                padding=round(spec.get("padding", 0.35) * size),
                radius=round(spec.get("radius", 0.25) * size),
            )
        if "shadow" in layer:
            shadow = self.shadow(layer["shadow"])
        max_width = self.px_w(layer.get("max_width", 0.9)) - (2 * box.padding if box else 0)
        style = TextStyle(
            size=size,
            color=self.color(layer.get("color", "#ffffff")),
            bold=layer.get("bold", True),
            serif=layer.get("serif", False),
            max_width=max(size, max_width),
            align=layer.get("align", "center"),
            line_spacing=layer.get("line_spacing", 1.15),
            max_lines=layer.get("max_lines", 4),
            box=box,
            shadow=shadow,
        )
        raster = render_text(text, style)
        if raster is None:
            return []
        x0, y0, x1, y1 = raster.block
        bx, by = self.anchored(layer, x1 - x0, y1 - y0)
        return [self.element(layer, motion, raster, bx - x0, by - y0)]

    def shadow(self, spec: dict) -> ShadowStyle:
        return ShadowStyle(
            color=self.color(spec.get("color", "#000000"), opacity=spec.get("opacity", 0.5)),
            offset=max(0, self.px_h(spec.get("offset", 0.004))),
            blur=max(0, self.px_h(spec.get("blur", 0.006))),
        )

    def picture(
        self,
        layer: dict,
        motion: Motion,
        path: str | None,
        *,
        fit: str,
        rect: tuple[int, int, int, int],
    ) -> list[Element]:
        x, y, w, h = rect
        radius = self.px_h(layer.get("radius", 0))
        if path is None:
            spec = layer.get("placeholder")
            if not spec:
                return []
            spec = spec if isinstance(spec, dict) else {}
            color = self.color(spec.get("color", "#ffffff"), opacity=spec.get("opacity", 0.16))
            image = draw.placeholder(w, h, color, radius)
        else:
            source = draw.load_picture(path, (w, h))
            if fit == "cover":
                image = draw.cover(source, w, h)
            else:
                image = draw.contain(source, w, h)
                ax, ay = ANCHORS[layer.get("anchor", "center")]
                x += round((w - image.width) * ax)
                y += round((h - image.height) * ay)
            image = draw.rounded_picture(image, radius)
        if "border" in layer:
            width = self.px_h(layer["border"]["width"])
            image = draw.with_border(
                image, width, self.color(layer["border"].get("color", "#ffffff")), radius
            )
        raster = draw.fitted_raster(image)
        if "shadow" in layer:
            raster = add_shadow(raster, self.shadow(layer["shadow"]))
        return [self.element(layer, motion, raster, x - raster.block[0], y - raster.block[1])]

    def layer_image(self, layer: dict, motion: Motion) -> list[Element]:
        path = self.file_field(layer["field"])
        return self.picture(
            layer, motion, path, fit=layer.get("fit", "cover"), rect=self.rect(layer)
        )

    def layer_logo(self, layer: dict, motion: Motion) -> list[Element]:
        path = self.file_field(layer["field"])
        if path is None:
            return []
        return self.picture(
            {**layer, "placeholder": False}, motion, path, fit="contain", rect=self.rect(layer)
        )

    def clip_slot(self, slot_spec: dict) -> ClipSlot | None:
        """The creator's clip in a video layer or background, or None when there is no clip."""
        if not self.source_clip:
            return None
        return ClipSlot(
            self.source_clip,
            slot_spec.get("audio", "drop"),
            slot_spec.get("volume", 1.0),
            self.clip_has_audio,
        )

    def layer_video(self, layer: dict, motion: Motion) -> list[Element]:
        x, y, w, h = self.rect(layer, even=True)
        slot = self.clip_slot(layer)
        if slot is not None:
            return [Element("clip", x, y, w, h, motion, clip=slot, name=layer.get("name", ""))]
        path = self.file_field(layer.get("fallback_field"))
        return self.picture(layer, motion, path, fit="cover", rect=(x, y, w, h))

    def layer_shape(self, layer: dict, motion: Motion) -> list[Element]:
        color = self.color(layer.get("color", "#ffffff"))
        kind = layer["shape"]
        if kind in ("line", "arrow"):
            thickness = max(1.0, layer.get("thickness", 0.006) * self.H)
            image, x, y = draw.line(
                layer["x"] * self.W,
                layer["y"] * self.H,
                layer["x2"] * self.W,
                layer["y2"] * self.H,
                thickness,
                color,
                arrow=kind == "arrow",
            )
            return [self.element(layer, motion, image, x, y)]
        x, y, w, h = self.rect(layer)
        outline = self.px_h(layer["outline"]) if "outline" in layer else 0
        image = draw.shape_box(
            w,
            h,
            color,
            radius=self.px_h(layer.get("radius", 0)),
            outline=max(1, outline) if "outline" in layer else 0,
            ellipse=kind == "ellipse",
        )
        return [self.element(layer, motion, image, x, y)]

    def layer_bars(self, layer: dict, motion: Motion) -> list[Element]:
        from .bars import bar_chart

        return bar_chart(self, layer, motion)
