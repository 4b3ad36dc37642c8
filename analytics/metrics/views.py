"""The staff business dashboard (/analytics/business/) and its drill-downs. Staff only: everyone
else gets 404. Every figure comes from `business.business_report`; these views validate the
range, pick the output (the page, or one table as CSV) and hand the report to the page."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.http import staff_required
from videocreator.charts import PLOTLY_CSP, chart_page_context

from .business import MAX_REPORT_DAYS, business_report, movement_breakdown
from .business_charts import business_charts
from .business_tables import (
    MOVEMENT_LABELS,
    TABLE_SECTIONS,
    business_tables,
    highlights,
    movement_table,
)
from .display import csv_response, format_value
from .forms import DateRangeForm

FORMATS = ("html", "csv")


def refused_response(request: HttpRequest, messages: list[str]) -> HttpResponse:
    if request.GET.get("format") == "csv":
        return HttpResponse(
            "\n".join(messages), status=400, content_type="text/plain; charset=utf-8"
        )
    return render(request, "metrics/bad_request.html", {"errors": messages}, status=400)


def range_query(start: dt.date, end: dt.date, **extra: str) -> str:
    return urlencode({**extra, "from": start.isoformat(), "to": end.isoformat()})


def checked_range(request: HttpRequest) -> tuple[DateRangeForm, HttpResponse | None]:
    form = DateRangeForm(request.GET)
    if not form.is_valid():
        return form, refused_response(request, form.messages())
    if request.GET.get("format", "html") not in FORMATS:
        return form, refused_response(request, [_("Choose the format html or csv.")])
    return form, None


def range_presets(today: dt.date, **extra: str) -> list[dict]:
    """Quick ranges ending today (`extra`: parameters every link keeps)."""
    return [
        {
            "label": _("Last %(days)s days") % {"days": days},
            "query": range_query(today - dt.timedelta(days=days - 1), today, **extra),
        }
        for days in (7, 30, 90, MAX_REPORT_DAYS)
    ]


@staff_required
@require_GET
@csp_update(PLOTLY_CSP)
def business_dashboard(request: HttpRequest) -> HttpResponse:
    form, refused = checked_range(request)
    if refused:
        return refused
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    query = range_query(start, end)
    if request.GET.get("format") == "csv":
        name = request.GET.get("table", "")
        if name not in TABLE_SECTIONS:
            return refused_response(
                request,
                [
                    _("Choose a table: %(names)s.") % {"names": ", ".join(TABLE_SECTIONS)},
                ],
            )
        report = business_report(start=start, end=end, sections=[TABLE_SECTIONS[name]])
        table = business_tables(report)[name]
        return csv_response(table, filename=f"business-{name}-{start}-{end}.csv")

    report = business_report(start=start, end=end)
    tables = business_tables(
        report,
        movement_url=lambda kind: reverse("metrics:business_movement", args=[kind]) + f"?{query}",
        csv_url=lambda name: f"?{query}&format=csv&table={name}",
    )
    context = {
        "form": form,
        "report": report,
        "start": start,
        "end": end,
        "query": query,
        "notes": form.notes,
        "presets": range_presets(form.today),
        "tables": tables,
        "charts": business_charts(report),
        "highlights": highlights(report),
        **chart_page_context(),
    }
    return render(request, "metrics/business.html", context)


@staff_required
@require_GET
def business_movement(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in MOVEMENT_LABELS:
        raise Http404
    form, refused = checked_range(request)
    if refused:
        return refused
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    breakdown = movement_breakdown(start=start, end=end, kind=kind)
    table = movement_table(breakdown)
    query = range_query(start, end)
    table.csv_url = f"?{query}&format=csv"
    if request.GET.get("format") == "csv":
        return csv_response(table, filename=f"mrr-{kind}-{start}-{end}.csv")
    context = {
        "form": form,
        "kind": kind,
        "label": MOVEMENT_LABELS[kind],
        "breakdown": breakdown,
        "total_text": format_value(breakdown.get("total"), "money", breakdown["currency"]),
        "table": table,
        "start": start,
        "end": end,
        "query": query,
        "notes": form.notes,
    }
    return render(request, "metrics/business_movement.html", context)
