"""The seven templates every installation starts with.

Plain data in the spec format documented in ``videos/rendering/spec.py``: the data migration
loads ``STARTER_TEMPLATES`` and checks each with ``videos.rendering.validate_spec``. Each spec
declares a ``logo_safe_area`` (migration 0012 adds it to templates made before it). Layers never
carry literal words (only digits and symbols), so every visible word comes from a field the
creator can change, in any of the nine languages. Names and descriptions are translated here;
field labels are English msgids translated through the catalogs.
"""

from __future__ import annotations


def _pct(value: float) -> str:
    return f"{value:g}%"


def _text(
    name: str,
    label: str,
    default: str,
    *,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
) -> dict:
    field = {"name": name, "type": "text", "label": label, "required": required, "default": default}
    field["max_length"] = max_length
    if multiline:
        field["multiline"] = True
    return field


def _color(name: str, label: str, default: str) -> dict:
    return {"name": name, "type": "color", "label": label, "required": True, "default": default}


def _file(name: str, kind: str, label: str) -> dict:
    """An optional image, logo or audio field (files have no default)."""
    return {"name": name, "type": kind, "label": label, "required": False, "default": None}


# -- 1. Instagram Reel: product showcase (9:16, 30 s) ------------------------------------------

_SHOWCASE_END = 72  # % of the duration where the product scene hands over to the call to action

INSTAGRAM_PRODUCT_SHOWCASE = {
    "version": 1,
    "background": {
        "type": "gradient",
        "colors": [{"field": "background_color"}, "#2a1458", "#0b0a1f"],
        "angle": 160,
        "vignette": 0.25,
    },
    "fade_in": 0.3,
    "fade_out": 0.6,
    "thumbnail_at": "30%",
    # brand-kit logos stay here: below the handle and the price badge
    "logo_safe_area": {"x": 0, "y": 0.19, "w": 1, "h": 0.81},
    "layers": [
        # decorations: an accent disc bleeding off the top right, a thin frame line
        {
            "type": "shape",
            "shape": "ellipse",
            "x": 0.98,
            "y": 0.1,
            "w": 0.78,
            "h": 0.439,
            "color": {"field": "accent_color"},
            "opacity": 0.28,
        },
        {
            "type": "shape",
            "shape": "ellipse",
            "x": 0.02,
            "y": 0.93,
            "w": 0.5,
            "h": 0.281,
            "color": {"field": "accent_color"},
            "opacity": 0.14,
        },
        {
            "type": "text",
            "field": "handle",
            "x": 0.07,
            "y": 0.045,
            "anchor": "top-left",
            "size": 0.022,
            "bold": True,
            "color": "#ffffffcc",
            "max_width": 0.6,
            "max_lines": 1,
        },
        # scene 1: the product
        {
            "type": "image",
            "field": "product_image",
            "x": 0.5,
            "y": 0.33,
            "w": 0.8,
            "h": 0.42,
            "radius": 0.03,
            "placeholder": {"color": "#ffffff", "opacity": 0.12},
            "shadow": {"opacity": 0.45, "offset": 0.008, "blur": 0.012},
            "start": 0.3,
            "end": _pct(_SHOWCASE_END),
            "in": ["fade", "zoom"],
            "zoom_from": 0.85,
            "in_duration": 0.8,
            "out": ["fade"],
        },
        {
            "type": "text",
            "field": "price",
            "x": 0.86,
            "y": 0.135,
            "size": 0.04,
            "color": "#ffffff",
            "box": {
                "color": {"field": "accent_color"},
                "opacity": 1.0,
                "padding": 0.3,
                "radius": 0.5,
            },
            "max_lines": 1,
            "start": _pct(10),
            "end": _pct(_SHOWCASE_END),
            "in": ["zoom", "fade"],
            "zoom_from": 0.4,
            "in_duration": 0.5,
            "out": ["fade"],
        },
        {
            "type": "text",
            "field": "product_name",
            "x": 0.5,
            "y": 0.6,
            "size": 0.052,
            "max_width": 0.86,
            "max_lines": 2,
            "shadow": {"opacity": 0.35},
            "start": 0.8,
            "end": _pct(_SHOWCASE_END),
            "in": ["fade", "from-left"],
            "out": ["fade", "to-left"],
        },
        {
            "type": "text",
            "field": "tagline",
            "x": 0.5,
            "y": 0.665,
            "anchor": "top",
            "size": 0.028,
            "bold": False,
            "color": "#ffffffdd",
            "max_width": 0.82,
            "max_lines": 2,
            "start": 1.4,
            "end": _pct(_SHOWCASE_END),
            "in": ["fade", "from-right"],
            "out": ["fade"],
        },
        *[
            {
                "type": "text",
                "field": f"feature_{i}",
                "x": 0.5,
                "y": 0.77 + 0.062 * (i - 1),
                "size": 0.026,
                "max_width": 0.84,
                "max_lines": 1,
                "box": {"color": "#ffffff", "opacity": 0.14, "padding": 0.45, "radius": 0.9},
                "start": _pct(18 + 13 * (i - 1)),
                "end": _pct(_SHOWCASE_END),
                "in": ["fade", "from-right"],
                "out": ["fade"],
            }
            for i in (1, 2, 3)
        ],
        # scene 2: the call to action
        {
            "type": "text",
            "field": "product_name",
            "x": 0.5,
            "y": 0.3,
            "size": 0.045,
            "max_width": 0.86,
            "max_lines": 2,
            "start": _pct(_SHOWCASE_END + 1),
            "in": ["fade", "from-top"],
        },
        {
            "type": "text",
            "field": "price",
            "x": 0.5,
            "y": 0.41,
            "size": 0.11,
            "color": {"field": "accent_color"},
            "max_lines": 1,
            "shadow": {"opacity": 0.3},
            "start": _pct(_SHOWCASE_END + 2),
            "in": ["zoom", "fade"],
            "zoom_from": 0.5,
        },
        {
            "type": "text",
            "field": "cta",
            "x": 0.5,
            "y": 0.56,
            "size": 0.038,
            "max_width": 0.86,
            "max_lines": 2,
            "box": {
                "color": {"field": "accent_color"},
                "opacity": 1.0,
                "padding": 0.55,
                "radius": 1.2,
            },
            "start": _pct(_SHOWCASE_END + 5),
            "in": ["fade", "from-bottom"],
        },
        # a progress line along the bottom edge
        {
            "type": "shape",
            "shape": "rect",
            "x": 0,
            "y": 1,
            "anchor": "bottom-left",
            "w": 1.0,
            "h": 0.007,
            "color": {"field": "accent_color"},
            "in": ["grow-x"],
            "in_duration": "100%",
        },
    ],
}

INSTAGRAM_PRODUCT_SHOWCASE_FIELDS = [
    _text(
        "product_name", "Product name", "Aurora Wireless Headphones", max_length=50, required=True
    ),
    _text("tagline", "Tagline", "Sound that moves with you", max_length=80),
    _text("price", "Price", "$129", max_length=16),
    _text("feature_1", "Feature 1", "40-hour battery life", max_length=40),
    _text("feature_2", "Feature 2", "Active noise cancelling", max_length=40),
    _text("feature_3", "Feature 3", "Fast USB-C charging", max_length=40),
    _text("cta", "Call to action", "Shop now — link in bio", max_length=40, required=True),
    _text("handle", "Account handle", "@yourbrand", max_length=30),
    _file("product_image", "image", "Product photo"),
    _color("accent_color", "Accent colour", "#ff3d7f"),
    _color("background_color", "Background colour", "#3b1d8f"),
]


