"""Labels of stored choice values, fast enough for a list of a hundred rows."""

from functools import cache

from django.db.models import Choices
from django.utils.translation import get_language


@cache
def _labels(choices: type[Choices], language: str | None) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices.choices}


def choice_label(choices: type[Choices], value: str) -> str:
    """`value`'s label in the current language, or `value` itself if it is not a choice.

    Not `get_FOO_display()` nor `value in Choices.values`: both rebuild (and hash) every
    lazy label of the field on each call, which a calendar or a card grid does hundreds of
    times a page. The labels are worked out once per language.
    """
    return _labels(choices, get_language()).get(str(value), value)
