"""File names made from titles (downloads and ZIP entries) keep every script's letters and
combining marks: NFC-normalised, only unsafe separators and punctuation replaced."""

from __future__ import annotations

import io
import unicodedata
import urllib.parse
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.conftest import client_for
from tests.videos.conftest import api_for
from videos.filenames import MAX_STEM, filename_slug, filename_stem
from videos.models import ExportJob

HINDI = "हिंदी उद्धरण: सफलता की कुंजी"  # vowel signs (ि ी ु), anusvara (ं), virama (्)
JAPANESE = "春のセール！限定クーポン"
ARABIC = "عَرْضٌ خاصّ — خصم ٥٠٪"  # harakat and shadda are combining marks (Mn)


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        (HINDI, "हिंदी उद्धरण सफलता की कुंजी"),
        (JAPANESE, "春のセール 限定クーポン"),
        (ARABIC, "عَرْضٌ خاصّ خصم ٥٠"),
        ("Crème brûlée / été: 2025", "Crème brûlée été 2025"),
        ('a/b\\c:d*e?f"g<h>i|j\x00k', "a b c d e f g h i j k"),
        ("  ...Launch teaser...  ", "Launch teaser"),
        ("v1.2 (final)_cut", "v1.2 (final)_cut"),
    ],
)
def test_a_stem_keeps_letters_marks_and_digits_of_every_script(title, stem):
    assert filename_stem(title) == stem


def test_every_combining_mark_of_a_hindi_title_survives():
    marks = [c for c in unicodedata.normalize("NFC", HINDI) if unicodedata.category(c)[0] == "M"]
    assert len(marks) >= 8
    kept = [c for c in filename_stem(HINDI) if unicodedata.category(c)[0] == "M"]
    assert kept == marks


def test_a_decomposed_title_is_normalised_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Été café")
    assert decomposed != "Été café"
    assert filename_stem(decomposed) == "Été café"
    assert filename_slug(decomposed) == "été-café"


@pytest.mark.parametrize("title", ["?!…/*:", "— · —", "...", "", "   ", "🎬🎬"])
def test_a_title_with_no_letters_or_digits_gets_the_fallback_name(title):
    assert filename_stem(title) == "video"
    assert filename_slug(title) == "video"


def test_a_long_title_is_cut_between_letters_never_before_a_mark():
    title = "क्षि" * 40  # each: consonant, virama, consonant, vowel sign
    stem = filename_stem(title)
    assert len(stem) <= MAX_STEM
    assert title.startswith(stem)
    assert unicodedata.category(title[len(stem)])[0] != "M"


def test_a_slug_is_lower_case_with_hyphens():
    assert filename_slug(HINDI) == "हिंदी-उद्धरण-सफलता-की-कुंजी"
    assert filename_slug("Été 2025 / promo") == "été-2025-promo"
    assert filename_slug(JAPANESE) == "春のセール-限定クーポン"


# -- where the names are used ---------------------------------------------------------------


def _disposition_name(header: str) -> str:
    """The file name a browser takes from a Content-Disposition header (RFC 6266)."""
    for part in header.split(";"):
        part = part.strip()
        if part.startswith("filename*=utf-8''"):
            return urllib.parse.unquote(part.removeprefix("filename*=utf-8''"))
    raise AssertionError(header)


@pytest.mark.django_db
def test_the_download_keeps_a_hindi_title_whole(owner, ready_video):
    video = ready_video(title=HINDI)
    response = client_for(owner).get(reverse("videos:download", args=[video.pk]))
    assert response.status_code == 200
    assert _disposition_name(response["Content-Disposition"]) == "हिंदी उद्धरण सफलता की कुंजी.mp4"


@pytest.mark.django_db
def test_the_api_download_link_keeps_a_japanese_title_whole(owner, ready_video):
    video = ready_video(title=JAPANESE)
    redirect = api_for(owner).get(f"/api/v1/videos/{video.pk}/download/")
    assert redirect.status_code == 302
    response = client_for(owner).get(redirect["Location"])
    assert response.status_code == 200
    assert _disposition_name(response["Content-Disposition"]) == "春のセール 限定クーポン.mp4"


@pytest.mark.django_db
def test_zip_entries_keep_every_combining_mark(
    owner, ready_video, django_capture_on_commit_callbacks
):
    videos = [ready_video(title=HINDI), ready_video(title=ARABIC), ready_video(title="?!")]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(owner).post(
            "/api/v1/exports/", {"video_ids": [v.pk for v in videos]}, format="json"
        )
    assert response.status_code == 202
    export = ExportJob.objects.get(pk=response.json()["id"])
    with default_storage.open(export.file.name, "rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert names == ["हिंदी-उद्धरण-सफलता-की-कुंजी.mp4", "عَرْضٌ-خاصّ-خصم-٥٠.mp4", "video.mp4"]