# -- 2. TikTok: quick tips (9:16, 60 s) --------------------------------------------------------

_TIPS_INTRO = 12.0  # % of the duration for the title
_TIP_SPAN = (100.0 - _TIPS_INTRO) / 5


def _tip_layers(i: int) -> list[dict]:
    start, end = _TIPS_INTRO + _TIP_SPAN * (i - 1), _TIPS_INTRO + _TIP_SPAN * i
    window = {"start": _pct(round(start, 2)), "end": _pct(round(end, 2)), "when": f"tip_{i}"}
    return [
        {
            "type": "shape",
            "shape": "ellipse",
            "x": 0.5,
            "y": 0.34,
            "w": 0.36,
            "h": 0.2025,
            "color": {"field": "accent_color"},
            **window,
            "in": ["zoom", "fade"],
            "zoom_from": 0.3,
            "in_duration": 0.5,
            "out": ["fade", "to-left"],
            "out_duration": 0.4,
        },
        {
            "type": "text",
            "text": str(i),
            "x": 0.5,
            "y": 0.34,
            "size": 0.11,
            "color": "#0f0f14",
            "max_lines": 1,
            **window,
            "in": ["zoom", "fade"],
            "zoom_from": 0.3,
            "in_duration": 0.5,
            "out": ["fade", "to-left"],
            "out_duration": 0.4,
        },
        {
            "type": "text",
            "text": f"{i} / 5",
            "x": 0.92,
            "y": 0.085,
            "anchor": "right",
            "size": 0.024,
            "color": "#ffffff99",
            "max_lines": 1,
            **window,
            "in": ["fade"],
            "out": ["fade"],
            "out_duration": 0.4,
        },
        {
            "type": "text",
            "field": f"tip_{i}",
            "x": 0.5,
            "y": 0.5,
            "anchor": "top",
            "size": 0.05,
            "max_width": 0.84,
            "max_lines": 5,
            "shadow": {"opacity": 0.4},
            "start": _pct(round(start, 2)),
            "end": _pct(round(end, 2)),
            "in": ["fade", "from-bottom"],
            "in_duration": 0.7,
            "slide_distance": 0.04,
            "out": ["fade", "to-left"],
            "out_duration": 0.4,
        },
        {
            "type": "shape",
            "shape": "rect",
            "x": 0.5,
            "y": 0.47,
            "w": 0.16,
            "h": 0.005,
            "radius": 0.0025,
            "color": {"field": "highlight_color"},
            **window,
            "in": ["grow-x"],
            "in_duration": 0.8,
            "out": ["fade"],
            "out_duration": 0.4,
        },
    ]


TIKTOK_QUICK_TIPS = {
    "version": 1,
    "background": {"type": "color", "color": {"field": "background_color"}},
    "fade_in": 0.2,
    "fade_out": 0.6,
    "thumbnail_at": "4%",
    # brand-kit logos stay here: between the header (small title, tip counter) and the handle
    "logo_safe_area": {"x": 0, "y": 0.12, "w": 1, "h": 0.81},
    "layers": [
        {
            "type": "shape",
            "shape": "rect",
            "x": 0,
            "y": 0,
            "anchor": "top-left",
            "w": 1.0,
            "h": 0.006,
            "color": "#ffffff22",
        },
        {
            "type": "shape",
            "shape": "rect",
            "x": 0.5,
            "y": 0.94,
            "w": 0.9,
            "h": 0.0015,
            "color": "#ffffff33",
        },
        {
            "type": "text",
            "field": "handle",
            "x": 0.5,
            "y": 0.965,
            "size": 0.022,
            "color": "#ffffffaa",
            "bold": False,
            "max_lines": 1,
        },
        # the title card
        {
            "type": "shape",
            "shape": "rect",
            "x": 0.5,
            "y": 0.33,
            "w": 0.3,
            "h": 0.012,
            "radius": 0.006,
            "color": {"field": "highlight_color"},
            "start": 0.3,
            "end": _pct(_TIPS_INTRO),
            "in": ["grow-x"],
            "in_duration": 0.6,
            "out": ["fade"],
            "out_duration": 0.4,
        },
        {
            "type": "text",
            "field": "title",
            "x": 0.5,
            "y": 0.37,
            "anchor": "top",
            "size": 0.068,
            "max_width": 0.86,
            "max_lines": 5,
            "shadow": {"opacity": 0.4},
            "start": 0,
            "end": _pct(_TIPS_INTRO),
            "in": ["fade", "zoom"],
            "zoom_from": 0.8,
            "in_duration": 0.7,
            "out": ["fade", "to-top"],
            "out_duration": 0.4,
        },
        # the title stays on top, small, while the tips run
        {
            "type": "text",
            "field": "title",
            "x": 0.08,
            "y": 0.085,
            "anchor": "left",
            "size": 0.024,
            "color": {"field": "accent_color"},
            "max_width": 0.68,
            "max_lines": 1,
            "align": "left",
            "start": _pct(_TIPS_INTRO),
            "in": ["fade", "from-top"],
        },
        *[layer for i in range(1, 6) for layer in _tip_layers(i)],
        # progress through the tips
        {
            "type": "shape",
            "shape": "rect",
            "x": 0,
            "y": 0,
            "anchor": "top-left",
            "w": 1.0,
            "h": 0.006,
            "color": {"field": "accent_color"},
            "in": ["grow-x"],
            "in_duration": "100%",
        },
    ],
}

TIKTOK_QUICK_TIPS_FIELDS = [
    _text("title", "Title", "5 quick tips for better phone videos", max_length=70, required=True),
    _text("tip_1", "Tip 1", "Hook viewers in the first two seconds", max_length=90, required=True),
    _text("tip_2", "Tip 2", "Film facing a window for soft, natural light", max_length=90),
    _text("tip_3", "Tip 3", "Keep every shot under three seconds", max_length=90),
    _text("tip_4", "Tip 4", "Add captions — most people watch with the sound off", max_length=90),
    _text("tip_5", "Tip 5", "End with one clear call to action", max_length=90),
    _text("handle", "Account handle", "@yourhandle", max_length=30),
    _color("accent_color", "Accent colour", "#25f4ee"),
    _color("highlight_color", "Highlight colour", "#fe2c55"),
    _color("background_color", "Background colour", "#101014"),
]


# -- 3. YouTube Short: quote (9:16, 15 s) ------------------------------------------------------

