"""Reads for the schedule pages and API, each in a fixed number of queries."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from typing import NamedTuple

from django.db.models import Count, F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from teams.models import Team

from .models import PlatformPost, PublishAttempt, PublishSchedule


def _local_days(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of `first` to the end of `last`, in the current time zone."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def schedules_for_workspace(
    *,
    workspace: Team,
    status: str | None = None,
    platform: str | None = None,
    day: dt.date | None = None,
) -> QuerySet[PublishSchedule]:
    """Newest first; one day's (in the current time zone) in the order they go out."""
    schedules = PublishSchedule.objects.filter(workspace=workspace).select_related("video")
    if status:
        schedules = schedules.filter(status=status)
    if platform:
        schedules = schedules.filter(posts__platform=platform).distinct()
    if day is not None:
        start, end = _local_days(day, day)
        schedules = schedules.filter(publish_at__gte=start, publish_at__lt=end)
    # The list shows each post's platform and status, nothing of its account.
    posts = PlatformPost.objects.only("schedule_id", "platform", "status")
    order = ["publish_at", "id"] if day is not None else ["-publish_at", "-id"]
    return schedules.prefetch_related(Prefetch("posts", queryset=posts)).order_by(*order)


def schedule_detail(*, schedule_id: int) -> QuerySet[PublishSchedule]:
    return PublishSchedule.objects.filter(pk=schedule_id).select_related(
        "video", "version", "requested_by", "workspace"
    )


def post_attempts(*, post: PlatformPost) -> list[PublishAttempt]:
    return list(post.attempt_log.order_by("number", "pk"))


class CalendarPost(NamedTuple):
    """A post as a calendar cell shows it."""

    id: int
    schedule_id: int
    platform: str
    manual: bool
    status: str
    publish_at: dt.datetime
    title: str


def calendar_weeks(
    *,
    workspace: Team,
    year: int,
    per_day: int,
    month: int | None = None,
    week_start: dt.date | None = None,
) -> list[list[dict]]:
    """Weeks (Monday first) of days in the current time zone, each with its first `per_day`
    posts and how many more it has, in one query.

    A month view when `month` is given, else the one week starting `week_start`. A post is on
    the day of its schedule's publish time, as the cell and the day's list show it.
    """
    zone = timezone.get_current_timezone()
    if month is not None:
        days = [
            day
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
            for day in week
        ]
    else:
        days = [week_start + dt.timedelta(days=n) for n in range(7)]
    start, end = _local_days(days[0], days[-1])
    local_day = TruncDate("schedule__publish_at", tzinfo=zone)
    # Only the posts shown become rows: each day's first `per_day` by a window over the day,
    # with the day's total from a second window over the same rows. Plain rows, not models: a
    # month shows up to a hundred posts, and building a post, its schedule and its video for
    # each cost more than the query.
    rows = (
        PlatformPost.objects.filter(
            schedule__workspace=workspace,
            schedule__publish_at__gte=start,
            schedule__publish_at__lt=end,
        )
        .annotate(
            day=local_day,
            rank=Window(
                RowNumber(),
                partition_by=[local_day],
                order_by=[F("schedule__publish_at").asc(), F("platform").asc(), F("id").asc()],
            ),
            day_total=Window(Count("id"), partition_by=[local_day]),
        )
        .filter(rank__lte=per_day)
        # What a cell shows: never the captions, the progress or the account's tokens.
        .values_list(
            "id",
            "schedule_id",
            "platform",
            "manual",
            "status",
            "schedule__publish_at",
            "schedule__video__title",
            "day",
            "day_total",
        )
        .order_by("schedule__publish_at", "platform", "id")
    )
    by_day: dict[dt.date, list[CalendarPost]] = defaultdict(list)
    totals: dict[dt.date, int] = {}
    for *fields, day, day_total in rows:
        by_day[day].append(CalendarPost(*fields))
        totals[day] = day_total
    cells = [
        {
            "date": day,
            "posts": by_day.get(day, []),
            "more": totals.get(day, 0) - len(by_day.get(day, [])),
            "in_month": month is None or day.month == month,
        }
        for day in days
    ]
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]
