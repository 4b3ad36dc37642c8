"""Template helpers for stored video files: time-limited links, never public paths."""

from django import template

from videos import selectors

register = template.Library()


@register.filter
def media_url(stored) -> str:
    """`{{ video.thumbnail|media_url }}`: a signed or presigned link, or "" without a file."""
    return selectors.file_url(getattr(stored, "name", stored) or "")