YOUTUBE_QUOTE = {
    "version": 1,
    "background": {"type": "color", "color": {"field": "background_color"}},
    "fade_in": 0.8,
    "fade_out": 1.0,
    "thumbnail_at": "60%",
    # brand-kit logos stay here: above the channel name
    "logo_safe_area": {"x": 0, "y": 0, "w": 1, "h": 0.87},
    "layers": [
        {
            "type": "shape",
            "shape": "rect",
            "x": 0.5,
            "y": 0.5,
            "w": 0.88,
            "h": 0.92,
            "outline": 0.0012,
            "color": {"field": "accent_color"},
            "opacity": 0.55,
        },
        {
            "type": "text",
            "text": "“",
            "x": 0.5,
            "y": 0.27,
            "size": 0.17,
            "serif": True,
            "color": {"field": "accent_color"},
            "start": 0.2,
            "in": ["fade"],
            "in_duration": 1.2,
        },
        {
            "type": "text",
            "field": "quote",
            "x": 0.5,
            "y": 0.47,
            "size": 0.046,
            "serif": True,
            "bold": False,
            "max_width": 0.76,
            "max_lines": 8,
            "line_spacing": 1.3,
            "color": {"field": "text_color"},
            "start": 0.8,
            "in": ["fade", "from-bottom"],
            "in_duration": 1.6,
            "slide_distance": 0.015,
        },
        {
            "type": "shape",
            "shape": "line",
            "x": 0.42,
            "y": 0.68,
            "x2": 0.58,
            "y2": 0.68,
            "thickness": 0.0018,
            "color": {"field": "accent_color"},
            "start": _pct(22),
            "in": ["grow-x"],
            "in_duration": 1.0,
        },
        {
            "type": "text",
            "field": "author",
            "x": 0.5,
            "y": 0.715,
            "size": 0.026,
            "serif": False,
            "bold": True,
            "uppercase": True,
            "max_width": 0.7,
            "max_lines": 2,
            "color": {"field": "accent_color"},
            "start": _pct(28),
            "in": ["fade"],
            "in_duration": 1.2,
        },
        {
            "type": "text",
            "field": "channel",
            "x": 0.5,
            "y": 0.9,
            "size": 0.02,
            "bold": False,
            "max_lines": 1,
            "color": {"field": "text_color"},
            "opacity": 0.6,
            "start": _pct(40),
            "in": ["fade"],
            "in_duration": 1.0,
        },
    ],
}

YOUTUBE_QUOTE_FIELDS = [
    _text(
        "quote",
        "Quote",
        "The best way to predict the future is to create it.",
        max_length=180,
        required=True,
        multiline=True,
    ),
    _text("author", "Author", "Peter Drucker", max_length=60),
    _text("channel", "Channel name", "@yourchannel", max_length=40),
    _color("background_color", "Background colour", "#f4efe6"),
    _color("text_color", "Text colour", "#23201c"),
    _color("accent_color", "Accent colour", "#a47e3b"),
]


# -- 4. Educational explainer (16:9, 120 s) ----------------------------------------------------

_STEP_X = (0.155, 0.385, 0.615, 0.845)
_STEP_START = (11.0, 29.0, 47.0, 65.0)  # % of the duration
_DIAGRAM_END = 86.0


def _step_layers(i: int) -> list[dict]:
    x, start = _STEP_X[i - 1], _STEP_START[i - 1]
    next_start = _STEP_START[i] if i < 4 else _DIAGRAM_END
    node = {"start": _pct(start), "end": _pct(_DIAGRAM_END), "out": ["fade"], "out_duration": 0.8}
    layers = []
    if i > 1:
        layers.append(
            {
                "type": "shape",
                "shape": "arrow",
                "x": _STEP_X[i - 2] + 0.095,
                "y": 0.4,
                "x2": x - 0.095,
                "y2": 0.4,
                "thickness": 0.008,
                "color": {"field": "accent_color"},
                "start": _pct(start - 1.5),
                "end": _pct(_DIAGRAM_END),
                "in": ["grow-x"],
                "in_duration": 1.0,
                "out": ["fade"],
                "out_duration": 0.8,
            }
        )
    layers += [
        # the highlight behind the step being explained
        {
            "type": "shape",
            "shape": "rect",
            "x": x,
            "y": 0.4,
            "w": 0.19,
            "h": 0.36,
            "radius": 0.035,
            "color": {"field": "accent_color"},
            "opacity": 0.16,
            "start": _pct(start),
            "end": _pct(next_start),
            "in": ["fade"],
            "out": ["fade"],
        },
        {
            "type": "shape",
            "shape": "rect",
            "x": x,
            "y": 0.4,
            "w": 0.17,
            "h": 0.32,
            "radius": 0.03,
            "color": "#ffffff",
            **node,
            "in": ["zoom", "fade"],
            "zoom_from": 0.7,
            "in_duration": 0.7,
        },
        {
            "type": "shape",
            "shape": "ellipse",
            "x": x,
            "y": 0.32,
            "w": 0.0703,
            "h": 0.125,
            "color": {"field": "accent_color"},
            **node,
            "in": ["zoom", "fade"],
            "zoom_from": 0.3,
            "in_duration": 0.7,
        },
        {
            "type": "text",
            "text": str(i),
            "x": x,
            "y": 0.32,
            "size": 0.06,
            "color": "#ffffff",
            "max_lines": 1,
            **node,
            "in": ["zoom", "fade"],
            "zoom_from": 0.3,
            "in_duration": 0.7,
        },
        {
            "type": "text",
            "field": f"step_{i}",
            "x": x,
            "y": 0.47,
            "size": 0.036,
            "color": {"field": "text_color"},
            "max_width": 0.155,
            "max_lines": 3,
            **node,
            "in": ["fade", "from-bottom"],
            "slide_distance": 0.03,
        },
        {
            "type": "text",
            "field": f"detail_{i}",
            "x": 0.5,
            "y": 0.76,
            "size": 0.042,
            "bold": False,
            "color": {"field": "text_color"},
            "max_width": 0.8,
            "max_lines": 2,
            "start": _pct(start + 1),
            "end": _pct(next_start),
            "in": ["fade", "from-bottom"],
            "slide_distance": 0.03,
            "out": ["fade"],
            "out_duration": 0.4,
        },
    ]
    return layers


EDUCATIONAL_EXPLAINER = {
    "version": 1,
    "background": {
        "type": "gradient",
        "colors": [{"field": "background_color"}, "#e6ecf5"],
        "angle": 180,
    },
    "fade_in": 0.5,
    "fade_out": 1.0,
    "thumbnail_at": "40%",
    # brand-kit logos stay here: between the diagram's title and the footer bar
    "logo_safe_area": {"x": 0, "y": 0.16, "w": 1, "h": 0.74},
    "layers": [
        # a quiet dotted frame of the "whiteboard"
        {
            "type": "shape",
            "shape": "rect",
            "x": 0.5,
            "y": 0.955,
            "w": 1.0,
            "h": 0.09,
            "color": {"field": "accent_color"},
            "opacity": 0.08,
        },
        {
            "type": "text",
            "field": "title",
            "x": 0.04,
            "y": 0.955,
            "anchor": "left",
            "size": 0.03,
            "color": {"field": "text_color"},
            "align": "left",
            "max_width": 0.6,
            "max_lines": 1,
            "start": _pct(10),
            "in": ["fade"],
        },
        # title card
        {
            "type": "text",
            "field": "title",
            "x": 0.5,
            "y": 0.42,
            "size": 0.085,
            "color": {"field": "text_color"},
            "max_width": 0.8,
            "max_lines": 2,
            "start": 0.3,
            "end": _pct(10),
            "in": ["fade", "from-bottom"],
            "slide_distance": 0.04,
            "out": ["fade"],
        },
        {
            "type": "shape",
            "shape": "rect",
            "x": 0.5,
            "y": 0.58,
            "w": 0.12,
            "h": 0.012,
            "radius": 0.006,
            "color": {"field": "accent_color"},
            "start": 1.0,
            "end": _pct(10),
            "in": ["grow-x"],
            "out": ["fade"],
        },
        {
            "type": "text",
            "field": "subtitle",
            "x": 0.5,
            "y": 0.66,
            "size": 0.045,
            "bold": False,
            "color": {"field": "text_color"},
            "max_width": 0.8,
            "max_lines": 2,
            "start": 1.4,
            "end": _pct(10),
            "in": ["fade"],
            "out": ["fade"],
        },
        # the diagram
        {
            "type": "text",
            "field": "diagram_title",
            "x": 0.06,
            "y": 0.1,
            "anchor": "left",
            "size": 0.048,
            "align": "left",
            "color": {"field": "text_color"},
            "max_width": 0.88,
            "max_lines": 1,
            "start": _pct(10.5),
            "end": _pct(_DIAGRAM_END),
            "in": ["fade", "from-left"],
            "out": ["fade"],
        },
        *[layer for i in (1, 2, 3, 4) for layer in _step_layers(i)],
        # the summary
        {
            "type": "shape",
            "shape": "ellipse",
            "x": 0.5,
            "y": 0.44,
            "w": 0.3375,
            "h": 0.6,
            "color": {"field": "accent_color"},
            "opacity": 0.12,
            "start": _pct(_DIAGRAM_END + 1),
            "in": ["zoom", "fade"],
            "zoom_from": 0.5,
            "in_duration": 1.0,
        },
        {
            "type": "text",
            "field": "summary",
            "x": 0.5,
            "y": 0.44,
            "size": 0.07,
            "color": {"field": "text_color"},
            "max_width": 0.8,
            "max_lines": 3,
            "start": _pct(_DIAGRAM_END + 1.5),
            "in": ["zoom", "fade"],
            "zoom_from": 0.8,
            "in_duration": 0.8,
        },
    ],
}

