"""The calendar's cells, built in Python: a month is 35 to 42 cells and up to a hundred posts,
and the same few lines through the template engine cost more than the rest of the page
together."""

import datetime as dt

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from videocreator.choices import choice_label
from videos.publishing.models import PostStatus

register = template.Library()


def _short(title: str, length: int = 24) -> str:
    return title if len(title) <= length else title[: length - 1] + "…"


def _post(post) -> SafeString:
    publish_at = timezone.localtime(post.schedule.publish_at)
    by_hand = f" ({gettext('by hand')})" if post.manual else ""
    return format_html(
        '<li><a href="{}" class="post-{}" data-status="{}">'
        '<time datetime="{}">{}</time> {}{} · {} '
        '<span class="visually-hidden">({})</span></a></li>',
        reverse("videos:post_detail", args=[post.schedule_id, post.pk]),
        post.status,
        post.status,
        publish_at.isoformat(),
        publish_at.strftime("%H:%M"),
        post.platform_label,
        by_hand,
        _short(post.schedule.video.title),
        choice_label(PostStatus, post.status),
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
        format_html_join("", "{}", ((_post(post),) for post in day["posts"])),
        more,
    )
