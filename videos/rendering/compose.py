"""From a spec and field values to a plan: one still background and timed elements.

Everything that does not change per frame is drawn here, once: the background with every layer
that is on screen the whole time (unless something moving lies underneath it), and one small
transparent picture per remaining layer (layers with the same timing are merged into one
picture). What changes per frame – fades, slides, zooms, growing bars, counting numbers, the
creator's clip – is left to ffmpeg filters (see graph.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PIL import Image

from . import draw
from .spec_layers import GROWTHS, SLIDES_IN, SLIDES_OUT
from .spec_values import ANCHORS, PLACEHOLDER, parse_color, resolve_time
from .text import RGBA, BoxStyle, Raster, ShadowStyle, TextStyle, add_shadow, render_text

WHITE: RGBA = (255, 255, 255, 255)


@dataclass(frozen=True)
class Motion:
    start: float  # seconds, on a frame boundary
    end: float
    fx_in: tuple[str, ...] = ()
    fx_out: tuple[str, ...] = ()
    in_d: float = 0.0
    out_d: float = 0.0
    slide_in: tuple[int, int] = (0, 0)  # offset at the start, eased to zero
    slide_out: tuple[int, int] = (0, 0)  # offset reached at the end
    zoom_from: float = 1.0

    @property
    def growth(self) -> str | None:
        return next((fx for fx in self.fx_in if fx in GROWTHS), None)


@dataclass(frozen=True)
class ClipSlot:
    path: str
    audio: str  # "drop" | "mix"
    volume: float
    has_audio: bool


@dataclass(frozen=True)
class CountUp:
    """A number drawn by ffmpeg's drawtext, counting up (see graph.py)."""

    content: str  # drawtext text with %{eif:…} expansions
    font: str
    size: int
    color: RGBA
    x: str  # expressions in t
    y: str  # baseline
    alpha: str


@dataclass
class Element:
    kind: str  # "image" | "clip" | "count"
    x: int
    y: int
    w: int
    h: int
    motion: Motion
    image: Image.Image | None = None
    clip: ClipSlot | None = None
    count: CountUp | None = None
    name: str = ""
    y_follow: str = ""  # an expression in t added to y (a label riding on a growing bar)
    y_follow_max: int = 0  # how far down y_follow may move it

    def bbox(self) -> tuple[int, int, int, int]:
        """Every pixel the element may cover while it moves."""
        xs = [self.x, self.x + self.motion.slide_in[0], self.x + self.motion.slide_out[0]]
        ys = [self.y, self.y + self.motion.slide_in[1], self.y + self.motion.slide_out[1]]
        return min(xs), min(ys), max(xs) + self.w, max(ys) + self.h + self.y_follow_max


@dataclass
class Plan:
    width: int
    height: int
    fps: int
    duration: float
    frames: int
    background: Image.Image | None  # RGB, when the background is a still
    background_clip: ClipSlot | None
    background_zoom: tuple[float, float] | None
    elements: list[Element]
    fade_in: float
    fade_out: float
    music: dict | None  # {"path", "volume", "fade_in", "fade_out"}
    thumbnail_frame: int