EDUCATIONAL_EXPLAINER_FIELDS = [
    _text("title", "Title", "How solar power reaches your home", max_length=70, required=True),
    _text("subtitle", "Subtitle", "A two-minute explainer", max_length=80),
    _text(
        "diagram_title", "Diagram heading", "From sunlight to socket in four steps", max_length=70
    ),
    _text("step_1", "Step 1", "Sunlight", max_length=30, required=True),
    _text("detail_1", "Step 1 explanation", "Sunlight falls on panels on the roof", max_length=110),
    _text("step_2", "Step 2", "Solar panels", max_length=30, required=True),
    _text(
        "detail_2",
        "Step 2 explanation",
        "Solar cells turn light into direct current (DC)",
        max_length=110,
    ),
    _text("step_3", "Step 3", "Inverter", max_length=30, required=True),
    _text(
        "detail_3",
        "Step 3 explanation",
        "The inverter converts DC into household alternating current",
        max_length=110,
    ),
    _text("step_4", "Step 4", "Your home", max_length=30, required=True),
    _text(
        "detail_4",
        "Step 4 explanation",
        "Your appliances use it — and the surplus goes to the grid",
        max_length=110,
    ),
    _text("summary", "Summary", "Clean energy, from the sky to your socket", max_length=90),
    _color("accent_color", "Accent colour", "#2f80ed"),
    _color("text_color", "Text colour", "#1b2a41"),
    _color("background_color", "Background colour", "#f8fafd"),
]


# -- 5. Animated statistics (16:9, 45 s) -------------------------------------------------------

ANIMATED_STATISTICS = {
    "version": 1,
    "background": {
        "type": "gradient",
        "colors": [{"field": "background_color"}, "#070b1a"],
        "angle": 200,
        "vignette": 0.2,
    },
    "fade_in": 0.4,
    "fade_out": 0.8,
    "thumbnail_at": "45%",
    # brand-kit logos stay here: below the title and subtitle, above the source
    "logo_safe_area": {"x": 0, "y": 0.24, "w": 1, "h": 0.69},
    "layers": [
        {
            "type": "shape",
            "shape": "rect",
            "x": 0.06,
            "y": 0.085,
            "anchor": "top-left",
            "w": 0.006,
            "h": 0.13,
            "color": {"field": "accent_color"},
            "start": 0.2,
            "in": ["grow-y"],
        },
        {
            "type": "text",
            "field": "title",
            "x": 0.08,
            "y": 0.08,
            "anchor": "top-left",
            "size": 0.062,
            "align": "left",
            "max_width": 0.86,
            "max_lines": 1,
            "start": 0.3,
            "in": ["fade", "from-left"],
            "slide_distance": 0.04,
        },
        {
            "type": "text",
            "field": "subtitle",
            "x": 0.08,
            "y": 0.175,
            "anchor": "top-left",
            "size": 0.034,
            "bold": False,
            "align": "left",
            "color": "#ffffffb3",
            "max_width": 0.86,
            "max_lines": 1,
            "start": 0.8,
            "in": ["fade", "from-left"],
            "slide_distance": 0.04,
        },
        {
            "type": "bars",
            "field": "values",
            "labels_field": "labels",
            "x": 0.06,
            "y": 0.3,
            "anchor": "top-left",
            "w": 0.56,
            "h": 0.6,
            "colors": [{"field": "bar_color"}],
            "suffix": "{unit}",
            "label_size": 0.034,
            "value_size": 0.042,
            "label_color": "#ffffffcc",
            "bar_width": 0.58,
            "radius": 0.08,
            "grow": 1.6,
            "stagger": 0.35,
            "axis": {"color": "#ffffff", "thickness": 0.003},
            "start": 1.5,
            "in": ["fade"],
        },
        # the take-away
        {
            "type": "shape",
            "shape": "rect",
            "x": 0.82,
            "y": 0.58,
            "w": 0.3,
            "h": 0.5,
            "radius": 0.03,
            "color": "#ffffff",
            "opacity": 0.07,
            "start": _pct(30),
            "in": ["fade", "from-right"],
            "slide_distance": 0.05,
        },
        {
            "type": "shape",
            "shape": "rect",
            "x": 0.695,
            "y": 0.38,
            "anchor": "left",
            "w": 0.05,
            "h": 0.008,
            "color": {"field": "accent_color"},
            "start": _pct(31),
            "in": ["grow-x"],
        },
        {
            "type": "text",
            "field": "insight",
            "x": 0.695,
            "y": 0.42,
            "anchor": "top-left",
            "size": 0.045,
            "align": "left",
            "max_width": 0.25,
            "max_lines": 6,
            "start": _pct(32),
            "in": ["fade", "from-right"],
            "slide_distance": 0.05,
        },
        {
            "type": "text",
            "field": "source",
            "x": 0.94,
            "y": 0.955,
            "anchor": "right",
            "size": 0.022,
            "bold": False,
            "align": "right",
            "color": "#ffffff80",
            "max_width": 0.6,
            "max_lines": 1,
        },
    ],
}

ANIMATED_STATISTICS_FIELDS = [
    _text("title", "Title", "Our year in numbers", max_length=60, required=True),
    _text("subtitle", "Subtitle", "Customer satisfaction by quarter", max_length=80),
    {
        "name": "values",
        "type": "numbers",
        "label": "Numbers",
        "required": True,
        "default": [62, 71, 78, 91],
        "min": 0,
        "max": 1_000_000_000,
        "max_items": 8,
    },
    _text(
        "labels", "Labels (separated by commas)", "Q1, Q2, Q3, Q4", max_length=160, required=True
    ),
    _text("unit", "Unit after each number", "%", max_length=8),
    _text("insight", "Key insight", "Up 29 points since January", max_length=90),
    _text("source", "Source", "Source: customer survey, 2025", max_length=80),
    _color("bar_color", "Bar colour", "#35d0ba"),
    _color("accent_color", "Accent colour", "#ffc857"),
    _color("background_color", "Background colour", "#16224a"),
]


# -- 6. Product demo in 60 seconds (16:9, 60 s, pro) -------------------------------------------

_DEMO_MAIN, _DEMO_OUTRO = 9.0, 84.0

