"""Charts on any page: plotly figures built on the server, drawn by static/js/charts.js.

Python's plotly builds each figure (`chart_figure`); the page carries its JSON in a
`<script type="application/json">` block (templates/_chart.html) and static/js/charts.js draws
it with the plotly.js that plotly ships (static/vendor/plotly.min.js, videocreator.staticfinders).
Every text a chart shows is made by its caller in the reader's language; numbers on value axes
use the language's separators. A page with charts adds `PLOTLY_CSP` to its policy,
`chart_page_context()` to its context and includes templates/_plotly_scripts.html.
"""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
from babel import Locale
from django.utils import translation
from django.utils.translation import to_locale

from .staticfinders import plotly_injected_style_ids

PRIMARY = "#4f46e5"
RISE = "#15803d"
FALL = "#b91c1c"
MUTED = "#64748b"
# One colour per series where several share a chart (platforms, versions).
SERIES = ("#4f46e5", "#0891b2", "#db2777", "#ca8a04", "#15803d", "#7c3aed", "#ea580c")

# What plotly.js needs beyond the site's policy, on pages with charts only (README, "Business
# dashboard"). It creates empty <style> elements and fills them through the CSSOM
# (insertRule), which the policy does not govern: the hash of the empty string admits an empty
# <style> and nothing with content in it (plotly.js issues 2355 and 7543). Its heatmap is a
# canvas shown as an <image> with a data: URL (the cohort heatmap). The one <style> with text
# it would add, maplibre's for maps, is kept out by a placeholder with its id
# (`plotly_injected_style_ids`), not allowed.
PLOTLY_CSP = {
    "style-src": ["'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"],
    "img-src": ["data:"],
}


def babel_locale() -> Locale:
    return Locale.parse(to_locale(translation.get_language() or "en"))


def number_separators() -> str:
    """The decimal and the group separator of the active language (plotly's `separators`)."""
    locale = babel_locale()
    return locale.number_symbols["latn"]["decimal"] + locale.number_symbols["latn"]["group"]


def chart_layout(**extra: Any) -> dict:
    return {
        "template": "none",
        "separators": number_separators(),
        "font": {"family": "system-ui, sans-serif", "size": 13},
        "margin": {"l": 64, "r": 16, "t": 16, "b": 48},
        "height": 320,
        "showlegend": False,
        "hoverlabel": {"align": "left"},
        **extra,
    }


def chart_figure(*traces: go.BaseTraceType, **layout: Any) -> dict:
    """The figure's plain JSON data; plotly's own encoder turns its validated figure into it."""
    return json.loads(go.Figure(list(traces), layout=chart_layout(**layout)).to_json())


def chart_page_context() -> dict:
    """What templates/_plotly_scripts.html needs."""
    return {"plotly_style_ids": plotly_injected_style_ids()}
