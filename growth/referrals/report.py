"""Everything the staff referral page shows for one period: stats.py's figures and tree.py's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import ReferralReward, RewardStatus
from .stats import day_start, k_factors, month_windows, period_figures, quality_rate
from .tree import referral_tree_report


def programme_report(
    *, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The figures of `[start, end)` (UTC days, `end` excluded), K for each of the twelve
    calendar months ending with the period's last one, and the rewards waiting for review."""
    months = month_windows(last_day=end - dt.timedelta(days=1))
    # The period's K and the months' in the same four queries.
    period_k, *monthly_k = k_factors(windows=[(day_start(start), day_start(end)), *months])
    return {
        "start": start,
        "end": end,
        **period_figures(start=start, end=end),
        "k": period_k,
        "k_months": monthly_k,
        "quality": quality_rate(start=start, end=end, now=now),
        **referral_tree_report(start=start, end=end),
        "pending_review": ReferralReward.objects.filter(status=RewardStatus.PENDING_REVIEW).count(),
    }
