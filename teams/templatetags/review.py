"""Showing review comments: the text with its @mentions marked, and timecodes."""

import re

from django import template
from django.utils import timezone
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


@register.filter(expects_localtime=False)
def local_iso(moment) -> str:
    """The moment in the reader's time zone as ISO 8601, for <time datetime>: what
    |date:"c" writes, without Django's date formatting machinery (a review page has dozens)."""
    return timezone.localtime(moment).isoformat() if moment else ""


@register.filter
def timecode(ms) -> str:
    return format_timecode(ms)


@register.simple_tag
def comment_marker_label() -> str:
    """A marker's label, with the placeholder review.js fills with the thread's timecode
    (written as format_timecode writes it)."""
    return gettext("Comment at %(at)s")
