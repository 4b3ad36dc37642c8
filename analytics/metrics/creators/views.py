"""The creators' dashboard (/analytics/): every member of the workspace (?workspace=, else the
one chosen in the header) sees how its published videos perform over a date range, as the
page or one of its tables as CSV (`?format=csv&table=<name>`)."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from teams.permissions import workspace_for_page
from videocreator.charts import PLOTLY_CSP, chart_page_context

from ..display import csv_response
from ..views import checked_range, range_presets, range_query, refused_response
from .presentation import (
    creators_charts,
    creators_tables,
    growth_cards,
    insight_sentences,
    overview_cards,
)
from .report import creators_report


@login_required
@require_GET
@csp_update(PLOTLY_CSP)
def creators_dashboard(request: HttpRequest) -> HttpResponse:
    membership = workspace_for_page(request, "view")
    workspace = membership.team
    form, refused = checked_range(request)
    if refused:
        return refused
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    report = creators_report(
        workspace=workspace, start=start, end=end, zone=timezone.get_current_timezone()
    )
    keep = {"workspace": str(workspace.pk)}
    query = range_query(start, end, **keep)
    tables = creators_tables(report, csv_url=lambda name: f"?{query}&format=csv&table={name}")
    if request.GET.get("format") == "csv":
        name = request.GET.get("table", "")
        if name not in tables:
            return refused_response(
                request, [_("Choose a table: %(names)s.") % {"names": ", ".join(tables)}]
            )
        return csv_response(tables[name], filename=f"analytics-{name}-{start}-{end}.csv")
    context = {
        "workspace": workspace,
        "form": form,
        "report": report,
        "overview": overview_cards(report),
        "growth": growth_cards(report),
        "insights": insight_sentences(report),
        "start": start,
        "end": end,
        "notes": form.notes,
        "presets": range_presets(form.today, **keep),
        "keep": keep,
        "tables": tables,
        "charts": creators_charts(report),
        **chart_page_context(),
    }
    return render(request, "metrics/creators.html", context)
