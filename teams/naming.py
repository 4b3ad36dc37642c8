"""Workspace names: the length the column holds, shortening without splitting a letter from its
accents, and the personal workspace's name ("Ana's workspace") in the active language."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

NAME_MAX_LENGTH = 100


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when cut, and never between a
    letter and the accents, variation selectors or joiners that go with it."""
    if len(text) <= limit:
        return text
    end = max(limit - 1, 0)
    while end > 0 and _goes_with_previous(text[end]):
        end -= 1
    cut = text[:end]
    while cut and unicodedata.category(cut[-1]) == "Cf":  # a joiner left with nothing to join
        cut = cut[:-1]
    return cut.rstrip() + "…"


def _goes_with_previous(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me", "Cf")


def personal_workspace_name(person: str) -> str:
    """ "<person>'s workspace" in the active language, the person's name shortened so that the
    whole fits the column (the pattern's length differs between languages)."""
    pattern = _("%(name)s's workspace")
    room = NAME_MAX_LENGTH - len(pattern % {"name": ""})
    return shorten(pattern % {"name": shorten(person, room)}, NAME_MAX_LENGTH)
