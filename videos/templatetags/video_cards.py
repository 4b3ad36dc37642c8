"""A video's card and badges, built in Python: the library shows 24 cards a page, and their
three nested templates cost more than the rest of the page together."""

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext

from videocreator.choices import choice_label
from videocreator.reversing import reverser
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
        media = format_html(
            '<img class="media-fill" src="{}" alt="" loading="lazy">',
            selectors.file_url(video.thumbnail.name),
        )
    else:
        media = mark_safe('<span class="media-placeholder"><span>▶</span></span>')
    select = ""
    if selectable:
        select = format_html(
            '<label class="video-card-select"><input type="checkbox" name="video_ids" value="{}"'
            ' form="export-form"{}> {}</label>',
            video.pk,
            "" if video.status == VideoStatus.READY else mark_safe(" disabled"),
            gettext("Select"),
        )
    version = video.current_version
    created = timezone.localtime(video.created_at)
    return format_html(
        '<li class="card video-card">'
        '<a class="media-frame ratio-{}" href="{}" tabindex="-1" aria-hidden="true">{}</a>{}'
        '<h3 class="video-card-title"><a href="{}">{}</a></h3>'
        '<p class="template-meta">{} {} <span class="muted">{}</span></p>'
        '<p class="muted"><time datetime="{}">{}</time></p>'
        "</li>",
        slugify(video.template.aspect_ratio),
        detail,
        media,
        select,
        detail,
        video.title,
        status_badge(video),
        review_badge(version) if version else "",
        video.template.name,
        created.isoformat(),
        formats.date_format(created, "DATETIME_FORMAT"),
    )
