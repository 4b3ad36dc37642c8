"""The business dashboard's charts: plotly figures made from a `business_report`.

Built with videocreator.charts, which says how a page draws them.
Every text a chart shows is made here, in the reader's language: axis categories (months,
steps, movements) and hover labels are formatted strings, numbers on value axes use the
language's separators (`layout.separators`). Each chart has a table with the same figures.
"""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from billing.money import minor_to_decimal
from videocreator.charts import FALL, MUTED, PRIMARY, RISE, chart_figure

from .business import Report
from .business_tables import MOVEMENT_LABELS
from .cohorts import RETENTION_MONTHS
from .display import format_value

HEAT_SCALE = [[0.0, "#eef2ff"], [1.0, "#312e81"]]


def _major(amount: int | None, currency: str) -> float | None:
    return None if amount is None else float(minor_to_decimal(amount, currency))


def movements_chart(report: Report) -> dict | None:
    section = report["revenue"]
    if section["missing_rate"]:
        return None
    currency = section["currency"]
    labels = [_("Opening MRR")]
    amounts = [section["opening_mrr"]]
    for item in section["movements"]:
        labels.append(str(MOVEMENT_LABELS[item["kind"]]))
        amounts.append(item["amount"])
    labels.append(_("Closing MRR"))
    amounts.append(section["mrr"])
    texts = [format_value(amount, "money", currency) for amount in amounts]
    return chart_figure(
        go.Waterfall(
            x=labels,
            y=[_major(amount, currency) for amount in amounts[:-1]] + [0],
            measure=["absolute"] + ["relative"] * (len(amounts) - 2) + ["total"],
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{text}<extra></extra>",
            increasing={"marker": {"color": RISE}},
            decreasing={"marker": {"color": FALL}},
            totals={"marker": {"color": PRIMARY}},
            connector={"line": {"color": MUTED, "width": 1}},
        ),
        yaxis={"title": {"text": _("MRR (%(currency)s)") % {"currency": currency}}},
    )


def growth_charts(report: Report) -> dict[str, dict]:
    section = report["growth"]
    currency = section["currency"]
    months = [format_value(row["month"], "month") for row in section["months"]]

    def hover(value: str, velocity: float | None) -> str:
        if velocity is None:
            return value
        return f"{value} ({format_value(velocity, 'share')})"

    charts = {
        "growth_signups": chart_figure(
            go.Bar(
                x=months,
                y=[row["signups"] for row in section["months"]],
                marker={"color": PRIMARY},
                customdata=[
                    hover(format_value(row["signups"], "count"), row["signups_velocity"])
                    for row in section["months"]
                ],
                hovertemplate="%{x}: %{customdata}<extra></extra>",
            ),
            yaxis={"title": {"text": _("Sign-ups")}, "rangemode": "tozero"},
        )
    }
    if not section["missing_rate"]:
        charts["growth_mrr"] = chart_figure(
            go.Scatter(
                x=months,
                y=[_major(row["mrr"], currency) for row in section["months"]],
                mode="lines+markers",
                line={"color": PRIMARY, "width": 3},
                customdata=[
                    hover(format_value(row["mrr"], "money", currency), row["mrr_velocity"])
                    for row in section["months"]
                ],
                hovertemplate="%{x}: %{customdata}<extra></extra>",
            ),
            yaxis={
                "title": {"text": _("MRR (%(currency)s)") % {"currency": currency}},
                "rangemode": "tozero",
            },
        )
    return charts


def content_charts(report: Report) -> dict[str, dict]:
    section = report["content"]
    charts = {}
    if section["platforms"]:
        charts["platforms"] = chart_figure(
            go.Bar(
                x=[row["label"] for row in section["platforms"]],
                y=[row["posts"] for row in section["platforms"]],
                marker={"color": PRIMARY},
                customdata=[format_value(row["share"], "share") for row in section["platforms"]],
                hovertemplate="%{x}: %{y} (%{customdata})<extra></extra>",
            ),
            yaxis={"title": {"text": _("Posts")}, "rangemode": "tozero"},
        )
    if section["templates"]:
        rows = list(reversed(section["templates"]))  # the most used at the top
        charts["templates"] = chart_figure(
            go.Bar(
                y=[row["name"] for row in rows],
                x=[row["videos"] for row in rows],
                orientation="h",
                marker={"color": PRIMARY},
                hovertemplate="%{y}: %{x}<extra></extra>",
            ),
            xaxis={"title": {"text": _("Videos")}, "rangemode": "tozero"},
            yaxis={"automargin": True},
            margin={"l": 16, "r": 16, "t": 16, "b": 48},
        )
    return charts


def cohorts_chart(report: Report) -> dict | None:
    cohorts = report["cohorts"]["cohorts"]
    if not any(cohort["size"] for cohort in cohorts):
        return None
    months = [str(k) for k in range(RETENTION_MONTHS + 1)]
    z, texts = [], []
    for cohort in cohorts:
        shares = cohort["retention"]
        z.append([None if share is None else round(share * 100, 1) for share in shares])
        texts.append(
            [format_value(share, "share") if share is not None else "" for share in shares]
        )
    return chart_figure(
        go.Heatmap(
            x=months,
            y=[format_value(cohort["cohort"], "month") for cohort in cohorts],
            z=z,
            text=texts,
            zmin=0,
            zmax=100,
            colorscale=HEAT_SCALE,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
        ),
        xaxis={"title": {"text": _("Months after signing up")}, "type": "category"},
        yaxis={"autorange": "reversed", "type": "category", "automargin": True},
        height=40 + 26 * len(cohorts),
    )


def funnel_chart(report: Report) -> dict | None:
    steps = report["funnel"]["steps"]
    if not steps[0]["count"]:
        return None
    return chart_figure(
        go.Funnel(
            y=[step["label"] for step in steps],
            x=[step["count"] for step in steps],
            marker={"color": [FALL if step["flagged"] else PRIMARY for step in steps]},
            textinfo="value+percent initial",
            hovertemplate="%{y}: %{x}<extra></extra>",
        ),
        yaxis={"automargin": True},
        margin={"l": 16, "r": 16, "t": 16, "b": 16},
    )


def business_charts(report: Report) -> dict[str, dict]:
    """The figures (plotly JSON data) of the report's sections, by chart name; a chart with
    nothing to show is left out (its table says so)."""
    charts: dict[str, dict | None] = {}
    if "revenue" in report:
        charts["movements"] = movements_chart(report)
    if "growth" in report:
        charts.update(growth_charts(report))
    if "content" in report:
        charts.update(content_charts(report))
    if "cohorts" in report:
        charts["cohorts"] = cohorts_chart(report)
    if "funnel" in report:
        charts["funnel"] = funnel_chart(report)
    return {name: figure for name, figure in charts.items() if figure is not None}
