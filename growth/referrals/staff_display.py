"""The staff referral page's cards, chart and tables, made from `report.programme_report` in
the reader's language. The tables fit templates/_table.html and the chart templates/_chart.html
(the business dashboard's partials). Its `Table` formats raw values by column kind; these
cells come formatted already (ratios to three places, revenue in several currencies side by
side), so a small type the partials can read holds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
from babel.numbers import format_decimal
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from billing.money import format_money
from videocreator.charts import PRIMARY, babel_locale, chart_figure
from videocreator.numbers import EMPTY, format_count, format_share


def format_ratio(value: float | None) -> str:
    """K, i and c: small numbers read to three decimal places (K = 0.125)."""
    if value is None:
        return EMPTY
    return format_decimal(round(value, 3), locale=babel_locale())


@dataclass
class StaffTable:
    """Rows of cells already formatted; what templates/_table.html reads."""

    name: str
    title: str
    labels: list[str]
    rows: list[list[dict[str, Any]]]
    empty: str = ""
    note: str = ""
    csv_url: str = ""
    heatmap: bool = False
    figures: bool = False
    columns: list[dict[str, str]] = field(init=False)

    def __post_init__(self) -> None:
        self.columns = [{"label": label} for label in self.labels]

    def cells(self) -> list[dict[str, Any]]:
        return [{"cells": row, "flag": ""} for row in self.rows]


def text(value: str, href: str | None = None) -> dict[str, Any]:
    return {"text": value, "numeric": False, "href": href, "level": None}


def number(value: str) -> dict[str, Any]:
    return {"text": value, "numeric": True, "href": None, "level": None}


def cards(report: dict[str, Any]) -> list[dict[str, str]]:
    k, quality = report["k"], report["quality"]
    return [
        {"label": _("Codes generated"), "text": format_count(report["codes"])},
        {"label": _("Share-link clicks"), "text": format_count(report["clicks"])},
        {"label": _("Sign-ups through a code"), "text": format_count(report["sign_ups"])},
        {"label": _("Referees who first paid"), "text": format_count(report["paying"])},
        {"label": _("Conversion to paying"), "text": format_share(report["conversion"])},
        {"label": _("Invitations per user (i)"), "text": format_ratio(k["i"])},
        {"label": _("Invitation to paying (c)"), "text": format_ratio(k["c"])},
        {"label": _("K-factor (i × c)"), "text": format_ratio(k["k"])},
        {
            "label": _("Quality rate (still paying after 60 days)"),
            "text": format_share(quality["rate"]),
            "detail": _("%(still)s of %(customers)s")
            % {
                "still": format_count(quality["still_paying"]),
                "customers": format_count(quality["customers"]),
            },
        },
        {"label": _("Referral tree depth"), "text": format_count(report["tree_depth"])},
    ]


def month_label(row: dict[str, Any]) -> str:
    return formats.date_format(row["start"], "YEAR_MONTH_FORMAT")


def k_chart(report: dict[str, Any]) -> dict:
    rows = report["k_months"]
    return chart_figure(
        go.Scatter(
            x=[month_label(row) for row in rows],
            y=[row["k"] for row in rows],
            mode="lines+markers",
            line={"color": PRIMARY},
            customdata=[format_ratio(row["k"]) for row in rows],
            hovertemplate="%{x}: K = %{customdata}<extra></extra>",
        ),
        yaxis={"title": {"text": _("K-factor")}, "rangemode": "tozero"},
    )


def k_table(report: dict[str, Any]) -> StaffTable:
    return StaffTable(
        name="k_months",
        title=_("K-factor by month"),
        labels=[
            _("Month"),
            _("E-mail invitations"),
            _("Share-link clicks"),
            _("Users"),
            _("Referees who first paid"),
            _("i"),
            _("c"),
            _("K"),
        ],
        rows=[
            [
                text(month_label(row)),
                number(format_count(row["emails"])),
                number(format_count(row["clicks"])),
                number(format_count(row["users"])),
                number(format_count(row["paying"])),
                number(format_ratio(row["i"])),
                number(format_ratio(row["c"])),
                number(format_ratio(row["k"])),
            ]
            for row in report["k_months"]
        ],
    )


def connectors_table(report: dict[str, Any]) -> StaffTable:
    currency = report["currency"]
    rows = []
    for item in report["connectors"]:
        user = item["user"]
        others = ", ".join(format_money(amount, code) for code, amount in item["other_revenue"])
        rows.append(
            [
                text(
                    user.email if user else str(item["user_id"]),
                    reverse("admin:accounts_user_change", args=[item["user_id"]]),
                ),
                number(format_count(item["direct"])),
                number(format_count(item["descendants"])),
                number(format_count(item["depth"])),
                number(format_money(item["main_revenue"], currency)),
                number(others or EMPTY),
            ]
        )
    return StaffTable(
        name="connectors",
        title=_("Super-connectors"),
        labels=[
            _("Referrer"),
            _("Direct referrals"),
            _("All referred (any depth)"),
            _("Depth below them"),
            _("Revenue (%(currency)s)") % {"currency": currency},
            _("Revenue in other currencies"),
        ],
        rows=rows,
        empty=_("Nobody has referred anyone yet."),
        note=_(
            "Ranked by the revenue in %(currency)s of everyone they brought in, directly or "
            "through the people they referred, from payments in this range; other currencies "
            "are shown apart, not converted."
        )
        % {"currency": currency},
    )
