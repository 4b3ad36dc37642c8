"""Rendering on a machine without the recommended Noto fonts.

The font search is pointed at a folder of our own through the module's knobs
(``VIDEO_FONT_DIRS`` and ``SYSTEM_FONT_DIRS``): one holding only DejaVu (Debian's
fonts-dejavu-core, installed almost everywhere), and an empty one. Latin text must render in
DejaVu; text no font covers must fail with ``font_missing`` and say so, not blame the uploads.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from videos import services
from videos.models import VideoStatus
from videos.rendering import RenderError, font_for_text, fonts, missing_characters

from .conftest import api_for

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
DEJAVU_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf")

needs_dejavu = pytest.mark.skipif(
    not all((DEJAVU / name).exists() for name in DEJAVU_FILES),
    reason="DejaVu fonts missing (Debian: apt install fonts-dejavu-core)",
)

LATIN = {
    "en": "Summer sale — 50% off",
    "es": "Oferta de verano: ¡ahora!",
    "fr": "Soldes d'été « jusqu'à 50 % »",
    "de": "Sommerschlussverkauf: Größen",
    "pt": "Promoção de verão",
}
JAPANESE = "夏のセール開催中"


def _search_only(monkeypatch, folder: Path) -> None:
    """Fonts are looked up in folder and nowhere else (no /usr/share/fonts)."""
    monkeypatch.setenv("VIDEO_FONT_DIRS", str(folder))
    monkeypatch.setattr(fonts, "SYSTEM_FONT_DIRS", ())


@pytest.fixture
def only_dejavu(monkeypatch, tmp_path) -> Path:
    folder = tmp_path / "fonts-dejavu"
    folder.mkdir()
    for name in DEJAVU_FILES:
        os.symlink(DEJAVU / name, folder / name)
    _search_only(monkeypatch, folder)
    return folder


@pytest.fixture
def no_fonts(monkeypatch, tmp_path) -> Path:
    folder = tmp_path / "no-fonts"
    folder.mkdir()
    _search_only(monkeypatch, folder)
    return folder


# -- choosing fonts ---------------------------------------------------------------------------


@needs_dejavu
@pytest.mark.parametrize("language", LATIN)
def test_latin_text_falls_back_to_dejavu(only_dejavu, language):
    text = LATIN[language]
    assert Path(font_for_text(text)[0]).name == "DejaVuSans-Bold.ttf"
    assert Path(font_for_text(text, bold=False)[0]).name == "DejaVuSans.ttf"
    assert Path(font_for_text(text, serif=True)[0]).name == "DejaVuSerif-Bold.ttf"
    runs = fonts.font_runs(text)
    assert "".join(run for run, _font in runs) == text
    assert {Path(path).name for _run, (path, _index) in runs} == {"DejaVuSans-Bold.ttf"}
    assert missing_characters(text) == ""


@needs_dejavu
def test_japanese_with_only_dejavu_is_font_missing(only_dejavu):
    for draw in (font_for_text, fonts.font_runs):
        with pytest.raises(RenderError) as error:
            draw(JAPANESE)
        assert error.value.code == "font_missing"
        assert "夏" in error.value.detail
    assert missing_characters("Sale " + JAPANESE) == JAPANESE.replace(" ", "")


def test_no_fonts_at_all_is_font_missing(no_fonts):
    for draw in (font_for_text, fonts.font_runs):
        for text in (LATIN["en"], JAPANESE, " "):
            with pytest.raises(RenderError) as error:
                draw(text)
            assert error.value.code == "font_missing", text


# -- rendering, as a creator sees it ----------------------------------------------------------


def _render(video, owner, capture):
    with capture(execute=True):
        services.video_render(video=video, actor=owner)
    video.refresh_from_db()
    return video


@needs_dejavu
@pytest.mark.django_db
def test_a_latin_video_renders_with_only_dejavu(
    only_dejavu, template, workspace, owner, django_capture_on_commit_callbacks
):
    video = services.video_create(
        workspace=workspace,
        template=template,
        title="Teaser",
        actor=owner,
        duration=1,
        fields={"headline": LATIN["fr"], "labels": "Été, Größe, Ação"},
    )
    video = _render(video, owner, django_capture_on_commit_callbacks)
    assert (video.status, video.error_code, video.error_detail) == (VideoStatus.READY, "", "")


def _assert_fails_for_a_missing_font(video, owner):
    assert video.status == VideoStatus.FAILED
    assert video.error_code == "font_missing", video.error_detail
    response = api_for(owner).get(f"/api/v1/videos/{video.pk}/")
    message = response.json()["error"]
    assert message == services.render_error_message("font_missing")
    assert "font" in message
    assert message != services.render_error_message("bad_input")


@needs_dejavu
@pytest.mark.django_db
def test_a_japanese_video_with_only_dejavu_fails_for_a_missing_font(
    only_dejavu, template, workspace, owner, django_capture_on_commit_callbacks
):
    video = services.video_create(
        workspace=workspace,
        template=template,
        title="Teaser",
        actor=owner,
        duration=1,
        fields={"headline": JAPANESE},
    )
    video = _render(video, owner, django_capture_on_commit_callbacks)
    _assert_fails_for_a_missing_font(video, owner)
    assert "夏" in video.error_detail


@pytest.mark.django_db
def test_a_video_without_any_font_installed_fails_for_a_missing_font(
    no_fonts, template, workspace, owner, django_capture_on_commit_callbacks
):
    video = services.video_create(
        workspace=workspace, template=template, title="Teaser", actor=owner, duration=1
    )
    video = _render(video, owner, django_capture_on_commit_callbacks)
    _assert_fails_for_a_missing_font(video, owner)


# -- /healthz ---------------------------------------------------------------------------------


@needs_dejavu
@pytest.mark.django_db
def test_healthz_names_the_languages_without_a_font(only_dejavu, client):
    response = client.get("/healthz")
    assert response.status_code == 200  # informational, like "workers"
    fonts_field = response.json()["fonts"]
    assert fonts_field == {"status": "missing", "missing": ["ja", "ko", "zh-hans", "hi"]}


@pytest.mark.django_db
def test_healthz_without_any_font(no_fonts, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["fonts"]["status"] == "missing"
    assert body["fonts"]["missing"] == ["en", "es", "fr", "de", "pt", "ja", "ko", "zh-hans", "hi"]


@pytest.mark.skipif(
    not (
        Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf").exists()
        and Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc").exists()
        and Path("/usr/share/fonts/truetype/noto/NotoSansDevanagari-Bold.ttf").exists()
    ),
    reason="Noto fonts missing (Debian: apt install fonts-noto-core fonts-noto-cjk)",
)
@pytest.mark.django_db
def test_healthz_with_the_recommended_fonts(client):
    assert client.get("/healthz").json()["fonts"] == {"status": "ok", "missing": []}