def format_number(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _intersects(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _area(box: tuple[int, int, int, int]) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


class Planner:
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

    def motion(self, layer: dict) -> Motion | None:
        start = self.q(resolve_time(layer.get("start", 0), self.D))
        end = self.q(resolve_time(layer.get("end", "100%"), self.D))
        if end - start < 1 / self.fps:
            return None
        fx_in, fx_out = tuple(layer.get("in", ())), tuple(layer.get("out", ()))
        in_d = resolve_time(layer.get("in_duration", 0.6), self.D) if fx_in else 0.0
        out_d = resolve_time(layer.get("out_duration", 0.5), self.D) if fx_out else 0.0
        if in_d + out_d > end - start:
            scale = (end - start) / (in_d + out_d) * 0.999
            in_d, out_d = in_d * scale, out_d * scale
        distance = layer.get("slide_distance", 0.08)
        offsets = {
            "left": (-self.px_w(distance), 0),
            "right": (self.px_w(distance), 0),
            "top": (0, -self.px_h(distance)),
            "bottom": (0, self.px_h(distance)),
        }
        slide_in = next((offsets[fx[5:]] for fx in fx_in if fx in SLIDES_IN), (0, 0))
        slide_out = next((offsets[fx[3:]] for fx in fx_out if fx in SLIDES_OUT), (0, 0))
        return Motion(
            start=start,
            end=end,
            fx_in=fx_in,
            fx_out=fx_out,
            in_d=round(in_d, 4),
            out_d=round(out_d, 4),
            slide_in=slide_in,
            slide_out=slide_out,
            zoom_from=layer.get("zoom_from", 0.6),
        )

    def is_static(self, motion: Motion) -> bool:
        return (
            motion.start <= 0
            and round(motion.end * self.fps) >= self.frames
            and not motion.fx_in
            and not motion.fx_out
        )

    # -- background -------------------------------------------------------------------------
    def background(self, bg: dict) -> tuple[Image.Image | None, ClipSlot | None]:
        kind = bg["type"]
        if kind == "video":
            if self.source_clip:
                slot = ClipSlot(
                    self.source_clip,
                    bg.get("audio", "drop"),
                    bg.get("volume", 1.0),
                    self.clip_has_audio,
                )
                return None, slot
            fallback = bg.get("fallback", {"type": "color", "color": "#111318"})
            return self.background({**fallback, "vignette": bg.get("vignette", 0)})
        if kind == "image":
            path = self.file_field(bg["field"])
            if path is None:
                fallback = bg.get("fallback", {"type": "color", "color": "#111318"})
                return self.background({**fallback, "vignette": bg.get("vignette", 0)})
            image = draw.cover(draw.load_picture(path, (self.W, self.H)), self.W, self.H).convert(
                "RGB"
            )
            image = draw.dim(image, bg.get("dim", 0))
        elif kind == "gradient":
            colors = [self.color(c) for c in bg["colors"]]
            image = draw.gradient(self.W, self.H, colors, bg.get("angle", 180))
        else:
            r, g, b, _a = self.color(bg["color"], (17, 19, 24, 255))
            image = Image.new("RGB", (self.W, self.H), (r, g, b))
        return draw.vignette(image, bg.get("vignette", 0)), None

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

    def layer_video(self, layer: dict, motion: Motion) -> list[Element]:
        x, y, w, h = self.rect(layer, even=True)
        if self.source_clip:
            slot = ClipSlot(
                self.source_clip,
                layer.get("audio", "drop"),
                layer.get("volume", 1.0),
                self.clip_has_audio,
            )
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

    # -- the plan -----------------------------------------------------------------------------
    def build(self) -> Plan:
        spec = self.spec
        bg_spec = spec["background"]
        background, background_clip = self.background(bg_spec)
        zoom = None
        if "zoom" in bg_spec:
            zoom = (bg_spec["zoom"].get("from", 1.0), bg_spec["zoom"]["to"])
            if abs(zoom[1] - zoom[0]) < 1e-3:
                zoom = None
        elements: list[Element] = []
        for layer in spec["layers"]:
            if "when" in layer and not self.has_value(layer["when"]):
                continue
            motion = self.motion(layer)
            if motion is None:
                continue
            elements.extend(getattr(self, f"layer_{layer['type']}")(layer, motion))
        if background is not None and zoom is None:
            elements = self.bake(background, elements)
        elements = self.merge(elements)
        music = None
        if "music" in spec:
            path = self.file_field(spec["music"]["field"])
            if path:
                music = {
                    "path": path,
                    "volume": spec["music"].get("volume", 0.8),
                    "fade_in": spec["music"].get("fade_in", 0.5),
                    "fade_out": spec["music"].get("fade_out", 2.0),
                }
        thumb_at = resolve_time(spec.get("thumbnail_at", "33%"), self.D)
        fade_in = min(spec.get("fade_in", 0.0), self.D / 2)
        fade_out = min(spec.get("fade_out", 0.0), self.D / 2)
        return Plan(
            width=self.W,
            height=self.H,
            fps=self.fps,
            duration=self.frames / self.fps,
            frames=self.frames,
            background=background,
            background_clip=background_clip,
            background_zoom=zoom,
            elements=elements,
            fade_in=fade_in,
            fade_out=fade_out,
            music=music,
            thumbnail_frame=min(self.frames - 1, round(thumb_at * self.fps)),
        )

    def bake(self, background: Image.Image, elements: list[Element]) -> list[Element]:
        """Draw never-changing layers into the background, unless something moving is under them."""
        canvas = background.convert("RGBA")
        moving: list[tuple[int, int, int, int]] = []
        kept = []
        for element in elements:
            box = element.bbox()
            if (
                element.kind == "image"
                and self.is_static(element.motion)
                and not any(_intersects(box, m) for m in moving)
            ):
                _paste(canvas, element)
                continue
            moving.append(box)
            kept.append(element)
        background.paste(canvas.convert("RGB"))
        return kept

    def merge(self, elements: list[Element]) -> list[Element]:
        """Merge neighbouring pictures that share their timing into one (fewer ffmpeg inputs)."""
        merged: list[Element] = []
        for element in elements:
            last = merged[-1] if merged else None
            if (
                last is not None
                and element.kind == last.kind == "image"
                and element.motion == last.motion
                and element.motion.growth is None
                and not element.y_follow
                and not last.y_follow
            ):
                box_a, box_b = last.bbox(), element.bbox()
                union = (
                    min(box_a[0], box_b[0]),
                    min(box_a[1], box_b[1]),
                    max(box_a[2], box_b[2]),
                    max(box_a[3], box_b[3]),
                )
                if (
                    _area(union) <= 1.5 * (_area(box_a) + _area(box_b))
                    or _area(union) <= 0.02 * self.W * self.H
                ):
                    merged[-1] = _combine(last, element)
                    continue
            merged.append(element)
        return merged


def _paste(canvas: Image.Image, element: Element) -> None:
    """alpha_composite an element at its position, clipping what lies outside the canvas."""
    x, y = element.x, element.y
    image = element.image
    left, top = max(0, -x), max(0, -y)
    right, bottom = min(image.width, canvas.width - x), min(image.height, canvas.height - y)
    if right <= left or bottom <= top:
        return
    canvas.alpha_composite(image.crop((left, top, right, bottom)), (x + left, y + top))


def _combine(a: Element, b: Element) -> Element:
    x0, y0 = min(a.x, b.x), min(a.y, b.y)
    x1, y1 = max(a.x + a.w, b.x + b.w), max(a.y + a.h, b.y + b.h)
    canvas = Image.new("RGBA", (x1 - x0, y1 - y0), (0, 0, 0, 0))
    canvas.alpha_composite(a.image, (a.x - x0, a.y - y0))
    canvas.alpha_composite(b.image, (b.x - x0, b.y - y0))
    name = f"{a.name}+{b.name}" if a.name or b.name else ""
    return Element("image", x0, y0, x1 - x0, y1 - y0, a.motion, image=canvas, name=name)
