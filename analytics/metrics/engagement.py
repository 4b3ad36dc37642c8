"""Engagement: active users (DAU, WAU, MAU), videos made, activation, and what is used most.

Pure reads over the event log and the videos' tables, in UTC days, each in a fixed number of
queries whatever the amount of data. The definitions are in README.md ("Metric definitions").
The other metric modules (cohorts, adoption) share this module's notion of a *key action* and
its day and range checks.

Every function takes keyword arguments only and raises `ValueError` with a translated message
for arguments a caller could have sent (a reversed or far range, a datetime where a date is
expected); the API maps it to a 400.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TypedDict

from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from analytics.events import EventName
from analytics.models import Event
from integrations.models import Platform
from videos.models import Template, Video

# What counts as someone using the product: signing in, creating, rendering or publishing a
# video. A publication done by the dispatcher at its time has no actor; the person's act is
# scheduling it (`video.scheduled`), or marking a manual post published (which has an actor).
KEY_ACTIONS: tuple[str, ...] = (
    EventName.USER_LOGGED_IN,
    EventName.VIDEO_CREATED,
    EventName.VIDEO_RENDER_REQUESTED,
    EventName.VIDEO_RENDERED,
    EventName.VIDEO_SCHEDULED,
    EventName.VIDEO_PUBLISHED,
)
# A sign-in names a person, not a workspace (a person may belong to several): a workspace is
# active through the key actions done in it.
WORKSPACE_KEY_ACTIONS: tuple[str, ...] = tuple(
    name for name in KEY_ACTIONS if name != EventName.USER_LOGGED_IN
)

FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
# The longest range a per-day series or a range metric accepts (ten years).
MAX_RANGE_DAYS = 3660
ACTIVATION_DAYS = 7
MAX_ACTIVATION_DAYS = 90
MAX_TOP = 100


# -- days and ranges (shared by the metric modules) ---------------------------------------------


def day_start(day: dt.date) -> dt.datetime:
    """Midnight UTC at the start of `day`; a ValueError for anything but a date in range."""
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise ValueError(_("Give a date (year, month and day) without a time."))
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(
            _("Dates must be between %(first)s and %(last)s.")
            % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
        )
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def instant(value: object, *, end: bool = False) -> dt.datetime:
    """A datetime as it is (it must have a time zone, and a day in range); a date as a whole
    UTC day: its midnight, or for an `end` the next midnight."""
    if not isinstance(value, dt.datetime):
        midnight = day_start(value)  # a date in range, or a ValueError
        return midnight + dt.timedelta(days=1) if end else midnight
    if timezone.is_naive(value):
        raise ValueError(_("Give dates and times with a time zone."))
    day_start(value.astimezone(dt.UTC).date())  # in range, or a ValueError
    return value


def day_range(*, start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants [start 00:00, the day after end 00:00) of an inclusive range of days."""
    since, last = day_start(start), day_start(end)
    if end < start:
        raise ValueError(_("The start must not be after the end."))
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise ValueError(
            _("A date range can cover at most %(days)s days.") % {"days": MAX_RANGE_DAYS}
        )
    return since, last + dt.timedelta(days=1)


def whole_number(value: object, *, low: int, high: int, message: str) -> int:
    """`value` if it is an int (not a bool) in [low, high]; else a ValueError with `message`."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(message)
    return value


def ratio(part: int, whole: int) -> float | None:
    """part ÷ whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


# -- active users -------------------------------------------------------------------------------


class ActiveUsers(TypedDict):
    day: dt.date
    dau: int
    wau: int
    mau: int
    dau_mau: float | None


def active_users(*, day: dt.date) -> ActiveUsers:
    """People who did a key action on `day` (DAU), in the 7 days ending with it (WAU) and in
    the 30 days ending with it (MAU), UTC days; DAU/MAU is their stickiness. One query."""
    until = day_start(day) + dt.timedelta(days=1)
    week, month = until - dt.timedelta(days=7), until - dt.timedelta(days=30)
    figures = Event.objects.filter(
        name__in=KEY_ACTIONS,
        actor__isnull=False,
        occurred_at__gte=month,
        occurred_at__lt=until,
    ).aggregate(
        dau=Count("actor", distinct=True, filter=Q(occurred_at__gte=until - dt.timedelta(days=1))),
        wau=Count("actor", distinct=True, filter=Q(occurred_at__gte=week)),
        mau=Count("actor", distinct=True),
    )
    return {
        "day": day,
        "dau": figures["dau"],
        "wau": figures["wau"],
        "mau": figures["mau"],
        "dau_mau": ratio(figures["dau"], figures["mau"]),
    }


