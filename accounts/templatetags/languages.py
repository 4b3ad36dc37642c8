"""The language switcher's options, built once per language a process serves.

`{% get_language_info %}` in a loop over nine languages cost more than the rest of the page
header together (about 3 ms a page); what it produces depends only on the settings and the
current language, so it is worked out once.
"""

from functools import cache

from django import template
from django.conf import settings
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

register = template.Library()


@cache
def _options(current: str) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}" lang="{}"{}>{}</option>',
        (
            (code, code, mark_safe(" selected") if code == current else "", _name_local(code))
            for code, _name in settings.LANGUAGES
        ),
    )


def _name_local(code: str) -> str:
    return get_language_info(code)["name_local"]


@register.simple_tag
def language_options() -> SafeString:
    """`<option>`s for every language, each named in itself, the current one selected."""
    return _options(get_language())
