"""The calendar's cells and the schedule list's rows, built in Python: a month is 35 to 42
cells and up to a hundred posts, and the same few lines through the template engine cost more
than the rest of the page together."""

import datetime as dt
from collections.abc import Callable

from django import template
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from integrations.models import Platform
from videocreator.choices import choice_label
from videocreator.reversing import reverser
from videocreator.times import local_time_html
from videos.publishing.models import PostStatus
from videos.publishing.selectors import CalendarPost

register = template.Library()


def _short(title: str, length: int = 24) -> str:
    return title if len(title) <= length else title[: length - 1] + "…"


def _post(post: CalendarPost, *, post_url: Callable[..., str], by_hand: str) -> str:
    publish_at = timezone.localtime(post.publish_at)
    return (
        f'<li><a href="{post_url(post.schedule_id, post.id)}" class="post-{escape(post.status)}"'
        f' data-status="{escape(post.status)}"><time datetime="{publish_at.isoformat()}">'
        f"{publish_at:%H:%M}</time> {escape(choice_label(Platform, post.platform))}"
        f"{by_hand if post.manual else ''} · {escape(_short(post.title))} "
        f'<span class="visually-hidden">({escape(choice_label(PostStatus, post.status))})'
        "</span></a></li>"
    )


@register.simple_tag
def calendar_day(day: dict, today: dt.date) -> SafeString:
    """A day's cell (from `calendar_weeks`): its number, its first posts linking to each post
    (time in the viewer's zone, platform, video title, status for screen readers), and
    "+k more" linking to the day's list."""
    classes = " ".join(
        name
        for name, applies in (
            ("is-outside", not day["in_month"]),
            ("is-today", day["date"] == today),
        )
        if applies
    )
    post_url = reverser("videos:post_detail", 2)
    by_hand = escape(f" ({gettext('by hand')})")
    more = ""
    if day["more"]:
        more = format_html(
            '<a class="calendar-more" href="?view=list&amp;day={}">{}</a>',
            day["date"].isoformat(),
            ngettext("+%(counter)s more", "+%(counter)s more", day["more"])
            % {"counter": day["more"]},
        )
    return format_html(
        '<td class="{}"><span class="calendar-day">{}</span>'
        '<ul class="calendar-posts" role="list">{}</ul>{}</td>',
        classes,
        day["date"].day,
        mark_safe(  # noqa: S308 - every part escaped by _post
            "".join(_post(post, post_url=post_url, by_hand=by_hand) for post in day["posts"])
        ),
        more,
    )


@register.simple_tag
def post_status_badge(status: str, label: str) -> SafeString:
    """A post's or a schedule's status as a badge: a tag, not an include, because the schedule
    list shows one per post (an include costs more than the rest of a row)."""
    return format_html(
        '<span class="badge post-{}" data-status="{}">{}</span>', status, status, label
    )


@register.simple_tag
def schedule_rows(schedules: list) -> SafeString:
    """The schedule list's rows, built here for the same reason as the calendar's cells: when
    (in the viewer's zone, linking to the schedule), the video, each post's platform and
    status, and the schedule's status."""
    schedule_url = reverser("videos:schedule_detail")
    rows = []
    for schedule in schedules:
        posts = " ".join(
            post_status_badge(post.status, choice_label(Platform, post.platform))
            for post in schedule.posts.all()
        )
        rows.append(
            f'<tr><td><a href="{schedule_url(schedule.id)}">{local_time_html(schedule.publish_at)}'
            "</a></td>"
            f"<td>{escape(schedule.video.title)}</td><td>{posts}</td>"
            f"<td>{post_status_badge(schedule.status, schedule.get_status_display())}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every part escaped above
