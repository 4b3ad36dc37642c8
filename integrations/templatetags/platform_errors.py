from django import template

from ..messages import translate_error

register = template.Library()


@register.filter
def platform_error(text: str) -> str:
    """A stored publishing error in the reader's language (see integrations.messages)."""
    return translate_error(text)
