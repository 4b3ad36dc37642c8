"""A moment as HTML for the pages written in Python (review threads, video cards, the schedule
list): one place for the `<time>` element they share."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.html import escape


def local_time_html(value: dt.datetime, *, css_class: str = "") -> str:
    """`<time>` with the ISO moment and, as its text, the moment in the reader's zone in their
    language's DATETIME_FORMAT; escaped, ready to put in a page."""
    local = timezone.localtime(value)
    attribute = f' class="{css_class}"' if css_class else ""
    text = escape(formats.date_format(local, "DATETIME_FORMAT"))
    return f'<time{attribute} datetime="{local.isoformat()}">{text}</time>'
