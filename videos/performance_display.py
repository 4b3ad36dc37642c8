"""A video's performance as its pages show it: figures formatted in the reader's language
(numbers by babel, times in the reader's time zone), the views-over-time chart and the tables.

Everything here reads a `performance_selectors.VideoPerformance`; nothing queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from videocreator.charts import SERIES, chart_figure
from videocreator.numbers import format_count, format_seconds, format_share

from .performance_selectors import VideoPerformance

EMPTY = "—"


def format_time(value: dt.datetime | None, style: str = "DATETIME_FORMAT") -> str:
    """A time in the reader's time zone and language."""
    return EMPTY if value is None else formats.date_format(timezone.localtime(value), style)


def format_version(number: int | None) -> str:
    return EMPTY if number is None else str(number)


def post_labels(performance: VideoPerformance) -> dict[int, str]:
    """Each post's name on the chart and in the tables: its platform, and where the video went
    to one platform more than once, when it was published."""
    platforms = [post.platform for post in performance.posts]
    labels = {}
    for post in performance.posts:
        if platforms.count(post.platform) > 1:
            labels[post.id] = _("%(platform)s, published %(time)s") % {
                "platform": post.platform_label,
                "time": format_time(post.published_at, "SHORT_DATETIME_FORMAT"),
            }
        else:
            labels[post.id] = post.platform_label
    return labels


# -- the summary ------------------------------------------------------------------------------


def summary(performance: VideoPerformance) -> list[dict[str, str]]:
    """The figures across every platform, a label and a text each."""
    totals = performance.totals
    return [
        {"label": pgettext("statistics", "Views"), "text": format_count(totals.views)},
        {"label": pgettext("statistics", "Likes"), "text": format_count(totals.likes)},
        {"label": pgettext("statistics", "Comments"), "text": format_count(totals.comments)},
        {"label": pgettext("statistics", "Shares"), "text": format_count(totals.shares)},
        {"label": _("Engagement rate"), "text": format_share(totals.engagement_rate)},
        {"label": _("Average watch time"), "text": format_seconds(totals.average_watch_seconds)},
    ]


# -- the chart and its table ------------------------------------------------------------------


@dataclass
class FiguresTable:
    """A table as templates/_table.html shows it: a title, column labels and rows of cells
    already formatted (the first cell of a row heads it)."""

    title: str
    columns: list[dict[str, str]]
    cells: list[dict[str, Any]] = field(default_factory=list)
    empty: str = ""
    note: str = ""
    csv_url: str = ""
    heatmap: bool = False
    figures: bool = False

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.cells

    def add(self, *cells: tuple[str, bool], flag: str = "") -> None:
        """One row of (text, numeric) cells."""
        self.cells.append(
            {
                "cells": [
                    {"text": text, "numeric": numeric, "href": None, "level": None}
                    for text, numeric in cells
                ],
                "flag": flag,
            }
        )


def views_chart(performance: VideoPerformance) -> dict | None:
    """Views over time, one line per post (per platform); None without any snapshot."""
    if not performance.has_series:
        return None
    labels = post_labels(performance)
    traces = []
    for index, post in enumerate(p for p in performance.posts if p.series):
        traces.append(
            go.Scatter(
                # Local wall-clock times: the axis reads in the reader's time zone.
                x=[
                    timezone.localtime(point.taken_at).replace(tzinfo=None).isoformat()
                    for point in post.series
                ],
                y=[point.views for point in post.series],
                name=labels[post.id],
                mode="lines+markers",
                line={"color": SERIES[index % len(SERIES)], "width": 2},
                marker={"size": 5},
                customdata=[
                    ngettext("%(time)s: %(views)s view", "%(time)s: %(views)s views", point.views)
                    % {
                        "time": format_time(point.taken_at, "SHORT_DATETIME_FORMAT"),
                        "views": format_count(point.views),
                    }
                    for point in post.series
                ],
                hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    return chart_figure(
        *traces,
        showlegend=True,
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 64, "r": 16, "t": 16, "b": 72},
        # Dates as numbers (plotly's month names would be English in every language).
        xaxis={
            "type": "date",
            "tickformatstops": [
                {"dtickrange": [None, 86_400_000], "value": "%H:%M<br>%Y-%m-%d"},
                {"dtickrange": [86_400_000, None], "value": "%Y-%m-%d"},
            ],
        },
        yaxis={"title": {"text": pgettext("statistics", "Views")}, "rangemode": "tozero"},
    )


def series_table(performance: VideoPerformance) -> FiguresTable:
    """The chart's figures: each post's views at each snapshot."""
    labels = post_labels(performance)
    table = FiguresTable(
        title=_("Views over time"),
        columns=[
            {"label": _("Platform")},
            {"label": _("Time")},
            {"label": pgettext("statistics", "Views")},
        ],
        empty=_("No statistics have come in yet."),
    )
    for post in performance.posts:
        for point in post.series:
            table.add(
                (labels[post.id], False),
                (format_time(point.taken_at), False),
                (format_count(point.views), True),
            )
    return table


# -- the comparison between platforms ---------------------------------------------------------


def comparison_rows(performance: VideoPerformance) -> list[dict[str, Any]]:
    """One row a post: its platform, figures, version, publishing time and link."""
    labels = post_labels(performance)
    return [
        {
            "post": post,
            "label": labels[post.id],
            "views": format_count(post.views),
            "likes": format_count(post.likes),
            "comments": format_count(post.comments),
            "shares": format_count(post.shares),
            "engagement_rate": format_share(post.engagement_rate),
            "share_of_views": format_share(post.share_of_views),
            "average_watch": format_seconds(post.average_watch_seconds),
            "version": format_version(post.version_number),
            "published": format_time(post.published_at),
            "stats_taken": format_time(post.stats_taken_at),
        }
        for post in performance.posts
    ]


def card_rows(performance: VideoPerformance) -> list[dict[str, Any]]:
    """The video page's card: each post's latest views and engagement rate."""
    labels = post_labels(performance)
    return [
        {
            "post": post,
            "label": labels[post.id],
            "views": format_count(post.views),
            "engagement_rate": format_share(post.engagement_rate),
        }
        for post in performance.posts
    ]


def page_context(performance: VideoPerformance) -> dict[str, Any]:
    """What templates/videos/video_performance.html shows."""
    chart = views_chart(performance)
    return {
        "performance": performance,
        "summary": summary(performance),
        "chart": chart,
        "series_table": series_table(performance),
        "rows": comparison_rows(performance),
    }
