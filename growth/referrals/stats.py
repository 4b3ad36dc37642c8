"""The referral programme's figures for staff (/referrals/staff/): pure reads, UTC, a fixed
number of queries whatever the data's size. README.md, "Referral programme figures", defines
each one; the docstrings here say the same.

A period is `[start, end)`: UTC days, `start` included, `end` excluded (the page's form asks
for days with both ends included and passes the day after its last one).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models import DateTimeField as DateTimeOutput
from django.utils import timezone

from accounts.models import User
from billing.models import Payment, PaymentStatus
from teams.models import Role

from .models import Referral, ReferralClick, ReferralCode, ReferralInvitation

QUALITY_DAYS = 60
K_MONTHS = 12

Window = tuple[dt.datetime, dt.datetime]


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def ratio(part: int, whole: int) -> float | None:
    """A share or rate; None when there is nothing to divide by (shown as a dash)."""
    return part / whole if whole else None


def kept_payments() -> Any:
    """Money the business kept: succeeded, not refunded in full, not disputed. A partial refund
    leaves the rest counted (`amount − refunded_amount`); a disputed payment is likely lost."""
    return Payment.objects.filter(
        status=PaymentStatus.SUCCEEDED,
        disputed_at__isnull=True,
        refunded_amount__lt=F("amount"),
    )


def period_figures(*, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Codes made, share-link clicks, sign-ups through a code, referees who first paid, and
    the conversion of the period's sign-ups into paying customers by the period's end."""
    since, until = day_start(start), day_start(end)
    referrals = Referral.objects.aggregate(
        sign_ups=Count("pk", filter=Q(created_at__gte=since, created_at__lt=until)),
        converted=Count(
            "pk", filter=Q(created_at__gte=since, created_at__lt=until, paid_at__lt=until)
        ),
        paying=Count("pk", filter=Q(paid_at__gte=since, paid_at__lt=until)),
    )
    return {
        "codes": ReferralCode.objects.filter(created_at__gte=since, created_at__lt=until).count(),
        "clicks": ReferralClick.objects.filter(clicked_at__gte=since, clicked_at__lt=until).count(),
        **referrals,
        "conversion": ratio(referrals["converted"], referrals["sign_ups"]),
    }


def _counts_by_window(queryset: Any, field: str, windows: list[Window]) -> list[int]:
    """How many rows have `field` in each window: one query for every window."""
    counts = queryset.aggregate(
        **{
            f"w{index}": Count("pk", filter=Q(**{f"{field}__gte": since, f"{field}__lt": until}))
            for index, (since, until) in enumerate(windows)
        }
    )
    return [counts[f"w{index}"] for index in range(len(windows))]


def k_factors(*, windows: list[Window]) -> list[dict[str, Any]]:
    """The viral coefficient K = i × c of each window, in four queries for any number of them.

    - invitations: e-mail invitations created in the window (one per recipient) plus
      share-link clicks in it (a click is counted once per browser);
    - users: accounts that joined before the window's end;
    - i = invitations ÷ users;
    - paying: referees whose first payment fell in the window;
    - c = paying ÷ invitations;
    - K = i × c (which comes to paying ÷ users). None where a divisor is 0.
    """
    emails = _counts_by_window(ReferralInvitation.objects.all(), "created_at", windows)
    clicks = _counts_by_window(ReferralClick.objects.all(), "clicked_at", windows)
    paying = _counts_by_window(Referral.objects.all(), "paid_at", windows)
    # Joined before the window's end: the lower bound is the start of all time.
    before_end = [(day_start(dt.date(1970, 1, 1)), until) for _since, until in windows]
    users = _counts_by_window(User.objects.all(), "date_joined", before_end)
    rows = []
    for index, (since, until) in enumerate(windows):
        invitations = emails[index] + clicks[index]
        i = ratio(invitations, users[index])
        c = ratio(paying[index], invitations)
        rows.append(
            {
                "start": since.date(),
                "end": until.date(),
                "emails": emails[index],
                "clicks": clicks[index],
                "invitations": invitations,
                "users": users[index],
                "paying": paying[index],
                "i": i,
                "c": c,
                "k": i * c if i is not None and c is not None else None,
            }
        )
    return rows


def month_windows(*, last_day: dt.date, months: int = K_MONTHS) -> list[Window]:
    """The `months` calendar months ending with the one `last_day` is in, oldest first."""
    first = last_day.replace(day=1)
    starts = []
    for _ in range(months):
        starts.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    starts.reverse()
    ends = [*starts[1:], (starts[-1] + dt.timedelta(days=32)).replace(day=1)]
    return [(day_start(a), day_start(b)) for a, b in zip(starts, ends, strict=True)]


def quality_rate(*, start: dt.date, end: dt.date, now: dt.datetime | None = None) -> dict:
    """Of the referred customers whose 60th day after their first payment fell in the period
    (and has passed), the share still paying then: the referee owns, today, a workspace with a
    kept payment (`kept_payments`) whose invoice's period covers that 60th day. One query."""
    now = now or timezone.now()
    days = dt.timedelta(days=QUALITY_DAYS)
    mark = ExpressionWrapper(OuterRef("paid_at") + days, output_field=DateTimeOutput())
    paid_then = kept_payments().filter(
        workspace__memberships__user=OuterRef("referee"),
        workspace__memberships__role=Role.OWNER,
        invoice__period_start__lte=mark,
        invoice__period_end__gt=mark,
    )
    cohort = Referral.objects.filter(
        paid_at__gte=day_start(start) - days,
        paid_at__lt=day_start(end) - days,
        paid_at__lte=now - days,
    )
    # The condition goes into the aggregate itself: an annotation filtered on inside
    # `aggregate()` is pruned from the subquery Django builds, and SQLite then reads its
    # quoted name as a string.
    counts = cohort.aggregate(
        customers=Count("pk"), still_paying=Count("pk", filter=Q(Exists(paid_then)))
    )
    return {**counts, "rate": ratio(counts["still_paying"], counts["customers"])}
