"""Reads for the schedule pages and API, each in a fixed number of queries."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from teams.models import Team

from .models import PlatformPost, PublishAttempt, PublishSchedule


def schedules_for_workspace(
    *,
    workspace: Team,
    status: str | None = None,
    platform: str | None = None,
) -> QuerySet[PublishSchedule]:
    schedules = PublishSchedule.objects.filter(workspace=workspace).select_related(
        "video", "requested_by"
    )
    if status:
        schedules = schedules.filter(status=status)
    if platform:
        schedules = schedules.filter(posts__platform=platform).distinct()
    return schedules.prefetch_related(
        Prefetch("posts", queryset=PlatformPost.objects.select_related("account"))
    ).order_by("-publish_at", "-id")


def schedule_detail(*, schedule_id: int) -> QuerySet[PublishSchedule]:
    return PublishSchedule.objects.filter(pk=schedule_id).select_related(
        "video", "version", "requested_by", "workspace"
    )


def post_attempts(*, post: PlatformPost) -> list[PublishAttempt]:
    return list(post.attempt_log.order_by("number", "pk"))


def calendar_weeks(
    *, workspace: Team, year: int, month: int | None = None, week_start: dt.date | None = None
) -> list[list[dict]]:
    """Weeks (Monday first) of days in the current time zone, each with its posts.

    A month view when `month` is given, else the one week starting `week_start`.
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
    start = dt.datetime.combine(days[0], dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    posts = (
        PlatformPost.objects.filter(
            schedule__workspace=workspace,
            schedule__publish_at__gte=start,
            schedule__publish_at__lt=end,
        )
        .select_related("schedule__video", "account")
        .order_by("schedule__publish_at", "platform")
    )
    by_day: dict[dt.date, list[PlatformPost]] = defaultdict(list)
    for post in posts:
        moment = post.published_at or post.schedule.publish_at
        by_day[timezone.localtime(moment, zone).date()].append(post)
    cells = [
        {"date": day, "posts": by_day.get(day, []), "in_month": month is None or day.month == month}
        for day in days
    ]
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]
