"""Scheduling pages: schedule a video, the calendar and list, a schedule (its posts: posts.py)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import error_messages
from integrations.models import Platform
from integrations.selectors import accounts_for_workspace
from teams.permissions import get_for_user, role_allows

from ..forms import RescheduleForm, ScheduleForm
from ..models import Video
from ..publishing import selectors, services
from ..publishing.models import PublishSchedule, ScheduleStatus
from ._shared import can, current

PER_PAGE = 25
# What can be published by hand: every real platform, whether this server can connect it or not.
MANUAL_PLATFORMS = [key for key in Platform.values if key != Platform.SANDBOX]
# The calendar can be paged this far back and ahead; a date outside is shown at the nearest
# end, so hand-made links (year 1 or 9999) cannot step past what dates can hold.
CALENDAR_PAST = dt.timedelta(days=10 * 366)
CALENDAR_FUTURE = services.SCHEDULE_HORIZON + dt.timedelta(days=366)
# Posts shown in a day's cell; the rest are counted, with a link to the day's list.
MONTH_CAP = 3
WEEK_CAP = 8


def _clamped(day: dt.date, today: dt.date) -> dt.date:
    return min(max(day, today - CALENDAR_PAST), today + CALENDAR_FUTURE)


def _calendar_date(text: str, today: dt.date) -> dt.date:
    """The date a calendar parameter names, clamped to the pageable range; today if invalid."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return today
    return _clamped(day, today)


def _list_day(text: str, today: dt.date) -> dt.date | None:
    """The day the list is limited to (clamped like the calendar's), None for every day.

    Raises ValueError for text that names no date: the view refuses it rather than quietly
    showing every day.
    """
    return _clamped(dt.date.fromisoformat(text), today) if text else None


def _zone_name() -> str:
    return str(timezone.get_current_timezone())


@login_required
@require_http_methods(["GET", "POST"])
def schedule_new(request: HttpRequest, video_id: int) -> HttpResponse:
    video = get_for_user(
        request.user,
        Video.objects.select_related("workspace", "current_version", "template"),
        video_id,
        "schedule",
    )
    accounts = list(accounts_for_workspace(workspace=video.workspace))
    form = ScheduleForm(
        request.POST if request.method == "POST" else None,
        accounts=accounts,
        manual_platforms=MANUAL_PLATFORMS,
    )
    for account in accounts:  # what was typed comes back after a refusal
        account.form_title, account.form_caption = form.typed_for(account.pk)
    manual = []  # the platforms to publish to by hand, with what was typed for each
    for key in MANUAL_PLATFORMS:
        title, caption = form.typed_for(f"manual_{key}")
        label, chosen = Platform(key).label, key in form.chosen_manual()
        manual.append(
            {"key": key, "label": label, "title": title, "caption": caption, "chosen": chosen}
        )
    errors: list[str] = []
    if request.method == "POST" and not form.is_valid():
        # This page shows its errors above the form, as it does for the service's refusals.
        errors = [text for texts in form.errors.values() for text in texts]
    elif request.method == "POST":
        try:
            publish_at = None
            if not form.publishes_now():
                publish_at = services.local_to_utc(form.cleaned_data["moment"], _zone_name())
            schedule = services.schedule_create(
                video=video,
                actor=request.user,
                platforms=form.targets(),
                publish_at=publish_at,
                time_zone=_zone_name(),
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Publishing now.")
                if publish_at is None
                else _("Scheduled for %(when)s.")
                % {"when": timezone.localtime(schedule.publish_at).strftime("%Y-%m-%d %H:%M")},
            )
            return redirect("videos:schedule_detail", schedule_id=schedule.pk)
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    context = {
        "video": video,
        "accounts": accounts,
        "errors": errors,
        "form": {"date": form["date"].value(), "time": form["time"].value()},
        "chosen": form.chosen(),
        "manual": manual,
        "manual_open": any(row["chosen"] for row in manual) or not accounts,
        "zone": _zone_name(),
        "default_date": tomorrow.date().isoformat(),
        "default_time": "09:00",
    }
    return render(request, "videos/schedule_new.html", context, status=400 if errors else 200)


