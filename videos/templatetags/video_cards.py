"""A video's card and badges, built in Python: the library shows 24 cards a page, and their
three nested templates cost more than the rest of the page together."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext

from videocreator.choices import choice_label
from videocreator.reversing import reverser
from videocreator.times import local_time_html
from videos import selectors
from videos.models import ReviewState, VideoStatus

register = template.Library()


@register.simple_tag
def status_badge(video) -> SafeString:
    """The render status, with the progress while queued or rendering."""
    progress = f" {video.progress}%" if video.is_busy else ""
    return format_html(
        '<span class="badge status-badge status-{}">{}{}</span>',
        video.status,
        choice_label(VideoStatus, video.status),
        progress,
    )


@register.simple_tag
def review_badge(version) -> SafeString:
    """A version's review state."""
    return format_html(
        '<span class="badge review-{}" data-review-state="{}">{}</span>',
        version.review_state,
        version.review_state,
        choice_label(ReviewState, version.review_state),
    )


@register.simple_tag
def video_card(video, selectable: bool = False) -> SafeString:
    """A video in the library: thumbnail, title, status, review state, template, date.

    `selectable` adds the checkbox of the export form (only ready videos can be chosen).
    """
    detail = reverser("videos:detail")(video.pk)  # a list has dozens of cards
    if video.thumbnail:
        url = escape(selectors.file_url(video.thumbnail.name))
        media = f'<img class="media-fill" src="{url}" alt="" loading="lazy">'
    else:
        media = '<span class="media-placeholder"><span>▶</span></span>'
    select = ""
    if selectable:
        disabled = "" if video.status == VideoStatus.READY else " disabled"
        select = (
            '<label class="video-card-select"><input type="checkbox" name="video_ids"'
            f' value="{video.pk}" form="export-form"{disabled}> {escape(gettext("Select"))}'
            "</label>"
        )
    version = video.current_version
    # f-strings and escape(): format_html's escaping of each argument was a tenth of the list.
    return mark_safe(  # noqa: S308 - every variable part escaped here or by the badges
        f'<li class="card video-card"><a class="media-frame'
        f' ratio-{slugify(video.template.aspect_ratio)}" href="{detail}" tabindex="-1"'
        f' aria-hidden="true">{media}</a>{select}'
        f'<h3 class="video-card-title"><a href="{detail}">{escape(video.title)}</a></h3>'
        f'<p class="template-meta">{status_badge(video)} {review_badge(version) if version else ""}'
        f' <span class="muted">{escape(video.template.name)}</span></p>'
        f'<p class="muted">{local_time_html(video.created_at)}</p></li>'
    )
