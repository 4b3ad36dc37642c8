"""Find gettext catalog entries that would show users English or broken text.

A catalog fails when an entry is missing (present in the English catalog but
not in the language's), untranslated, fuzzy, or when its placeholders differ
from the source string's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polib

# %(name)s, %s, %d, %% — and {name} for python-brace-format strings.
PERCENT_PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]+)\))?[#0 +-]*\d*(?:\.\d+)?(?P<type>[sdifrx%])"
)
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}(?!\})")
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Problem:
    language: str
    msgid: str
    reason: str

    def __str__(self) -> str:
        msgid = self.msgid if len(self.msgid) <= 70 else self.msgid[:67] + "..."
        return f"[{self.language}] {self.reason}: {msgid!r}"


def placeholders(text: str, entry: polib.POEntry) -> tuple[frozenset[str], int]:
    """Named placeholders, and the count of positional ones."""
    names: set[str] = set()
    positional = 0
    for match in PERCENT_PLACEHOLDER.finditer(text):
        if match["type"] == "%":
            continue
        if match["name"]:
            names.add(match["name"])
        else:
            positional += 1
    if "python-brace-format" in entry.flags:
        names.update(m["name"] for m in BRACE_PLACEHOLDER.finditer(text))
    return frozenset(names), positional


def locale_dirname(language: str) -> str:
    from django.utils.translation import to_locale

    return to_locale(language)


def _entries(path: Path) -> dict[tuple[str, str], polib.POEntry]:
    catalog = polib.pofile(str(path))
    return {(e.msgctxt or "", e.msgid): e for e in catalog if not e.obsolete}


def _check_entry(language: str, entry: polib.POEntry) -> list[Problem]:
    if "fuzzy" in entry.flags:
        return [Problem(language, entry.msgid, "fuzzy")]
    if entry.msgid_plural:
        forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
        if not forms or any(not form.strip() for form in forms):
            return [Problem(language, entry.msgid, "untranslated plural form")]
        singular = placeholders(entry.msgid, entry)
        plural = placeholders(entry.msgid_plural, entry)
        allowed = singular[0] | plural[0]
        used = [placeholders(form, entry) for form in forms]
        if any(not names <= allowed for names, _count in used):
            return [Problem(language, entry.msgid, "unknown placeholder in a plural form")]
        if not plural[0] <= frozenset().union(*(names for names, _count in used)):
            return [Problem(language, entry.msgid, "placeholder missing from plural forms")]
        return []
    if not entry.msgstr.strip():
        return [Problem(language, entry.msgid, "untranslated")]
    if placeholders(entry.msgid, entry) != placeholders(entry.msgstr, entry):
        return [Problem(language, entry.msgid, "placeholders differ")]
    return []


def check_catalogs(locale_dir: Path, languages: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    source_path = locale_dir / locale_dirname(SOURCE_LANGUAGE) / "LC_MESSAGES" / "django.po"
    if not source_path.exists():
        return [Problem(SOURCE_LANGUAGE, str(source_path), "catalog missing")]
    source = _entries(source_path)
    for language in languages:
        if language == SOURCE_LANGUAGE:
            continue
        path = locale_dir / locale_dirname(language) / "LC_MESSAGES" / "django.po"
        if not path.exists():
            problems.append(Problem(language, str(path), "catalog missing"))
            continue
        entries = _entries(path)
        for key, source_entry in source.items():
            entry = entries.get(key)
            if entry is None:
                problems.append(Problem(language, source_entry.msgid, "missing"))
            else:
                problems.extend(_check_entry(language, entry))
    return problems