def active_users_series(*, start: dt.date, end: dt.date) -> list[ActiveUsers]:
    """`active_users` for every day from `start` to `end` inclusive, in one query: each
    person's active days (from 29 days before `start`), then the trailing windows slide over
    them. What the daily rollup stores; equal to calling `active_users` day by day."""
    # The 29 days before `start` feed its windows; nothing is recorded before FIRST_DAY.
    since, until = day_range(start=max(start - dt.timedelta(days=29), FIRST_DAY), end=end)
    first = start - dt.timedelta(days=29)
    days_active: dict[int, set[int]] = {}  # day offset from `first` → people active that day
    for actor, day in (
        Event.objects.filter(
            name__in=KEY_ACTIONS, actor__isnull=False, occurred_at__gte=since, occurred_at__lt=until
        )
        .annotate(day=TruncDate("occurred_at", tzinfo=dt.UTC))
        .order_by()  # the default ordering would add `occurred_at` to the DISTINCT
        .values_list("actor", "day")
        .distinct()
    ):
        days_active.setdefault((day - first).days, set()).add(actor)
    series: list[ActiveUsers] = []
    offset = (start - first).days
    for index in range((end - start).days + 1):
        today = offset + index
        dau = len(days_active.get(today, ()))
        week = set().union(*(days_active.get(today - back, ()) for back in range(7)))
        month = week.union(*(days_active.get(today - back, ()) for back in range(7, 30)))
        series.append(
            {
                "day": start + dt.timedelta(days=index),
                "dau": dau,
                "wau": len(week),
                "mau": len(month),
                "dau_mau": ratio(dau, len(month)),
            }
        )
    return series


# -- videos -------------------------------------------------------------------------------------


class VideosOnDay(TypedDict):
    day: dt.date
    videos: int


def videos_created_per_day(*, start: dt.date, end: dt.date) -> list[VideosOnDay]:
    """Videos created on each UTC day from `start` to `end` inclusive, days without any
    included as 0. From the `video.created` events, so a video deleted since still counts on
    the day it was made. One query."""
    since, until = day_range(start=start, end=end)
    counts = dict(
        Event.objects.filter(
            name=EventName.VIDEO_CREATED, occurred_at__gte=since, occurred_at__lt=until
        )
        .annotate(day=TruncDate("occurred_at", tzinfo=dt.UTC))
        .values("day")
        .annotate(videos=Count("id"))
        .values_list("day", "videos")
    )
    days = (end - start).days + 1
    return [
        {"day": day, "videos": counts.get(day, 0)}
        for day in (start + dt.timedelta(days=n) for n in range(days))
    ]


class VideosPerUser(TypedDict):
    day: dt.date
    videos: int
    users: int
    creators: int
    per_user: float | None
    per_creator: float | None


def videos_per_user(*, day: dt.date) -> VideosPerUser:
    """Videos created up to the end of `day` (`video.created` events) per account that existed
    then (`User.date_joined`), and per creator (an account that created at least one of them).
    Two queries."""
    until = day_start(day) + dt.timedelta(days=1)
    made = Event.objects.filter(name=EventName.VIDEO_CREATED, occurred_at__lt=until).aggregate(
        videos=Count("id"), creators=Count("actor", distinct=True)
    )
    users = User.objects.filter(date_joined__lt=until).count()
    return {
        "day": day,
        "videos": made["videos"],
        "users": users,
        "creators": made["creators"],
        "per_user": ratio(made["videos"], users),
        "per_creator": ratio(made["videos"], made["creators"]),
    }


class Activation(TypedDict):
    start: dt.date
    end: dt.date
    days: int
    signed_up: int
    activated: int
    rate: float | None


