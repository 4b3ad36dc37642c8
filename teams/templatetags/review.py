"""Showing review comments: the text with its @mentions marked, and timecodes."""

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .. import review_html
from ..timecodes import format_timecode

register = template.Library()


@register.filter
def comment_html(comment) -> SafeString:
    """Escaped text, line breaks kept, and each stored mention wrapped in a span."""
    return mark_safe(review_html.comment_html(comment))  # noqa: S308 - escaped there


@register.simple_tag(takes_context=True)
def comment_items(context: template.Context) -> SafeString:
    """The `<li>` of each comment of the chunk in `review` (teams.review_html)."""
    can = context.get("can") or {}
    form_context = {
        name: context.get(name)
        for name in ("csrf_token", "video", "version", "hide_resolved", "form")
    }
    return review_html.comment_items(
        context["review"]["comments"],
        me=context["user"].id,
        may_comment=bool(can.get("comment")),
        may_approve=bool(can.get("approve")),
        video_id=context["video"].id,
        hide_resolved=bool(context.get("hide_resolved")),
        editing=context.get("editing"),
        reply_to=context.get("reply_to"),
        form_context=form_context,
    )


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
