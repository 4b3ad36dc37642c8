"""Labels of stored choice values, fast enough for a list of a hundred rows."""

from django.db.models import Choices


def choice_label(choices: type[Choices], value: str) -> str:
    """`value`'s label in the current language, or `value` itself if it is not a choice.

    Not `get_FOO_display()` nor `value in Choices.values`: both rebuild (and hash) every
    lazy label of the field on each call, which a calendar or a card grid does hundreds of
    times a page.
    """
    try:
        return str(choices(value).label)
    except ValueError:
        return value