def _next_steps(workspace, role: str, *, shown: bool) -> dict:
    """What an empty schedule tells the user to do next: connect a channel (the sandbox one
    needs no credentials), then schedule a ready video. Asked only when the page shows nothing."""
    has_schedules = shown or PublishSchedule.objects.filter(workspace=workspace).exists()
    if has_schedules:
        return {"has_schedules": True}
    return {
        "has_schedules": has_schedules,
        "has_accounts": accounts_for_workspace(workspace=workspace).exists(),
        "can_schedule": role_allows(role, "schedule"),
    }


@login_required
@require_GET
def schedule_calendar(request: HttpRequest) -> HttpResponse:
    """The calendar (month or week) and the list, with filters."""
    membership = current(request, "view")
    workspace = membership.team
    view = request.GET.get("view", "month")
    today = timezone.localdate()
    context = {"workspace": workspace, "view": view, "zone": _zone_name(), "today": today}
    if view == "list":
        status = (
            request.GET.get("status")
            if request.GET.get("status") in ScheduleStatus.values
            else None
        )
        platform = (
            request.GET.get("platform") if request.GET.get("platform") in Platform.values else None
        )
        try:
            day = _list_day(request.GET.get("day", ""), today)
        except ValueError:
            message = _("The day is not a valid date.")
            return render(request, "400.html", {"message": message}, status=400)
        page = Paginator(
            selectors.schedules_for_workspace(
                workspace=workspace, status=status, platform=platform, day=day
            ),
            PER_PAGE,
        ).get_page(request.GET.get("page"))
        context.update(
            page=page,
            schedules=list(page),
            statuses=ScheduleStatus.choices,
            platforms=Platform.choices,
            status=status or "",
            platform=platform or "",
            day=day,
        )
    elif view == "week":
        start = _calendar_date(request.GET.get("week", ""), today)
        start -= dt.timedelta(days=start.weekday())
        context.update(
            weeks=selectors.calendar_weeks(
                workspace=workspace, year=start.year, week_start=start, per_day=WEEK_CAP
            ),
            period_start=start,
            previous=(start - dt.timedelta(days=7)).isoformat(),
            next=(start + dt.timedelta(days=7)).isoformat(),
        )
    else:
        context["view"] = "month"
        first = _calendar_date(request.GET.get("month", "") + "-01", today).replace(day=1)
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        context.update(
            weeks=selectors.calendar_weeks(
                workspace=workspace, year=first.year, month=first.month, per_day=MONTH_CAP
            ),
            period_start=first,
            previous=previous.strftime("%Y-%m"),
            next=following.strftime("%Y-%m"),
        )
    shown = bool(context.get("schedules")) or any(
        day["posts"] for week in context.get("weeks", []) for day in week
    )
    context.update(_next_steps(workspace, membership.role, shown=shown))
    return render(request, "videos/schedule_calendar.html", context)


def _schedule(request: HttpRequest, schedule_id: int, action: str) -> PublishSchedule:
    return get_for_user(
        request.user, selectors.schedule_detail(schedule_id=schedule_id), schedule_id, action
    )


@login_required
@require_GET
def schedule_detail(request: HttpRequest, schedule_id: int) -> HttpResponse:
    schedule = _schedule(request, schedule_id, "view")
    posts = list(schedule.posts.select_related("account").order_by("platform"))
    context = {
        "schedule": schedule,
        "posts": posts,
        "can": can(schedule.user_role),
        "zone": _zone_name(),
        "can_change": schedule.is_changeable(post.status for post in posts),
        "local": timezone.localtime(schedule.publish_at),
    }
    return render(request, "videos/schedule_detail.html", context)


@login_required
@require_POST
def schedule_cancel(request: HttpRequest, schedule_id: int) -> HttpResponse:
    schedule = _schedule(request, schedule_id, "schedule")
    try:
        services.schedule_cancel(schedule=schedule, actor=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The schedule is cancelled."))
    return redirect("videos:schedule_detail", schedule_id=schedule.pk)


@login_required
@require_POST
def schedule_reschedule(request: HttpRequest, schedule_id: int) -> HttpResponse:
    schedule = _schedule(request, schedule_id, "schedule")
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        error_messages(request, form.errors)
        return redirect("videos:schedule_detail", schedule_id=schedule.pk)
    try:
        publish_at = services.local_to_utc(form.cleaned_data["moment"], _zone_name())
        services.schedule_reschedule(schedule=schedule, actor=request.user, publish_at=publish_at)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("The schedule is moved."))
    return redirect("videos:schedule_detail", schedule_id=schedule.pk)