PRODUCT_DEMO_60 = {
    "version": 1,
    "background": {
        "type": "gradient",
        "colors": ["#ffffff", {"field": "background_color"}],
        "angle": 160,
    },
    "fade_in": 0.3,
    "fade_out": 0.8,
    "thumbnail_at": "35%",
    # brand-kit logos stay here: right of the text column (name, headline, features)
    "logo_safe_area": {"x": 0.36, "y": 0, "w": 0.64, "h": 1},
    "layers": [
        {
            "type": "shape",
            "shape": "rect",
            "x": 0,
            "y": 0,
            "anchor": "top-left",
            "w": 1.0,
            "h": 0.012,
            "color": {"field": "accent_color"},
        },
        # intro
        {
            "type": "logo",
            "field": "logo",
            "x": 0.5,
            "y": 0.24,
            "w": 0.2,
            "h": 0.12,
            "start": 0.2,
            "end": _pct(_DEMO_MAIN),
            "in": ["fade"],
            "out": ["fade"],
        },
        {
            "type": "text",
            "field": "product_name",
            "x": 0.5,
            "y": 0.44,
            "size": 0.11,
            "color": {"field": "text_color"},
            "max_width": 0.84,
            "max_lines": 1,
            "start": 0.3,
            "end": _pct(_DEMO_MAIN),
            "in": ["fade", "zoom"],
            "zoom_from": 0.85,
            "out": ["fade"],
        },
        {
            "type": "text",
            "field": "headline",
            "x": 0.5,
            "y": 0.6,
            "size": 0.048,
            "bold": False,
            "color": {"field": "text_color"},
            "max_width": 0.8,
            "max_lines": 2,
            "start": 1.0,
            "end": _pct(_DEMO_MAIN),
            "in": ["fade", "from-bottom"],
            "out": ["fade"],
        },
        # the demo: the clip (or the screenshot) in a device frame, features on the left
        {
            "type": "shape",
            "shape": "rect",
            "x": 0.665,
            "y": 0.52,
            "w": 0.605,
            "h": 0.62,
            "radius": 0.03,
            "color": "#1d2030",
            "start": _pct(_DEMO_MAIN),
            "end": _pct(_DEMO_OUTRO),
            "in": ["fade", "from-right"],
            "slide_distance": 0.05,
            "out": ["fade"],
        },
        {
            "type": "video",
            "x": 0.665,
            "y": 0.52,
            "w": 0.57,
            "h": 0.57,
            "fallback_field": "screenshot",
            "placeholder": {"color": "#ffffff", "opacity": 0.1},
            "audio": "mix",
            "volume": 1.0,
            "start": _pct(_DEMO_MAIN),
            "end": _pct(_DEMO_OUTRO),
            "in": ["fade", "from-right"],
            "slide_distance": 0.05,
            "out": ["fade"],
        },
        {
            "type": "text",
            "field": "product_name",
            "x": 0.05,
            "y": 0.17,
            "anchor": "left",
            "size": 0.06,
            "align": "left",
            "color": {"field": "text_color"},
            "max_width": 0.3,
            "max_lines": 1,
            "start": _pct(_DEMO_MAIN + 0.5),
            "end": _pct(_DEMO_OUTRO),
            "in": ["fade", "from-left"],
            "out": ["fade"],
        },
        {
            "type": "text",
            "field": "headline",
            "x": 0.05,
            "y": 0.23,
            "anchor": "top-left",
            "size": 0.032,
            "bold": False,
            "align": "left",
            "color": {"field": "text_color"},
            "opacity": 0.75,
            "max_width": 0.3,
            "max_lines": 3,
            "start": _pct(_DEMO_MAIN + 1),
            "end": _pct(_DEMO_OUTRO),
            "in": ["fade", "from-left"],
            "out": ["fade"],
        },
        *[
            layer
            for i, start in ((1, 22.0), (2, 42.0), (3, 62.0))
            for layer in (
                {
                    "type": "shape",
                    "shape": "ellipse",
                    "x": 0.07,
                    "y": 0.44 + 0.14 * (i - 1),
                    "w": 0.045,
                    "h": 0.08,
                    "color": {"field": "accent_color"},
                    "when": f"feature_{i}",
                    "start": _pct(start),
                    "end": _pct(_DEMO_OUTRO),
                    "in": ["zoom", "fade"],
                    "zoom_from": 0.3,
                    "out": ["fade"],
                },
                {
                    "type": "text",
                    "text": str(i),
                    "x": 0.07,
                    "y": 0.44 + 0.14 * (i - 1),
                    "size": 0.04,
                    "color": "#ffffff",
                    "max_lines": 1,
                    "when": f"feature_{i}",
                    "start": _pct(start),
                    "end": _pct(_DEMO_OUTRO),
                    "in": ["zoom", "fade"],
                    "zoom_from": 0.3,
                    "out": ["fade"],
                },
                {
                    "type": "text",
                    "field": f"feature_{i}",
                    "x": 0.105,
                    "y": 0.44 + 0.14 * (i - 1),
                    "anchor": "left",
                    "size": 0.034,
                    "align": "left",
                    "color": {"field": "text_color"},
                    "max_width": 0.245,
                    "max_lines": 2,
                    "start": _pct(start + 0.5),
                    "end": _pct(_DEMO_OUTRO),
                    "in": ["fade", "from-left"],
                    "slide_distance": 0.03,
                    "out": ["fade"],
                },
            )
        ],
        # outro
        {
            "type": "logo",
            "field": "logo",
            "x": 0.5,
            "y": 0.22,
            "w": 0.18,
            "h": 0.11,
            "start": _pct(_DEMO_OUTRO + 1),
            "in": ["fade"],
        },
        {
            "type": "text",
            "field": "cta",
            "x": 0.5,
            "y": 0.47,
            "size": 0.065,
            "color": "#ffffff",
            "max_width": 0.8,
            "max_lines": 2,
            "box": {
                "color": {"field": "accent_color"},
                "opacity": 1.0,
                "padding": 0.5,
                "radius": 0.4,
            },
            "start": _pct(_DEMO_OUTRO + 1),
            "in": ["zoom", "fade"],
            "zoom_from": 0.8,
        },
        {
            "type": "text",
            "field": "website",
            "x": 0.5,
            "y": 0.65,
            "size": 0.042,
            "bold": False,
            "color": {"field": "text_color"},
            "max_width": 0.8,
            "max_lines": 1,
            "start": _pct(_DEMO_OUTRO + 3),
            "in": ["fade", "from-bottom"],
        },
    ],
}

PRODUCT_DEMO_60_FIELDS = [
    _text("product_name", "Product name", "Flowboard", max_length=30, required=True),
    _text("headline", "Headline", "Plan your team's week in minutes", max_length=80, required=True),
    _text("feature_1", "Feature 1", "Drag-and-drop planning", max_length=50),
    _text("feature_2", "Feature 2", "Real-time sync across your team", max_length=50),
    _text("feature_3", "Feature 3", "Smart reminders before deadlines", max_length=50),
    _text("cta", "Call to action", "Start your free trial", max_length=40, required=True),
    _text("website", "Website", "flowboard.app", max_length=60),
    _file("screenshot", "image", "Screenshot (shown when there is no clip)"),
    _file("logo", "logo", "Logo"),
    _color("accent_color", "Accent colour", "#5b5bd6"),
    _color("text_color", "Text colour", "#161a2b"),
    _color("background_color", "Background colour", "#e9edf7"),
]


# -- 7. Brand story (16:9, 90 s, pro) ----------------------------------------------------------

_CHAPTERS = ((16.0, 37.0), (38.0, 59.0), (60.0, 81.0))


