"""Every language's text gets a font that really has its glyphs (checked in the font's cmap)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from videos.rendering import RenderError, covers, font_for_text, missing_characters
from videos.rendering.fonts import font_runs

NOTO = Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
NOTO_DEVANAGARI = Path("/usr/share/fonts/truetype/noto/NotoSansDevanagari-Bold.ttf")

pytestmark = pytest.mark.skipif(
    not (NOTO.exists() and NOTO_CJK.exists() and NOTO_DEVANAGARI.exists()),
    reason="Noto fonts missing (Debian: apt install fonts-noto-core fonts-noto-cjk)",
)

SAMPLES = {
    "en": ("Summer sale — 50% off", "NotoSans-Bold.ttf", None),
    "es": ("Oferta de verano: ¡ahora!", "NotoSans-Bold.ttf", None),
    "fr": ("Soldes d'été « jusqu'à 50 % »", "NotoSans-Bold.ttf", None),
    "de": ("Sommerschlussverkauf: Größen", "NotoSans-Bold.ttf", None),
    "pt": ("Promoção de verão", "NotoSans-Bold.ttf", None),
    "ja": ("夏のセール開催中", "NotoSansCJK-Bold.ttc", "JP"),
    "ko": ("여름 세일 진행 중", "NotoSansCJK-Bold.ttc", "KR"),
    "zh-hans": ("夏季促销进行中", "NotoSansCJK-Bold.ttc", "SC"),
    "hi": ("गर्मियों की सेल, आज ही", "NotoSansDevanagari-Bold.ttf", None),
}


def cmap(path: str, index: int) -> set[int]:
    font = TTFont(path, fontNumber=index) if path.endswith(".ttc") else TTFont(path)
    try:
        return set(font.getBestCmap())
    finally:
        font.close()


def face_name(path: str, index: int) -> str:
    font = TTFont(path, fontNumber=index) if path.endswith(".ttc") else TTFont(path)
    try:
        return font["name"].getDebugName(4)
    finally:
        font.close()


def visible(text: str) -> set[int]:
    return {ord(c) for c in text if not c.isspace() and unicodedata.category(c) not in {"Cc", "Cf"}}


@pytest.mark.parametrize("language", SAMPLES)
def test_font_for_text_covers_every_character(language):
    text, expected_file, region = SAMPLES[language]
    path, index = font_for_text(text)
    assert visible(text) <= cmap(path, index), language
    assert covers(path, index, text)
    assert Path(path).name == expected_file
    if region:
        assert f" {region} " in f" {face_name(path, index)} ", face_name(path, index)


@pytest.mark.parametrize("language", SAMPLES)
def test_regular_and_serif_weights_cover_too(language):
    text = SAMPLES[language][0]
    for kwargs in ({"bold": False}, {"serif": True}, {"serif": True, "bold": False}):
        path, index = font_for_text(text, **kwargs)
        assert visible(text) <= cmap(path, index), (language, kwargs)
    assert "Regular" in Path(font_for_text(text, bold=False)[0]).name


def test_kana_with_kanji_is_japanese_and_hangul_is_korean():
    assert "SC" in face_name(*font_for_text("東京"))  # Han only: the Simplified Chinese face
    assert "JP" in face_name(*font_for_text("東京で発売する"))  # kana makes it Japanese
    assert "KR" in face_name(*font_for_text("서울 Seoul 2025"))


def test_mixed_devanagari_and_latin_is_drawn_in_runs():
    text = "Summer सेल 50%"
    runs = font_runs(text)
    assert "".join(run for run, _font in runs) == text
    assert len({font for _run, font in runs}) == 2
    for run, (path, index) in runs:
        assert visible(run) <= cmap(path, index), run
    with pytest.raises(RenderError) as error:  # no single file covers both scripts
        font_for_text(text)
    assert error.value.code == "font_missing"
    assert missing_characters(text) == ""


def test_a_rare_symbol_does_not_change_the_font_of_the_letters():
    text = "Soldes d'été : −50 %"  # U+2212 MINUS SIGN is not in Noto Sans
    runs = font_runs(text)
    assert Path(runs[0][1][0]).name == "NotoSans-Bold.ttf" and runs[0][0].startswith("Soldes")
    assert Path(runs[-1][1][0]).name == "NotoSans-Bold.ttf"
    for run, (path, index) in runs:
        assert visible(run) <= cmap(path, index), run
    path, index = font_for_text(text)  # one file that has everything
    assert visible(text) <= cmap(path, index)


def test_characters_no_font_has_are_named():
    text = "Sale \ue000\ue001"
    assert missing_characters(text) == "\ue000\ue001"
    with pytest.raises(RenderError) as error:
        font_for_text(text)
    assert error.value.code == "font_missing"
    assert "\ue000" in error.value.detail


def test_covers_is_false_for_missing_glyphs():
    assert not covers(str(NOTO), 0, "夏")
    assert covers(str(NOTO), 0, " \n\t")  # whitespace needs no glyph
