from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from videocreator.translation_check import check_catalogs

LANGUAGES = ["en", "es", "ja"]


def _write(locale_dir: Path, lang: str, entries: list[polib.POEntry]) -> None:
    folder = locale_dir / lang / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for entry in entries:
        po.append(entry)
    po.save(str(folder / "django.po"))


def _good(lang_text: str) -> list[polib.POEntry]:
    return [
        polib.POEntry(msgid="Hello", msgstr=lang_text),
        polib.POEntry(msgid="Hi %(name)s", msgstr=f"{lang_text} %(name)s", flags=["python-format"]),
        polib.POEntry(
            msgid="%(counter)s video",
            msgid_plural="%(counter)s videos",
            msgstr_plural={0: f"%(counter)s {lang_text}", 1: f"%(counter)s {lang_text}s"},
            flags=["python-format"],
        ),
    ]


@pytest.fixture
def locale_dir(tmp_path: Path) -> Path:
    _write(tmp_path, "en", _good(""))
    _write(tmp_path, "es", _good("Hola"))
    return tmp_path


def test_complete_catalogs_pass(locale_dir):
    _write(locale_dir, "ja", _good("こんにちは"))
    assert check_catalogs(locale_dir, LANGUAGES) == []


def _problems(locale_dir: Path, ja_entries: list[polib.POEntry]) -> list[str]:
    _write(locale_dir, "ja", ja_entries)
    return [p.reason for p in check_catalogs(locale_dir, LANGUAGES)]


def test_missing_catalog_fails(locale_dir):
    assert [p.reason for p in check_catalogs(locale_dir, LANGUAGES)] == ["catalog missing"]


def test_untranslated_entry_fails(locale_dir):
    entries = _good("こんにちは")
    entries[0].msgstr = ""
    assert _problems(locale_dir, entries) == ["untranslated"]


def test_fuzzy_entry_fails(locale_dir):
    entries = _good("こんにちは")
    entries[0].flags.append("fuzzy")
    assert _problems(locale_dir, entries) == ["fuzzy"]


def test_missing_entry_fails(locale_dir):
    assert _problems(locale_dir, _good("こんにちは")[1:]) == ["missing"]


def test_renamed_placeholder_fails(locale_dir):
    entries = _good("こんにちは")
    entries[1].msgstr = "こんにちは %(nom)s"
    assert _problems(locale_dir, entries) == ["placeholders differ"]


def test_dropped_placeholder_fails(locale_dir):
    entries = _good("こんにちは")
    entries[1].msgstr = "こんにちは"
    assert _problems(locale_dir, entries) == ["placeholders differ"]


def test_plural_forms_are_checked(locale_dir):
    entries = _good("こんにちは")
    entries[2].msgstr_plural = {0: "%(count)s 本"}
    assert _problems(locale_dir, entries) == ["unknown placeholder in a plural form"]
    entries[2].msgstr_plural = {0: ""}
    assert _problems_again(locale_dir, entries) == ["untranslated plural form"]


def _problems_again(locale_dir: Path, entries: list[polib.POEntry]) -> list[str]:
    import shutil

    shutil.rmtree(locale_dir / "ja")
    return _problems(locale_dir, entries)


def test_command_fails_on_a_broken_catalog(locale_dir):
    entries = _good("こんにちは")
    entries[0].flags.append("fuzzy")
    _write(locale_dir, "ja", entries)
    with pytest.raises(CommandError):
        call_command("check_translations", locale_dir=str(locale_dir))


def test_the_projects_own_catalogs_are_complete():
    call_command("check_translations", locale_dir=str(settings.LOCALE_PATHS[0]))