BRAND_STORY = {
    "version": 1,
    "background": {
        "type": "image",
        "field": "background_image",
        "dim": 0.45,
        "fallback": {
            "type": "gradient",
            "colors": [{"field": "color_1"}, "#1b2f38", {"field": "color_2"}],
            "angle": 135,
        },
        "vignette": 0.55,
        "zoom": {"from": 1.0, "to": 1.12},
    },
    "fade_in": 1.5,
    "fade_out": 2.0,
    "thumbnail_at": "8%",
    # brand-kit logos stay here: the whole frame: the text is centred, the corners are free
    "logo_safe_area": {"x": 0, "y": 0, "w": 1, "h": 1},
    "music": {"field": "music", "volume": 0.8, "fade_in": 1.0, "fade_out": 3.0},
    "layers": [
        # letterbox bars
        {
            "type": "shape",
            "shape": "rect",
            "x": 0,
            "y": 0,
            "anchor": "top-left",
            "w": 1.0,
            "h": 0.085,
            "color": "#000000",
        },
        {
            "type": "shape",
            "shape": "rect",
            "x": 0,
            "y": 1,
            "anchor": "bottom-left",
            "w": 1.0,
            "h": 0.085,
            "color": "#000000",
        },
        # opening
        {
            "type": "logo",
            "field": "logo",
            "x": 0.5,
            "y": 0.27,
            "w": 0.16,
            "h": 0.13,
            "start": 0.8,
            "end": _pct(14),
            "in": ["fade"],
            "in_duration": 1.5,
            "out": ["fade"],
            "out_duration": 1.2,
        },
        {
            "type": "text",
            "field": "brand_name",
            "x": 0.5,
            "y": 0.47,
            "size": 0.11,
            "serif": True,
            "color": {"field": "text_color"},
            "max_width": 0.8,
            "max_lines": 1,
            "shadow": {"opacity": 0.5, "blur": 0.012},
            "start": 1.0,
            "end": _pct(14),
            "in": ["fade", "zoom"],
            "zoom_from": 0.92,
            "in_duration": 2.5,
            "out": ["fade"],
            "out_duration": 1.2,
        },
        {
            "type": "shape",
            "shape": "line",
            "x": 0.44,
            "y": 0.57,
            "x2": 0.56,
            "y2": 0.57,
            "thickness": 0.002,
            "color": {"field": "text_color"},
            "opacity": 0.7,
            "start": 2.5,
            "end": _pct(14),
            "in": ["grow-x"],
            "in_duration": 1.5,
            "out": ["fade"],
            "out_duration": 1.2,
        },
        {
            "type": "text",
            "field": "tagline",
            "x": 0.5,
            "y": 0.64,
            "size": 0.038,
            "serif": True,
            "bold": False,
            "color": {"field": "text_color"},
            "max_width": 0.7,
            "max_lines": 2,
            "shadow": {"opacity": 0.5, "blur": 0.01},
            "start": 3.0,
            "end": _pct(14),
            "in": ["fade"],
            "in_duration": 1.8,
            "out": ["fade"],
            "out_duration": 1.2,
        },
        # three chapters
        *[
            {
                "type": "text",
                "field": f"chapter_{i}",
                "x": 0.5,
                "y": 0.5,
                "size": 0.058,
                "serif": True,
                "bold": False,
                "color": {"field": "text_color"},
                "max_width": 0.72,
                "max_lines": 4,
                "line_spacing": 1.3,
                "shadow": {"opacity": 0.55, "blur": 0.012},
                "start": _pct(start),
                "end": _pct(end),
                "in": ["fade", "from-bottom"],
                "slide_distance": 0.02,
                "in_duration": 1.8,
                "out": ["fade"],
                "out_duration": 1.4,
            }
            for i, (start, end) in enumerate(_CHAPTERS, start=1)
        ],
        *[
            {
                "type": "text",
                "text": f"0{i}",
                "x": 0.5,
                "y": 0.27,
                "size": 0.03,
                "color": {"field": "text_color"},
                "opacity": 0.6,
                "max_lines": 1,
                "start": _pct(start),
                "end": _pct(end),
                "in": ["fade"],
                "in_duration": 1.8,
                "out": ["fade"],
                "out_duration": 1.4,
            }
            for i, (start, end) in enumerate(_CHAPTERS, start=1)
        ],
        # closing
        {
            "type": "text",
            "field": "closing",
            "x": 0.5,
            "y": 0.36,
            "size": 0.06,
            "serif": True,
            "bold": False,
            "color": {"field": "text_color"},
            "max_width": 0.75,
            "max_lines": 2,
            "shadow": {"opacity": 0.5, "blur": 0.012},
            "start": _pct(82),
            "in": ["fade"],
            "in_duration": 2.0,
        },
        {
            "type": "logo",
            "field": "logo",
            "x": 0.5,
            "y": 0.58,
            "w": 0.12,
            "h": 0.1,
            "start": _pct(86),
            "in": ["fade"],
            "in_duration": 1.5,
        },
        {
            "type": "text",
            "field": "brand_name",
            "x": 0.5,
            "y": 0.72,
            "size": 0.05,
            "serif": True,
            "color": {"field": "text_color"},
            "max_width": 0.7,
            "max_lines": 1,
            "start": _pct(87),
            "in": ["fade", "zoom"],
            "zoom_from": 0.9,
            "in_duration": 1.8,
        },
    ],
}

BRAND_STORY_FIELDS = [
    _text("brand_name", "Brand name", "Northwind", max_length=40, required=True),
    _text("tagline", "Tagline", "Crafted with care since 1998", max_length=80),
    _text(
        "chapter_1",
        "Chapter 1",
        "It started in a small workshop by the sea.",
        max_length=140,
        multiline=True,
    ),
    _text(
        "chapter_2",
        "Chapter 2",
        "Every piece is still shaped by hand, one at a time.",
        max_length=140,
        multiline=True,
    ),
    _text(
        "chapter_3",
        "Chapter 3",
        "Today, makers in forty countries build with our tools.",
        max_length=140,
        multiline=True,
    ),
    _text("closing", "Closing line", "Made to last. Made for you.", max_length=80, required=True),
    _file("logo", "logo", "Logo"),
    _file("background_image", "image", "Background photo"),
    _file("music", "audio", "Music"),
    _color("color_1", "First gradient colour", "#0f2027"),
    _color("color_2", "Second gradient colour", "#3a6073"),
    _color("text_color", "Text colour", "#f5efe4"),
]


# -- the library -------------------------------------------------------------------------------

