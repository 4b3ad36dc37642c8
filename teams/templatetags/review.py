"""Showing review comments: the text with its @mentions marked, and timecodes."""

import html
import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ..timecodes import format_timecode

register = template.Library()


@register.filter
def comment_html(comment) -> SafeString:
    """Escaped text, line breaks kept, and each stored mention wrapped in a span."""
    text = escape(comment.text)
    handles = set()
    for user in getattr(comment, "mentioned_users", None) or []:
        handles.update({escape(user.email), escape(user.display_name)})
    if handles:
        pattern = "|".join(re.escape(h) for h in sorted(handles, key=len, reverse=True))
        text = re.sub(
            rf"@({pattern})(?![\w-])",
            lambda m: f'<span class="mention">@{m.group(1)}</span>',
            text,
            flags=re.IGNORECASE,
        )
    return mark_safe(text.replace("\n", "<br>"))  # noqa: S308 - every part was escaped above


@register.filter
def timecode(ms) -> str:
    return format_timecode(ms)


@register.simple_tag
def comment_markers(markers, shown, hide_resolved: bool = False) -> SafeString:
    """The timeline's links, one per thread (`markers`: teams.selectors.ThreadMarker), placed
    by review.js from their times. A thread not among `shown` (the ids on the page) links to
    the page that shows it (`?thread=`).

    Plain string building rather than a template loop or format_html: a version may have
    thousands of threads. Only the label is text; the rest are numbers.
    """
    label = gettext("Comment at %(at)s")
    query = "&amp;resolved=hide" if hide_resolved else ""
    links = []
    for marker in markers:
        state = " is-resolved" if marker.resolved else ""
        kind = " is-range" if marker.end_ms else ""
        page = "" if marker.id in shown else f"?thread={int(marker.id)}{query}"
        end = f' data-end-ms="{int(marker.end_ms)}"' if marker.end_ms else ""
        title = html.escape(label % {"at": format_timecode(marker.time_ms)})
        links.append(
            f'<a class="comment-marker{state}{kind}" href="{page}#comment-{int(marker.id)}"'
            f' data-time-ms="{int(marker.time_ms)}"{end} title="{title}"></a>'
        )
    return mark_safe("".join(links))  # noqa: S308 - numbers, and the label escaped above
