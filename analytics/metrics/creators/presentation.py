"""The creators' dashboard as people read it: its tables (each also a CSV) and its charts,
made from a `creators_report`, in the reader's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import plotly.graph_objects as go
from django.urls import reverse
from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from videocreator.charts import MUTED, PRIMARY, SERIES, chart_figure

from ..display import Column, Table, format_value

TREND_LABELS = {
    "up": gettext_lazy("↑ Up"),
    "down": gettext_lazy("↓ Down"),
    "stable": gettext_lazy("→ Stable"),
}
TABLES = (
    "overview",
    "growth",
    "top_videos",
    "platforms",
    "activity",
    "weekdays",
    "hours",
    "templates",
)


def counter_labels() -> dict[str, str]:
    return {
        "views": pgettext("statistics", "Views"),
        "likes": pgettext("statistics", "Likes"),
        "comments": pgettext("statistics", "Comments"),
        "shares": pgettext("statistics", "Shares"),
    }


def _counter_columns() -> list[Column]:
    return [
        *(Column(key, label, "count") for key, label in counter_labels().items()),
        Column("engagement_rate", _("Engagement rate"), "share"),
    ]


def hour_label(hour: int) -> str:
    start, end = dt.time(hour), dt.time((hour + 1) % 24)
    return _("%(start)s–%(end)s") % {
        "start": formats.time_format(start, "TIME_FORMAT"),
        "end": formats.time_format(end, "TIME_FORMAT"),
    }


def overview_rows(report: dict) -> list[dict]:
    section = report["overview"]
    return [
        {"label": _("Videos in the workspace"), "value": section["videos"], "kind": "count"},
        {"label": _("Videos created"), "value": section["videos_created"], "kind": "count"},
        {"label": _("Videos published"), "value": section["videos_published"], "kind": "count"},
        {"label": _("Posts published"), "value": section["posts_published"], "kind": "count"},
        *(
            {"label": label, "value": section[key], "kind": "count"}
            for key, label in counter_labels().items()
        ),
        {
            "label": _("Average watch time"),
            "value": section["average_watch_seconds"],
            "kind": "seconds",
        },
        {"label": _("Engagement rate"), "value": section["engagement_rate"], "kind": "share"},
    ]


def overview_cards(report: dict) -> list[dict]:
    return [
        {"label": row["label"], "text": format_value(row["value"], row["kind"])}
        for row in overview_rows(report)
    ]


def growth_cards(report: dict) -> list[dict]:
    growth = report["growth"]
    cards = []
    for key, label in (
        ("videos", _("Videos created this month")),
        ("views", _("Views this month")),
    ):
        rate = growth[key]["growth"]
        cards.append(
            {
                "label": label,
                "text": format_value(growth["this_month"][key], "count"),
                "trend": growth[key]["trend"],
                "trend_label": str(TREND_LABELS[growth[key]["trend"]]),
                "change": _("%(rate)s against last month") % {"rate": format_value(rate, "share")}
                if rate is not None
                else _("nothing last month to compare with"),
            }
        )
    return cards


def insight_sentences(report: dict) -> list[str]:
    """The best weekday and hour, in words; empty below the minimum number of posts."""
    insights = report["insights"]
    sentences = []
    best_day, best_hour = insights["best_weekday"], insights["best_hour"]
    if best_day:
        sentences.append(
            _(
                "Your best day to publish is %(day)s: posts then got %(lift)s your usual views "
                "in their first 48 hours (median of %(posts)s posts)."
            )
            % {
                "day": WEEKDAYS[best_day["key"]],
                "lift": format_value(best_day["lift"], "multiple"),
                "posts": format_value(best_day["posts"], "count"),
            }
        )
    if best_hour:
        sentences.append(
            _(
                "Your best hour to publish is %(hour)s: posts then got %(lift)s your usual "
                "views in their first 48 hours (median of %(posts)s posts)."
            )
            % {
                "hour": hour_label(best_hour["key"]),
                "lift": format_value(best_hour["lift"], "multiple"),
                "posts": format_value(best_hour["posts"], "count"),
            }
        )
    return sentences


def creators_tables(report: dict, *, csv_url: Callable[[str], str] | None = None) -> dict:
    growth = report["growth"]
    insights = report["insights"]
    figures = [Column("label", _("Figure")), Column("value", _("Value"), "by_row")]
    tables = {
        "overview": Table("overview", _("Overview"), figures, overview_rows(report), figures=True),
        "growth": Table(
            "growth",
            _("This month so far against the same days of last month"),
            [
                Column("label", _("Figure")),
                Column("this_month", _("This month"), "count"),
                Column("last_month", _("Last month"), "count"),
                Column("growth", _("Growth rate"), "share"),
                Column("trend", _("Trend")),
            ],
            [
                {
                    "label": label,
                    "this_month": growth["this_month"][key],
                    "last_month": growth["last_month"][key],
                    "growth": growth[key]["growth"],
                    "trend": str(TREND_LABELS[growth[key]["trend"]]),
                }
                for key, label in (
                    ("videos", _("Videos created")),
                    ("views", counter_labels()["views"]),
                )
            ],
        ),
        "top_videos": Table(
            "top_videos",
            _("Top videos by views"),
            [
                Column("title", _("Video"), link_key="url"),
                *_counter_columns(),
                Column("platform_names", _("Platforms")),
            ],
            [
                {
                    **row,
                    "url": reverse("videos:performance", args=[row["video_id"]]),
                    "platform_names": ", ".join(row["platform_labels"]),
                }
                for row in report["top_videos"]
            ],
            empty=_("No video gained views in this range."),
        ),
        "platforms": Table(
            "platforms",
            _("Platforms"),
            [
                Column("label", _("Platform")),
                Column("videos", _("Videos published"), "count"),
                Column("posts", _("Posts published"), "count"),
                *_counter_columns(),
                Column("share_of_views", _("Share of views"), "share"),
            ],
            report["platforms"],
            empty=_("Nothing was published or viewed in this range."),
        ),
        "activity": Table(
            "activity",
            _("The last seven days of the range"),
            [
                Column("day", _("Day"), "day"),
                Column("created", _("Videos created"), "count"),
                Column("published", _("Videos published"), "count"),
            ],
            report["activity"],
        ),
        "weekdays": Table(
            "weekdays",
            _("Views in the first 48 hours by weekday"),
            [
                Column("label", pgettext("weekday", "Day")),
                Column("posts", _("Posts"), "count"),
                Column("lift", _("Against your usual views"), "multiple"),
            ],
            [{**row, "label": str(WEEKDAYS[row["key"]])} for row in insights["weekdays"]],
        ),
        "hours": Table(
            "hours",
            _("Views in the first 48 hours by hour of publishing"),
            [
                Column("label", _("Hour")),
                Column("posts", _("Posts"), "count"),
                Column("lift", _("Against your usual views"), "multiple"),
            ],
            [{**row, "label": hour_label(row["key"])} for row in insights["hours"] if row["posts"]],
        ),
        "templates": Table(
            "templates",
            _("Templates that perform best"),
            [
                Column("name", _("Template"), link_key="url"),
                Column("posts", _("Posts"), "count"),
                Column("lift", _("Against your usual views"), "multiple"),
                Column("engagement_rate", _("Engagement rate"), "share"),
            ],
            [
                {**row, "url": reverse("videos:template", args=[row["template_key"]])}
                for row in insights["templates"]
                if row["template_key"]
            ],
            empty=_("No template has enough posts yet."),
        ),
    }
    if csv_url is not None:
        for name, table in tables.items():
            table.csv_url = csv_url(name)
    return tables


def creators_charts(report: dict) -> dict[str, dict]:
    charts: dict[str, dict] = {}
    top = report["top_videos"]
    if top:
        charts["top_videos"] = chart_figure(
            go.Bar(
                # Newest first reads top-down in a horizontal bar chart drawn bottom-up.
                y=[row["title"] for row in reversed(top)],
                x=[row["views"] for row in reversed(top)],
                text=[format_value(row["views"], "count") for row in reversed(top)],
                orientation="h",
                marker={"color": PRIMARY},
                hovertemplate="%{y}: %{text}<extra></extra>",
            ),
            yaxis={"automargin": True},
            margin={"l": 16, "r": 16, "t": 16, "b": 40},
            height=320,
        )
    platforms = report["platforms"]
    if any(row["views"] for row in platforms):
        charts["platforms"] = chart_figure(
            go.Bar(
                x=[row["label"] for row in platforms],
                y=[row["views"] for row in platforms],
                text=[format_value(row["views"], "count") for row in platforms],
                marker={"color": [SERIES[i % len(SERIES)] for i in range(len(platforms))]},
                hovertemplate="%{x}: %{text}<extra></extra>",
            ),
            yaxis={"title": {"text": pgettext("statistics", "Views")}, "rangemode": "tozero"},
        )
    days = [format_value(row["day"], "day") for row in report["activity"]]
    charts["activity"] = chart_figure(
        go.Bar(
            name=_("Videos created"),
            x=days,
            y=[row["created"] for row in report["activity"]],
            marker={"color": MUTED},
        ),
        go.Bar(
            name=_("Videos published"),
            x=days,
            y=[row["published"] for row in report["activity"]],
            marker={"color": PRIMARY},
        ),
        barmode="group",
        showlegend=True,
        legend={"orientation": "h", "y": -0.2},
        yaxis={"rangemode": "tozero", "tickformat": ",d"},
    )
    return charts
