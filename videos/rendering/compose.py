"""From a spec and field values to a plan: one still background and timed elements.

Everything that does not change per frame is drawn once: the background here, with every layer
that is on screen the whole time baked into it (unless something moving lies underneath it), and
one small transparent picture per remaining layer (layers.py draws them; layers with the same
timing are merged here into one picture). What changes per frame – fades, slides, zooms, growing
bars, counting numbers, the creator's clip – is left to ffmpeg filters (see graph.py).
"""

from __future__ import annotations

from PIL import Image

from . import draw
from .layers import LayerDrawer
from .plan import ClipSlot, Element, Motion, Plan
from .spec_layers import SLIDES_IN, SLIDES_OUT
from .spec_values import resolve_time


def _intersects(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _area(box: tuple[int, int, int, int]) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


class Planner(LayerDrawer):
    """Times the layers, draws the background and assembles the plan from the layers' pictures."""

    # -- timing -----------------------------------------------------------------------------
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
            slot = self.clip_slot(bg)
            if slot is not None:
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