STARTER_TEMPLATES: list[dict] = [
    {
        "key": "instagram-product-showcase",
        "category": "social",
        "tags": ["instagram", "product", "reel"],
        "tier": "free",
        "duration": 30,
        "min_duration": 15,
        "max_duration": 60,
        "aspect_ratio": "9:16",
        "spec": INSTAGRAM_PRODUCT_SHOWCASE,
        "fields": INSTAGRAM_PRODUCT_SHOWCASE_FIELDS,
        "name": {
            "en": "Instagram Reel: product showcase",
            "es": "Reel de Instagram: escaparate de producto",
            "fr": "Reel Instagram : vitrine produit",
            "de": "Instagram-Reel: Produktpräsentation",
            "pt": "Reel do Instagram: vitrine de produto",
            "ja": "Instagramリール：商品紹介",
            "ko": "인스타그램 릴스: 제품 쇼케이스",
            "zh_hans": "Instagram Reels：产品展示",
            "hi": "इंस्टाग्राम रील: उत्पाद शोकेस",
        },
        "description": {
            "en": (
                "A modern, fast-moving vertical reel: your product photo, price badge, three "
                "features and a call to action."
            ),
            "es": (
                "Un reel vertical moderno y dinámico: la foto de tu producto, el precio, tres "
                "características y una llamada a la acción."
            ),
            "fr": (
                "Un reel vertical moderne et rythmé : la photo de votre produit, son prix, trois "
                "atouts et un appel à l'action."
            ),
            "de": (
                "Ein modernes, dynamisches Hochformat-Reel: dein Produktfoto, ein Preisschild, "
                "drei Vorteile und ein Aufruf zum Handeln."
            ),
            "pt": (
                "Um reel vertical moderno e dinâmico: a foto do seu produto, o preço, três "
                "destaques e uma chamada para ação."
            ),
            "ja": (
                "テンポのよいモダンな縦型リール。商品写真、価格バッジ、3つの特長、行動を促すメッセ"
                "ージで構成します。"
            ),
            "ko": (
                "현대적이고 역동적인 세로형 릴스: 제품 사진, 가격 배지, 세 가지 특징과 행동 유도 "
                "문구를 담습니다."
            ),
            "zh_hans": "现代动感的竖屏短片：产品照片、价格标签、三大卖点和行动号召。",
            "hi": (
                "एक आधुनिक, तेज़ वर्टिकल रील: आपके उत्पाद की फ़ोटो, कीमत का बैज, तीन ख़ूबियाँ और "
                "कार्रवाई के लिए संदेश।"
            ),
        },
    },
    {
        "key": "tiktok-quick-tips",
        "category": "education",
        "tags": ["tiktok", "tips", "tutorial"],
        "tier": "free",
        "duration": 60,
        "min_duration": 30,
        "max_duration": 90,
        "aspect_ratio": "9:16",
        "spec": TIKTOK_QUICK_TIPS,
        "fields": TIKTOK_QUICK_TIPS_FIELDS,
        "name": {
            "en": "TikTok tutorial: quick tips",
            "es": "Tutorial de TikTok: consejos rápidos",
            "fr": "Tutoriel TikTok : astuces express",
            "de": "TikTok-Tutorial: schnelle Tipps",
            "pt": "Tutorial do TikTok: dicas rápidas",
            "ja": "TikTokチュートリアル：クイックヒント",
            "ko": "틱톡 튜토리얼: 빠른 팁",
            "zh_hans": "TikTok教程：快速小贴士",
            "hi": "टिकटॉक ट्यूटोरियल: झटपट टिप्स",
        },
        "description": {
            "en": (
                "Up to five numbered tips that appear one after another, with a title card and a "
                "progress bar."
            ),
            "es": (
                "Hasta cinco consejos numerados que aparecen uno tras otro, con una portada y una "
                "barra de progreso."
            ),
            "fr": (
                "Jusqu'à cinq astuces numérotées qui s'enchaînent, avec un titre d'ouverture et "
                "une barre de progression."
            ),
            "de": (
                "Bis zu fünf nummerierte Tipps, die nacheinander erscheinen, mit Titelkarte und "
                "Fortschrittsbalken."
            ),
            "pt": (
                "Até cinco dicas numeradas que aparecem uma após a outra, com uma tela de título e "
                "uma barra de progresso."
            ),
            "ja": "番号付きのヒントを最大5つ、順番に表示します。タイトル画面と進行バー付き。",
            "ko": (
                "번호가 매겨진 팁이 최대 다섯 개까지 차례로 나타나며, 타이틀 화면과 진행 표시줄이 "
                "있습니다."
            ),
            "zh_hans": "最多五条带编号的小贴士依次出现，配有标题页和进度条。",
            "hi": ("पाँच तक क्रमांकित टिप्स, जो एक के बाद एक दिखते हैं, शीर्षक कार्ड और प्रगति पट्टी के साथ।"),
        },
    },
    {
        "key": "youtube-quote",
        "category": "social",
        "tags": ["youtube", "shorts", "quote"],
        "tier": "free",
        "duration": 15,
        "min_duration": 10,
        "max_duration": 30,
        "aspect_ratio": "9:16",
        "spec": YOUTUBE_QUOTE,
        "fields": YOUTUBE_QUOTE_FIELDS,
        "name": {
            "en": "YouTube Short: quote",
            "es": "YouTube Short: cita",
            "fr": "YouTube Short : citation",
            "de": "YouTube Short: Zitat",
            "pt": "YouTube Short: citação",
            "ja": "YouTubeショート：名言",
            "ko": "유튜브 쇼츠: 명언",
            "zh_hans": "YouTube Shorts：名言",
            "hi": "यूट्यूब शॉर्ट: उद्धरण",
        },
        "description": {
            "en": (
                "A minimal, elegant quote that fades in line by line, with its author and your "
                "channel name."
            ),
            "es": (
                "Una cita minimalista y elegante que aparece suavemente, con su autor y el nombre "
                "de tu canal."
            ),
            "fr": (
                "Une citation sobre et élégante qui apparaît en fondu, avec son auteur et le nom "
                "de votre chaîne."
            ),
            "de": (
                "Ein schlichtes, elegantes Zitat, das sanft eingeblendet wird – mit Autor und "
                "deinem Kanalnamen."
            ),
            "pt": (
                "Uma citação minimalista e elegante que surge suavemente, com o autor e o nome do "
                "seu canal."
            ),
            "ja": "ミニマルで上品な名言がふわりと現れます。著者名とチャンネル名も表示します。",
            "ko": (
                "미니멀하고 우아한 명언이 부드럽게 나타나며, 저자와 채널 이름을 함께 보여 줍니다."
            ),
            "zh_hans": "简约优雅的名言缓缓浮现，并显示作者和你的频道名称。",
            "hi": ("एक सादा, सुरुचिपूर्ण उद्धरण जो धीरे-धीरे उभरता है, लेखक और आपके चैनल के नाम के साथ।"),
        },
    },
    {
        "key": "educational-explainer",
        "category": "education",
        "tags": ["explainer", "diagram", "education"],
        "tier": "free",
        "duration": 120,
        "min_duration": 60,
        "max_duration": 180,
        "aspect_ratio": "16:9",
        "spec": EDUCATIONAL_EXPLAINER,
        "fields": EDUCATIONAL_EXPLAINER_FIELDS,
        "name": {
            "en": "Educational explainer",
            "es": "Vídeo explicativo educativo",
            "fr": "Vidéo explicative pédagogique",
            "de": "Lehrreiches Erklärvideo",
            "pt": "Vídeo explicativo educativo",
            "ja": "教育向け解説動画",
            "ko": "교육용 설명 영상",
            "zh_hans": "教育讲解视频",
            "hi": "शैक्षिक व्याख्या वीडियो",
        },
        "description": {
            "en": (
                "Explain a process in four steps: an animated diagram with arrows, a caption for "
                "each step and a summary."
            ),
            "es": (
                "Explica un proceso en cuatro pasos: un diagrama animado con flechas, un texto "
                "para cada paso y un resumen."
            ),
            "fr": (
                "Expliquez un processus en quatre étapes : un schéma animé avec des flèches, une "
                "légende par étape et un résumé."
            ),
            "de": (
                "Erkläre einen Ablauf in vier Schritten: ein animiertes Diagramm mit Pfeilen, ein "
                "Text zu jedem Schritt und eine Zusammenfassung."
            ),
            "pt": (
                "Explique um processo em quatro etapas: um diagrama animado com setas, uma legenda "
                "para cada etapa e um resumo."
            ),
            "ja": (
                "4つのステップで仕組みを解説します。矢印付きのアニメーション図、各ステップの説明文"
                "、まとめ。"
            ),
            "ko": (
                "네 단계로 과정을 설명합니다: 화살표가 있는 애니메이션 다이어그램, 단계별 설명, "
                "요약."
            ),
            "zh_hans": "用四个步骤讲解一个流程：带箭头的动画图示、每一步的说明和总结。",
            "hi": (
                "किसी प्रक्रिया को चार चरणों में समझाएँ: तीरों वाला एनिमेटेड आरेख, हर चरण का विवरण और सारांश।"
            ),
        },
    },
    {
        "key": "animated-statistics",
        "category": "business",
        "tags": ["statistics", "chart", "data"],
        "tier": "free",
        "duration": 45,
        "min_duration": 20,
        "max_duration": 90,
        "aspect_ratio": "16:9",
        "spec": ANIMATED_STATISTICS,
        "fields": ANIMATED_STATISTICS_FIELDS,
        "name": {
            "en": "Animated statistics",
            "es": "Estadísticas animadas",
            "fr": "Statistiques animées",
            "de": "Animierte Statistiken",
            "pt": "Estatísticas animadas",
            "ja": "アニメーション統計",
            "ko": "애니메이션 통계",
            "zh_hans": "动态统计图表",
            "hi": "एनिमेटेड आँकड़े",
        },
        "description": {
            "en": (
                "Bars that grow to the numbers you enter, with counting values, labels and one key "
                "insight."
            ),
            "es": (
                "Barras que crecen hasta los números que introduces, con valores que cuentan, "
                "etiquetas y una conclusión clave."
            ),
            "fr": (
                "Des barres qui montent jusqu'aux chiffres que vous saisissez, avec compteurs, "
                "libellés et un enseignement clé."
            ),
            "de": (
                "Balken, die bis zu deinen Zahlen wachsen – mit hochzählenden Werten, "
                "Beschriftungen und einer zentralen Erkenntnis."
            ),
            "pt": (
                "Barras que crescem até os números que você informar, com valores em contagem, "
                "rótulos e um destaque principal."
            ),
            "ja": (
                "入力した数値までバーが伸び、数字がカウントアップします。ラベルと重要なポイントも表"
                "示。"
            ),
            "ko": (
                "입력한 숫자까지 막대가 자라고 값이 올라가며, 레이블과 핵심 인사이트를 보여 줍니다."
            ),
            "zh_hans": "柱形随你输入的数字增长，数值动态递增，并配有标签和一条关键结论。",
            "hi": ("आपके दर्ज किए अंकों तक बढ़ते बार, गिनते हुए मान, लेबल और एक मुख्य निष्कर्ष के साथ।"),
        },
    },
    {
        "key": "product-demo-60",
        "category": "marketing",
        "tags": ["product", "demo", "saas"],
        "tier": "pro",
        "duration": 60,
        "min_duration": 30,
        "max_duration": 90,
        "aspect_ratio": "16:9",
        "spec": PRODUCT_DEMO_60,
        "fields": PRODUCT_DEMO_60_FIELDS,
        "name": {
            "en": "Product demo in 60 seconds",
            "es": "Demo de producto en 60 segundos",
            "fr": "Démo produit en 60 secondes",
            "de": "Produktdemo in 60 Sekunden",
            "pt": "Demonstração de produto em 60 segundos",
            "ja": "60秒でわかる製品デモ",
            "ko": "60초 제품 데모",
            "zh_hans": "60秒产品演示",
            "hi": "60 सेकंड में उत्पाद डेमो",
        },
        "description": {
            "en": (
                "A professional demo: your screen recording in a device frame, three features, "
                "your logo and a clear call to action."
            ),
            "es": (
                "Una demo profesional: tu grabación de pantalla en un marco de dispositivo, tres "
                "funciones, tu logotipo y una llamada a la acción clara."
            ),
            "fr": (
                "Une démo professionnelle : votre enregistrement d'écran dans un cadre d'appareil, "
                "trois fonctionnalités, votre logo et un appel à l'action clair."
            ),
            "de": (
                "Eine professionelle Demo: deine Bildschirmaufnahme im Geräterahmen, drei "
                "Funktionen, dein Logo und ein klarer Aufruf zum Handeln."
            ),
            "pt": (
                "Uma demonstração profissional: sua gravação de tela em uma moldura de "
                "dispositivo, três recursos, seu logotipo e uma chamada para ação clara."
            ),
            "ja": (
                "プロ仕様のデモ。画面録画をデバイスフレームに収め、3つの機能、ロゴ、明確な行動喚起"
                "を添えます。"
            ),
            "ko": (
                "전문적인 데모: 기기 프레임 속 화면 녹화, 세 가지 기능, 로고와 명확한 행동 유도 "
                "문구."
            ),
            "zh_hans": "专业的产品演示：设备边框中的录屏、三项功能、你的标志和清晰的行动号召。",
            "hi": (
                "एक पेशेवर डेमो: डिवाइस फ़्रेम में आपकी स्क्रीन रिकॉर्डिंग, तीन फ़ीचर, आपका लोगो "
                "और साफ़ कॉल टू एक्शन।"
            ),
        },
    },
    {
        "key": "brand-story",
        "category": "brand",
        "tags": ["brand", "story", "cinematic"],
        "tier": "pro",
        "duration": 90,
        "min_duration": 45,
        "max_duration": 120,
        "aspect_ratio": "16:9",
        "spec": BRAND_STORY,
        "fields": BRAND_STORY_FIELDS,
        "name": {
            "en": "Brand story",
            "es": "Historia de marca",
            "fr": "Histoire de marque",
            "de": "Markengeschichte",
            "pt": "História da marca",
            "ja": "ブランドストーリー",
            "ko": "브랜드 스토리",
            "zh_hans": "品牌故事",
            "hi": "ब्रांड की कहानी",
        },
        "description": {
            "en": (
                "A cinematic story in three chapters: a slow zoom over your photo or a gradient, "
                "gentle fades, your logo and music."
            ),
            "es": (
                "Una historia cinematográfica en tres capítulos: un zoom lento sobre tu foto o un "
                "degradado, fundidos suaves, tu logotipo y música."
            ),
            "fr": (
                "Un récit cinématographique en trois chapitres : un lent zoom sur votre photo ou "
                "un dégradé, des fondus doux, votre logo et de la musique."
            ),
            "de": (
                "Eine filmische Geschichte in drei Kapiteln: ein langsamer Zoom über dein Foto "
                "oder einen Farbverlauf, sanfte Überblendungen, dein Logo und Musik."
            ),
            "pt": (
                "Uma história cinematográfica em três capítulos: um zoom lento sobre sua foto ou "
                "um degradê, transições suaves, seu logotipo e música."
            ),
            "ja": (
                "3章構成のシネマティックなストーリー。写真やグラデーションへのゆっくりしたズーム、"
                "やわらかなフェード、ロゴと音楽。"
            ),
            "ko": (
                "세 개의 장으로 이루어진 영화 같은 이야기: 사진이나 그라데이션 위의 느린 줌, "
                "부드러운 페이드, 로고와 음악."
            ),
            "zh_hans": (
                "三个篇章的电影感故事：在你的照片或渐变背景上缓慢推近，柔和淡入淡出，配上你的标志和"
                "音乐。"
            ),
            "hi": (
                "तीन अध्यायों की सिनेमाई कहानी: आपकी फ़ोटो या ग्रेडिएंट पर धीमा ज़ूम, कोमल फ़ेड, "
                "आपका लोगो और संगीत।"
            ),
        },
    },
]
