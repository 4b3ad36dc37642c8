"""Which installed font draws a piece of text.

Fonts come from the operating system's packages (Debian: fonts-noto-core, fonts-noto-cjk,
fonts-dejavu-core), never from the repository. They are looked up by file name in the
directories listed in the ``VIDEO_FONT_DIRS`` environment variable (separated by
``os.pathsep``), then under :data:`SYSTEM_FONT_DIRS` (``/usr/share/fonts``,
``/usr/local/share/fonts``); both are read on every lookup, and what was found is cached per
list of directories.

Coverage is decided by the font's character map (read with fontTools), so "this font draws
every character" is a fact about the file, not a guess from the language code:

- Latin, Cyrillic, Greek → Noto Sans (Noto Serif with ``serif=True``); without Noto, DejaVu Sans
  (DejaVu Serif)
- Devanagari → Noto Sans Devanagari (it has no Latin letters: a Hindi title with English words
  is drawn in runs, see :func:`font_runs`)
- kana → Noto Sans CJK JP, Hangul → Noto Sans CJK KR, Han only → Noto Sans CJK SC
- anything else → every other installed Noto font (Arabic, Thai, …), then DejaVu Sans.

Text that no installed font can draw (Japanese with only DejaVu, anything with no fonts at all)
raises ``RenderError("font_missing")``; :func:`languages_without_fonts` tells /healthz which of
our nine languages that would hit.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from .errors import RenderError

FontChoice = tuple[str, int]  # (path, face index inside a .ttc collection)

# Searched after VIDEO_FONT_DIRS; a deployment (or a test) may replace it, e.g. with () to use
# only the folders in VIDEO_FONT_DIRS.
SYSTEM_FONT_DIRS: tuple[str, ...] = ("/usr/share/fonts", "/usr/local/share/fonts")

# file names, (bold, regular)
_LATIN = {
    False: ("NotoSans-Bold.ttf", "NotoSans-Regular.ttf"),
    True: ("NotoSerif-Bold.ttf", "NotoSerif-Regular.ttf"),
}
_DEVANAGARI = {
    False: ("NotoSansDevanagari-Bold.ttf", "NotoSansDevanagari-Regular.ttf"),
    True: ("NotoSerifDevanagari-Bold.ttf", "NotoSerifDevanagari-Regular.ttf"),
}
_CJK = {
    False: (("NotoSansCJK-Bold.ttc", "NotoSansCJK-Regular.ttc"), ("NotoSansCJKjp-Bold.otf",)),
    True: (("NotoSerifCJK-Bold.ttc", "NotoSerifCJK-Regular.ttc"), ()),
}
_DEJAVU = {
    False: ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf"),
    True: ("DejaVuSerif-Bold.ttf", "DejaVuSerif.ttf"),
}
_CJK_REGIONS = ("JP", "KR", "SC", "TC", "HK")


def _is_ignorable(char: str) -> bool:
    if char.isspace():
        return True
    if 0xFE00 <= ord(char) <= 0xFE0F:  # variation selectors
        return True
    return unicodedata.category(char) in {"Cc", "Cf", "Zs", "Zl", "Zp"}


def font_dirs() -> tuple[str, ...]:
    """The folders searched for fonts, in order: VIDEO_FONT_DIRS, then SYSTEM_FONT_DIRS."""
    extra = [d for d in os.environ.get("VIDEO_FONT_DIRS", "").split(os.pathsep) if d]
    return tuple(d for d in (*extra, *SYSTEM_FONT_DIRS) if os.path.isdir(d))


def _font_files() -> dict[str, str]:
    """File name → path of every font file installed (first one wins)."""
    return _scan(font_dirs())


@lru_cache(maxsize=8)
def _scan(dirs: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for root_dir in dirs:
        for root, _dirs, files in sorted(os.walk(root_dir)):
            for name in sorted(files):
                if name.lower().endswith((".ttf", ".otf", ".ttc")):
                    found.setdefault(name, os.path.join(root, name))
    return found


def _find(name: str) -> str | None:
    return _font_files().get(name)


@lru_cache(maxsize=256)
def _cmap(path: str, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    try:
        kwargs = {"fontNumber": index} if path.lower().endswith((".ttc", ".otc")) else {}
        font = TTFont(path, lazy=True, **kwargs)
        try:
            return frozenset(font.getBestCmap() or {})
        finally:
            font.close()
    except Exception:  # an unreadable font covers nothing
        return frozenset()


@lru_cache(maxsize=16)
def _collection_faces(path: str) -> dict[str, int]:
    """Region tag (JP, KR, SC, TC, HK) → face index of a Noto CJK collection."""
    from fontTools.ttLib import TTCollection

    faces: dict[str, int] = {}
    try:
        collection = TTCollection(path, lazy=True)
    except Exception:
        return faces
    try:
        for index, font in enumerate(collection.fonts):
            name = font["name"].getDebugName(4) or ""
            if "Mono" in name:
                continue
            for region in _CJK_REGIONS:
                if f" {region} " in f" {name} " or name.endswith(f" {region}"):
                    faces.setdefault(region, index)
    finally:
        collection.close()
    return faces


def _cjk_face(region: str, *, bold: bool, serif: bool) -> FontChoice | None:
    collections, single_files = _CJK[serif]
    for name in collections if bold else reversed(collections):
        path = _find(name)
        if path:
            faces = _collection_faces(path)
            if region in faces:
                return path, faces[region]
    for name in single_files:
        path = _find(name)
        if path:
            return path, 0
    if serif:  # no serif CJK installed: sans is better than nothing
        return _cjk_face(region, bold=bold, serif=False)
    return None


def _pair(names: tuple[str, str], bold: bool) -> FontChoice | None:
    for name in names if bold else reversed(names):
        path = _find(name)
        if path:
            return path, 0
    return None


def _primary(bold: bool, serif: bool) -> dict[str, FontChoice | None]:
    """The preferred font per script for a weight and style (read-only: it is cached)."""
    return _primary_in(font_dirs(), bold, serif)


@lru_cache(maxsize=16)
def _primary_in(dirs: tuple[str, ...], bold: bool, serif: bool) -> dict[str, FontChoice | None]:
    dejavu = _pair(_DEJAVU[serif], bold) or _pair(_DEJAVU[False], bold)
    return {
        # without Noto, Latin (and Greek, Cyrillic) text is drawn in DejaVu
        "latin": _pair(_LATIN[serif], bold)
        or (_pair(_LATIN[False], bold) if serif else None)
        or dejavu,
        "devanagari": _pair(_DEVANAGARI[serif], bold)
        or (_pair(_DEVANAGARI[False], bold) if serif else None),
        "ja": _cjk_face("JP", bold=bold, serif=serif),
        "ko": _cjk_face("KR", bold=bold, serif=serif),
        "zh": _cjk_face("SC", bold=bold, serif=serif),
        "dejavu": dejavu,
    }


def _extended(bold: bool, serif: bool) -> tuple[FontChoice, ...]:
    """Every other installed Noto font of the weight, sans (or serif) first: the last resort."""
    return _extended_in(font_dirs(), bold, serif)


@lru_cache(maxsize=16)
def _extended_in(dirs: tuple[str, ...], bold: bool, serif: bool) -> tuple[FontChoice, ...]:
    files = _scan(dirs)
    suffix = "-Bold.ttf" if bold else "-Regular.ttf"
    names = (n for n in files if n.startswith("Noto") and n.endswith(suffix))
    first = "NotoSerif" if serif else "NotoSans"
    ordered = sorted(names, key=lambda n: (not n.startswith(first), "Mono" in n, n))
    return tuple((files[n], 0) for n in ordered)


def _scripts(text: str) -> set[str]:
    found = set()
    for char in text:
        code = ord(char)
        if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
            found.add("kana")
        elif 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            found.add("hangul")
        elif (
            0x4E00 <= code <= 0x9FFF
            or 0x3400 <= code <= 0x4DBF
            or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x3134F
        ):
            found.add("han")
        elif 0x0900 <= code <= 0x097F or 0xA8E0 <= code <= 0xA8FF:
            found.add("devanagari")
    return found


def _candidates(text: str, bold: bool, serif: bool) -> list[FontChoice]:
    primary = _primary(bold, serif)
    scripts = _scripts(text)
    if "kana" in scripts:
        order = ["ja", "ko", "zh"]
    elif "hangul" in scripts:
        order = ["ko", "ja", "zh"]
    elif "han" in scripts:
        order = ["zh", "ja", "ko"]
    elif "devanagari" in scripts:
        order = ["devanagari"]
    else:
        order = ["latin"]
    order += [key for key in ("latin", "devanagari", "ja", "ko", "zh") if key not in order]
    seen: list[FontChoice] = []
    for key in order:
        choice = primary[key]
        if choice is not None and choice not in seen:
            seen.append(choice)
    return seen


def _iter_candidates(text: str, bold: bool, serif: bool) -> Iterator[FontChoice]:
    """Preferred fonts for the text's scripts, then every other Noto font, then DejaVu."""
    seen = _candidates(text, bold, serif)
    yield from seen
    for choice in _extended(bold, serif):
        if choice not in seen:
            yield choice
    dejavu = _primary(bold, serif)["dejavu"]
    if dejavu is not None and dejavu not in seen:
        yield dejavu