def activation_rate(*, start: dt.date, end: dt.date, days: int = ACTIVATION_DAYS) -> Activation:
    """Of the accounts that signed up (`User.date_joined`) from `start` to `end` inclusive, the
    share whose first video was created (`video.created` by them) within `days` days of
    signing up, the edge included. Sign-ups of the last `days` days may still activate, so a
    recent range's rate can still rise. One query."""
    days = whole_number(
        days,
        low=1,
        high=MAX_ACTIVATION_DAYS,
        message=_("The activation period must be a whole number of days between 1 and %(max)s.")
        % {"max": MAX_ACTIVATION_DAYS},
    )
    since, until = day_range(start=start, end=end)
    # "The first video within N days" is "some video within N days": none can come before.
    made_a_video = Event.objects.filter(
        name=EventName.VIDEO_CREATED,
        actor=OuterRef("pk"),
        occurred_at__lte=OuterRef("date_joined") + dt.timedelta(days=days),
    )
    figures = User.objects.filter(date_joined__gte=since, date_joined__lt=until).aggregate(
        signed_up=Count("pk"), activated=Count("pk", filter=Exists(made_a_video))
    )
    return {
        "start": start,
        "end": end,
        "days": days,
        "signed_up": figures["signed_up"],
        "activated": figures["activated"],
        "rate": ratio(figures["activated"], figures["signed_up"]),
    }


class VideoLength(TypedDict):
    start: dt.date
    end: dt.date
    videos: int
    average_seconds: float | None


def average_video_length(*, start: dt.date, end: dt.date) -> VideoLength:
    """The average length, in seconds, of the videos created from `start` to `end` inclusive
    (`Video.duration_seconds`: the length chosen within the template's limits, which every
    render keeps). Deleted videos are not counted. One query."""
    since, until = day_range(start=start, end=end)
    figures = Video.objects.filter(created_at__gte=since, created_at__lt=until).aggregate(
        videos=Count("id"), average=Avg("duration_seconds")
    )
    average = figures["average"]
    return {
        "start": start,
        "end": end,
        "videos": figures["videos"],
        "average_seconds": float(average) if average is not None else None,
    }


class TemplateUse(TypedDict):
    template_id: int
    key: str
    name: str
    videos: int


def templates_by_use(*, start: dt.date, end: dt.date, limit: int = 10) -> list[TemplateUse]:
    """The templates most used to create videos from `start` to `end` inclusive
    (`template.used` events, so deleted videos count), most used first, ties by key; the
    name in the active language. Two queries."""
    limit = whole_number(
        limit,
        low=1,
        high=MAX_TOP,
        message=_("The number of rows must be between 1 and %(max)s.") % {"max": MAX_TOP},
    )
    since, until = day_range(start=start, end=end)
    uses = list(
        Event.objects.filter(
            name=EventName.TEMPLATE_USED,
            subject_type=Template._meta.label_lower,
            occurred_at__gte=since,
            occurred_at__lt=until,
        )
        .values("subject_id")
        .annotate(videos=Count("id"))
        .values_list("subject_id", "videos")
    )
    templates = Template.objects.in_bulk([int(pk) for pk, _n in uses if pk.isdigit()])
    rows: list[TemplateUse] = [
        {
            "template_id": template.pk,
            "key": template.key,
            "name": str(template.name),
            "videos": videos,
        }
        for pk, videos in uses
        if (template := templates.get(int(pk)) if pk.isdigit() else None) is not None
    ]
    rows.sort(key=lambda row: (-row["videos"], row["key"]))
    return rows[:limit]


class PlatformPosts(TypedDict):
    platform: str
    label: str
    posts: int


def platforms_by_posts(*, start: dt.date, end: dt.date) -> list[PlatformPosts]:
    """Posts published on each platform from `start` to `end` inclusive (`video.published`
    events: by the dispatcher or marked published by hand), most first, ties by platform.
    One query."""
    since, until = day_range(start=start, end=end)
    counts = (
        Event.objects.filter(
            name=EventName.VIDEO_PUBLISHED, occurred_at__gte=since, occurred_at__lt=until
        )
        .annotate(platform=KeyTextTransform("platform", "properties"))
        .values("platform")
        .annotate(posts=Count("id"))
        .values_list("platform", "posts")
    )
    rows: list[PlatformPosts] = [
        {
            "platform": platform or "",
            "label": str(Platform(platform).label) if platform in Platform.values else platform,
            "posts": posts,
        }
        for platform, posts in counts
        if platform
    ]
    rows.sort(key=lambda row: (-row["posts"], row["platform"]))
    return rows


def missing_spans(days: Sequence[dt.date], stored: set[dt.date]) -> Iterable[tuple]:
    """The runs of consecutive `days` not in `stored`, as (first, last)."""
    span: list[dt.date] = []
    for day in days:
        if day in stored:
            if span:
                yield span[0], span[-1]
            span = []
        else:
            span.append(day)
    if span:
        yield span[0], span[-1]
