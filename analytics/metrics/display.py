"""Figures as people read them, and as spreadsheets read them: tables for the staff dashboards.

A `Table` is columns and rows of plain values (a report's). `Table.cells()` formats them in the
active language (numbers and percentages by babel, money as billing formats it, dates in
Django's localized formats); `csv_response(table)` writes the same rows unformatted (ISO dates,
a dot for decimals, money in major units with the currency in the header), with text that
could start a spreadsheet formula escaped.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.dates import format_timedelta
from babel.numbers import format_decimal
from django.http import HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _

from billing.money import format_money, minor_to_decimal
from videocreator.charts import babel_locale
from videocreator.numbers import format_count, format_seconds, format_share

# How a column's values read. "by_row" takes each row's own "kind" (figure/value tables).
KINDS = frozenset(
    {
        "text",
        "count",
        "money",
        "share",
        "ratio",
        "multiple",
        "decimal",
        "day",
        "month",
        "seconds",
        "duration",
    }
)
EMPTY = "—"
# A cell starting with one of these is a formula to a spreadsheet (OWASP's CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def format_value(value: Any, kind: str, currency: str = "") -> str:
    """`value` as read in the active language; None as a dash."""
    if value is None:
        return EMPTY
    locale = babel_locale()
    if kind == "count":
        return format_count(value)
    if kind == "money":
        return format_money(int(value), currency)
    if kind == "share":
        return format_share(value)
    if kind == "ratio":
        return format_decimal(round(Decimal(value), 2), locale=locale)
    if kind == "multiple":  # 1.5 reads "1.50×": half as much again
        return format_decimal(float(value), format="#,##0.00", locale=locale) + "×"
    if kind == "decimal":
        return format_decimal(round(Decimal(value), 1), locale=locale)
    if kind == "day":
        return formats.date_format(value, "DATE_FORMAT")
    if kind == "month":
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    if kind == "seconds":
        return format_seconds(value)
    if kind == "duration":
        return format_timedelta(dt.timedelta(seconds=float(value)), locale=locale)
    return str(value)


def csv_value(value: Any, kind: str) -> str:
    """`value` for a spreadsheet: unformatted, and never a formula."""
    if value is None:
        return ""
    if kind == "money":  # already in major units (Table.csv_rows)
        return str(value)
    if kind in {"day", "month"}:
        return value.strftime("%Y-%m") if kind == "month" else value.isoformat()
    if kind in {"share", "ratio", "multiple", "decimal", "seconds", "duration"}:
        return str(round(Decimal(str(value)), 6).normalize())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"
    # Money in a currency of each row's own (its value under this key), not the table's.
    currency_key: str = ""
    # The row's URL under this key makes the cell a link (pages only).
    link_key: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS | {"by_row"}:
            raise ValueError(f"Unknown column kind {self.kind!r}")


@dataclass
class Table:
    """Rows of plain values under columns. A row may carry "flag" (a message: the row is
    flagged, e.g. LTV:CAC below target) and, for "by_row" columns, its "kind"."""

    name: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    currency: str = ""
    note: str = ""
    empty: str = ""
    csv_url: str = ""
    # Share cells coloured by tenths (the cohort heatmap), through classes: the policy
    # allows no inline style.
    heatmap: bool = False
    # A list of figures, a name and a value each: as wide as its text, not the page.
    figures: bool = False

    def _kind(self, column: Column, row: dict) -> str:
        return row.get("kind", "text") if column.kind == "by_row" else column.kind

    def _currency(self, column: Column, row: dict) -> str:
        return row.get(column.currency_key, "") if column.currency_key else self.currency

    def cells(self) -> list[dict[str, Any]]:
        """Each row as the page shows it: its cells' text, whether numeric, a link, a flag."""
        shown = []
        for row in self.rows:
            cells = []
            for column in self.columns:
                kind, value = self._kind(column, row), row.get(column.key)
                heat = self.heatmap and kind == "share" and value is not None
                cells.append(
                    {
                        "text": format_value(value, kind, self._currency(column, row)),
                        "numeric": kind not in {"text", "day", "month"},
                        "href": row.get(column.link_key) if column.link_key else None,
                        "level": min(10, int(float(value) * 10)) if heat else None,
                    }
                )
            shown.append({"cells": cells, "flag": row.get("flag") or ""})
        return shown

    def csv_header(self) -> list[str]:
        header = []
        for column in self.columns:
            if column.kind == "money" and not column.currency_key and self.currency:
                header.append(f"{column.label} ({self.currency})")
            else:
                header.append(column.label)
        if any(column.kind == "by_row" for column in self.columns):
            header.append(_("Currency"))
        return [csv_value(label, "text") for label in header]

    def csv_rows(self) -> list[list[str]]:
        by_row = any(column.kind == "by_row" for column in self.columns)
        lines = []
        for row in self.rows:
            line = []
            for column in self.columns:
                kind, value = self._kind(column, row), row.get(column.key)
                if kind == "money" and value is not None:
                    value = str(minor_to_decimal(int(value), self._currency(column, row)))
                line.append(csv_value(value, kind))
            if by_row:
                money = any(self._kind(c, row) == "money" for c in self.columns)
                line.append(self.currency if money else "")
            lines.append(line)
        return lines


def csv_response(table: Table, *, filename: str) -> HttpResponse:
    """The table as a CSV download (UTF-8 with a byte order mark, so spreadsheets read the
    accents and scripts of every language right)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # Only ASCII letters, digits, dots and dashes in the name: no quoting trouble.
    safe_name = "".join(c if c.isascii() and (c.isalnum() or c in ".-_") else "-" for c in filename)
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(table.csv_header())
    writer.writerows(table.csv_rows())
    return response
