"""The staff referral programme overview (/referrals/staff/): see stats.py for the figures."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import staff_required


@staff_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/staff.html", {})
