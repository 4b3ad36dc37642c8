"""The bar chart layer: bars that grow to the numbers entered, with labels and counting values."""

from __future__ import annotations

from dataclasses import replace

from PIL import Image

from . import draw
from .errors import RenderError
from .fonts import font_for_text
from .graph import ease_out_expression
from .layers import LayerDrawer, format_number
from .plan import CountUp, Element, Motion
from .text import TextStyle, render_text


def bar_chart(drawer: LayerDrawer, layer: dict, motion: Motion) -> list[Element]:
    """Bars growing to the entered numbers (one picture each), a still picture of the labels and
    the axis, and values counting up with ffmpeg's drawtext while their bar grows."""
    raw = drawer.fields.get(layer["field"]) or []
    values = [float(v) for v in raw if isinstance(v, int | float) and not isinstance(v, bool)]
    values = [max(0.0, v) for v in values][:12]
    if not values:
        return []
    labels_text = drawer.fields.get(layer["labels_field"]) or ""
    labels = [s.strip() for s in _split_labels(str(labels_text))]
    x, y, w, h = drawer.rect(layer)
    n = len(values)
    slot = w / n
    label_size = max(6, drawer.px_h(layer.get("label_size", 0.035)))
    value_size = max(6, drawer.px_h(layer.get("value_size", 0.045)))
    label_color = drawer.color(layer.get("label_color", "#ffffff"))
    value_color = drawer.color(layer.get("value_color", "#ffffff"))
    label_style = TextStyle(
        size=label_size,
        color=label_color,
        bold=False,
        max_width=max(label_size, round(slot * 0.94)),
        max_lines=2,
        line_spacing=1.05,
    )
    rasters = [
        render_text(labels[i], label_style) if i < len(labels) and labels[i] else None
        for i in range(n)
    ]
    gap = max(2, round(label_size * 0.35))
    label_h = max((r.block[3] - r.block[1] for r in rasters if r), default=0)
    baseline = y + h - (label_h + gap if label_h else 0)
    top = y + round(value_size * 1.5)
    full = max(2, baseline - top)
    maximum = layer.get("max") or max(values) or 1.0
    colors = [drawer.color(c) for c in layer.get("colors", ["#4f8cff"])]
    bar_w = max(2, round(slot * layer.get("bar_width", 0.6)))
    radius = round(layer.get("radius", 0.08) * bar_w)
    grow = max(0.1, layer.get("grow", 1.2))
    stagger = layer.get("stagger", 0.25)
    prefix, suffix = (
        drawer.substitute(layer.get("prefix", "")),
        drawer.substitute(layer.get("suffix", "")),
    )
    axis = layer.get("axis", {})
    thickness = drawer.px_h(axis.get("thickness", 0.004))

    # labels and the axis: one still picture with the layer's own timing
    canvas = Image.new("RGBA", (w + 2, h + 2), (0, 0, 0, 0))
    if thickness > 0:
        canvas.alpha_composite(
            draw.shape_box(w, thickness, drawer.color(axis.get("color", "#ffffff"), opacity=0.6)),
            (0, baseline - y),
        )
    for i, raster in enumerate(rasters):
        if raster is None:
            continue
        cx = round(slot * (i + 0.5))
        bx0, by0, bx1, _by1 = raster.block
        canvas.alpha_composite(
            raster.image,
            (max(0, cx - (bx1 - bx0) // 2 - bx0), baseline - y + thickness + gap - by0),
        )
    elements = [drawer.element({**layer, "name": "bars/labels"}, motion, canvas, x, y)]

    fade_in = 0.3
    for i, value in enumerate(values):
        decimals = layer.get("decimals")
        if decimals is None:  # as entered, at most two
            decimals = min(2, len(format_number(value).partition(".")[2]))
        bar_start = drawer.q(motion.start + motion.in_d * 0.5 + i * stagger)
        if bar_start >= motion.end - 1 / drawer.fps:
            break
        bar_h = max(2, round(full * min(1.0, value / maximum))) if value > 0 else 0
        bx = round(x + slot * (i + 0.5) - bar_w / 2)
        grow_d = min(grow, motion.end - bar_start)
        if bar_h:
            bar = draw.shape_box(
                bar_w, bar_h + radius, colors[i % len(colors)], radius=radius
            ).crop((0, 0, bar_w, bar_h))
            bar_motion = replace(
                motion,
                start=bar_start,
                fx_in=("grow-y",),
                in_d=round(grow_d, 4),
                slide_in=(0, 0),
            )
            elements.append(
                Element(
                    "image",
                    bx,
                    baseline - bar_h,
                    bar_w,
                    bar_h,
                    bar_motion,
                    image=draw.with_opacity(bar, layer.get("opacity", 1.0)),
                    name=f"bars/{i}",
                )
            )
        ease = ease_out_expression(bar_start, grow_d)
        alpha = f"clip((t-{bar_start:.4f})/{fade_in},0,1)"
        if "fade" in motion.fx_out and motion.out_d > 0:
            alpha += f"*clip(({motion.end:.4f}-t)/{motion.out_d:.4f},0,1)"
        label = count_up(value, decimals, prefix, suffix, ease)
        text = prefix + f"{value:.{decimals}f}" + suffix
        cx = x + slot * (i + 0.5)
        y_expr = f"{baseline}-{bar_h}*{ease}-{round(value_size * 0.35)}"
        count_motion = replace(motion, start=bar_start, fx_in=(), in_d=0.0)
        font = _drawtext_font(text)
        if font is not None:
            elements.append(
                Element(
                    "count",
                    round(x + slot * i),
                    y,
                    round(slot),
                    baseline - y,
                    count_motion,
                    count=CountUp(
                        label, font, value_size, value_color, f"{cx:.1f}-tw/2", y_expr, alpha
                    ),
                    name=f"bars/value{i}",
                )
            )
        else:  # a suffix no single font file can draw: a still label riding on the bar
            raster = render_text(text, TextStyle(size=value_size, color=value_color, max_lines=1))
            if raster is None:
                continue
            bx0, by0, bx1, by1 = raster.block
            lx = round(cx - (bx1 - bx0) / 2) - bx0
            ly = baseline - bar_h - round(value_size * 0.25) - (by1 - by0) - by0
            ride = replace(count_motion, fx_in=("fade",), in_d=fade_in)
            element = drawer.element(layer, ride, raster, lx, ly)
            element.name = f"bars/value{i}"
            element.y_follow = f"{bar_h}*(1-{ease})"
            element.y_follow_max = bar_h
            elements.append(element)
    return elements


def count_up(value: float, decimals: int, prefix: str, suffix: str, ease: str) -> str:
    scale = 10**decimals
    total = round(value * scale)
    expr = f"round({total}*{ease})"
    number = f"%{{eif:trunc({expr}/{scale}):d}}" if decimals else f"%{{eif:{expr}:d}}"
    if decimals:
        number += f".%{{eif:mod({expr},{scale}):d:{decimals}}}"
    return _drawtext_escape(prefix) + number + _drawtext_escape(suffix)


def _split_labels(text: str) -> list[str]:
    separators = ["\n", ",", "，", "、", ";", "；"]
    for sep in separators[1:]:
        text = text.replace(sep, "\n")
    return text.split("\n")


def _drawtext_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%")


def _drawtext_font(text: str) -> str | None:
    """A font file drawtext can use for the text (it cannot pick a face inside a collection)."""
    try:
        path, index = font_for_text(text + "0123456789.")
    except RenderError:
        return None
    return path if index == 0 else None