def _needed(text: str) -> set[int]:
    return {ord(c) for c in text if not _is_ignorable(c)}


def covers(font_path: str, face_index: int, text: str) -> bool:
    """Whether the font's character map has every (non-space, non-control) character of text."""
    return _needed(text) <= _cmap(font_path, face_index)


def font_for_text(text: str, *, bold: bool = True, serif: bool = False) -> FontChoice:
    """(path, face index) of one installed font that has a glyph for every character of text.

    Raises RenderError("font_missing") naming the characters when no single font covers them;
    :func:`font_runs` splits such text into runs that each have a font.
    """
    needed = _needed(text)
    any_font = False
    for choice in _iter_candidates(text, bold, serif):
        any_font = True
        if needed <= _cmap(*choice):
            return choice
    if not any_font:
        raise RenderError("font_missing", _NO_FONTS)
    missing = missing_characters(text, bold=bold, serif=serif)
    if missing:
        raise RenderError("font_missing", _missing_detail(missing))
    raise RenderError("font_missing", f"no single installed font covers all of {text!r}")


def font_runs(text: str, *, bold: bool = True, serif: bool = False) -> list[tuple[str, FontChoice]]:
    """Split text into (run, font) pieces: one piece when the script's own font covers it all.

    Characters go to the script's own font whenever it has them; otherwise a run keeps its font
    while that font has the next character (spaces stay with the run they are in). So a Hindi
    title with an English word becomes Devanagari / Latin / Devanagari runs, and a French title
    with a rare symbol keeps Noto Sans for its letters. Raises RenderError("font_missing") if a
    character has no font at all.
    """

    if not text:
        return []
    preferred = _candidates(text, bold, serif)
    if preferred and _needed(text) <= _cmap(*preferred[0]):
        return [(text, preferred[0])]
    candidates = list(_iter_candidates(text, bold, serif))
    if not candidates:
        raise RenderError("font_missing", _NO_FONTS)
    runs: list[list] = []  # [text, choice or None while only spaces were seen]
    missing: list[str] = []
    own = preferred[0] if preferred else None  # the font of the text's own script
    own_cmap = _cmap(*own) if own else frozenset()
    for char in text:
        current = runs[-1][1] if runs else None
        code = ord(char)
        stay = current is not None and code in _cmap(*current)
        if _is_ignorable(char) or (stay and (current == own or code not in own_cmap)):
            if runs:
                runs[-1][0] += char
            else:
                runs.append([char, None])
            continue
        choice = next((c for c in candidates if code in _cmap(*c)), None)
        if choice is None:
            missing.append(char)
        elif runs and runs[-1][1] is None:
            runs[-1][0] += char
            runs[-1][1] = choice
        else:
            runs.append([char, choice])
    if missing:
        raise RenderError("font_missing", _missing_detail("".join(dict.fromkeys(missing))))
    return [(run, choice or candidates[0]) for run, choice in runs if run]


