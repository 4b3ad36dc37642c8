"""File names made from titles, for downloads (Content-Disposition) and the entries of a ZIP.

A title is NFC-normalised and every letter, combining mark and digit is kept (Unicode
categories L*, M* and N*), in any script: a Hindi title keeps its vowel signs and viramas, a
Japanese one its kana and kanji, a French one its accents. Only what is unsafe or meaningless in
a file name (separators, punctuation, symbols, control characters) is replaced, and a title
with nothing left gets the fallback name.
"""

from __future__ import annotations

import re
import unicodedata

# Punctuation that is harmless in a file name on every system we know, kept as typed.
SAFE_PUNCTUATION = frozenset("-_.()")
# Zero-width (non-)joiners shape Indic and Arabic words (half forms, ligatures): kept too.
JOINERS = frozenset("\u200c\u200d")
MAX_STEM = 80  # characters, not bytes
FALLBACK = "video"


def _kept(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def _words(title: str) -> str:
    """The title with each run of anything but letters, marks, digits and safe punctuation
    turned into one space."""
    text = unicodedata.normalize("NFC", title or "")
    out = []
    for char in text:
        out.append(char if _kept(char) or char in SAFE_PUNCTUATION or char in JOINERS else " ")
    return re.sub(r"\s+", " ", "".join(out))


def _cut(stem: str, limit: int) -> str:
    """At most `limit` characters, never splitting a letter from the marks that follow it."""
    if len(stem) <= limit:
        return stem
    end = limit
    while end > 0 and unicodedata.category(stem[end])[0] == "M":
        end -= 1
    return stem[:end]


def _finish(stem: str, fallback: str, trim: str) -> str:
    stem = _cut(stem.strip(trim), MAX_STEM).strip(trim)
    # A name of only dots and dashes (or nothing) says nothing: use the fallback.
    return stem if any(_kept(char) for char in stem) else fallback


def filename_stem(title: str, *, fallback: str = FALLBACK) -> str:
    """A readable stem: "Été 2025 / promo" → "Été 2025 promo"; "हिंदी उद्धरण" unchanged."""
    return _finish(_words(title), fallback, " .-_")


def filename_slug(title: str, *, fallback: str = FALLBACK) -> str:
    """A lower-case stem with hyphens for spaces: "Été 2025 / promo" → "été-2025-promo"."""
    words = _words(title).lower().strip()
    return _finish(re.sub(r"[ \-]+", "-", words), fallback, " .-_")
