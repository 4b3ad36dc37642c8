"""The staff referral programme overview (/referrals/staff/): see stats.py and tree.py for the
figures, README.md ("Referral programme figures") for their definitions. Staff only: everyone
else gets 404."""

from __future__ import annotations

import datetime as dt

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.http import staff_required
from analytics.metrics.forms import DEFAULT_DAYS, DateRangeForm
from videocreator.charts import PLOTLY_CSP, chart_page_context

from .models import RewardStatus
from .report import programme_report
from .staff_display import cards, connectors_table, k_chart, k_table


@staff_required
@require_GET
@csp_update(PLOTLY_CSP)
def overview(request: HttpRequest) -> HttpResponse:
    today = timezone.now().astimezone(dt.UTC).date()
    # The business dashboard's range: the same rules and messages.
    form = DateRangeForm(request.GET, today=today)
    if not form.is_valid():
        # The form then offers the default range again, beside what was wrong.
        start = today - dt.timedelta(days=DEFAULT_DAYS - 1)
        errors = [message for messages in form.parameter_errors().values() for message in messages]
        context = {"form": form, "errors": errors, "start": start, "end": today}
        return render(request, "referrals/staff.html", context, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    # The form's days include both ends; the figures take the day after the last one.
    report = programme_report(start=start, end=end + dt.timedelta(days=1))
    review_url = reverse("admin:referrals_referralreward_changelist")
    context = {
        "form": form,
        "start": start,
        "end": end,
        "notes": form.notes,
        "report": report,
        "cards": cards(report),
        "k_figure": k_chart(report),
        "k_table": k_table(report),
        "connectors": connectors_table(report),
        "review_url": f"{review_url}?status__exact={RewardStatus.PENDING_REVIEW}",
        **chart_page_context(),
    }
    return render(request, "referrals/staff.html", context)