_NO_FONTS = "no fonts are installed (Debian: fonts-noto-core, fonts-noto-cjk)"


def _missing_detail(missing: str) -> str:
    codes = ", ".join(f"U+{ord(c):04X}" for c in missing)
    return f"no installed font has the characters “{missing}” ({codes})"


def missing_characters(text: str, *, bold: bool = True, serif: bool = False) -> str:
    """The characters of text that no installed font can draw ("" when all can be drawn).

    Handy for form validation: such text would make the render fail with "font_missing".
    """
    candidates = _candidates(text, bold, serif)
    missing = []
    for code in sorted(_needed(text), key=lambda c: text.index(chr(c))):
        if any(code in _cmap(*c) for c in candidates):
            continue
        if not any(code in _cmap(*c) for c in _iter_candidates(text, bold, serif)):
            missing.append(chr(code))
    return "".join(missing)


# A line in each of the nine languages we speak, with the letters special to it.
LANGUAGE_SAMPLES = {
    "en": "The quick brown fox jumps over the lazy dog — 50% off!",
    "es": "¿Dónde está el pingüino? ¡Añádelo ya!",
    "fr": "Dès Noël, où un zéphyr haï me vêt de glaçons, je dîne d'exquis rôtis de bœuf",
    "de": "Größe, Übermaß, Äpfel und Öl",
    "pt": "Promoção de verão: ação, coração, você, à, ê, õ",
    "ja": "夏のセール開催中、カタカナもひらがなも",
    "ko": "여름 세일 진행 중",
    "zh-hans": "夏季促销进行中，欢迎选购",
    "hi": "गर्मियों की सेल, आज ही",
}


def languages_without_fonts() -> list[str]:
    """The languages (of LANGUAGE_SAMPLES, in its order) whose text no installed font can draw,
    in regular or bold: [] when the fonts for all nine are installed."""
    return [
        language
        for language, sample in LANGUAGE_SAMPLES.items()
        if any(missing_characters(sample, bold=bold) for bold in (True, False))
    ]
