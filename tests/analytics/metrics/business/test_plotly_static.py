"""plotly.js comes from the plotly package as the static file vendor/plotly.min.js: found by
our finder, copied by collectstatic (with the production storage), never kept in the repo."""

from __future__ import annotations

import json
from pathlib import Path

import plotly
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from videocreator import staticfinders
from videocreator.staticfinders import PlotlyFinder

BUNDLED = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def test_the_finder_finds_the_packaged_copy():
    found = finders.find("vendor/plotly.min.js")
    assert Path(found) == BUNDLED
    assert BUNDLED.read_text()[:40].startswith("/**\n* plotly.js v")
    assert finders.find("vendor/plotly.min.js", find_all=True) == [str(BUNDLED)]


def test_it_serves_that_file_only():
    finder = PlotlyFinder()
    assert finder.find("vendor/widgetbundle.js") == []
    assert finder.find("plotly.min.js") == []
    assert [path for path, _storage in finder.list(None)] == ["plotly.min.js"]


def test_the_check_fails_without_the_package(monkeypatch):
    assert PlotlyFinder().check() == []
    monkeypatch.setattr(staticfinders, "plotly_package_data", lambda: None)
    finder = PlotlyFinder()
    assert [error.id for error in finder.check()] == ["videocreator.E001"]
    assert finder.find("vendor/plotly.min.js") == []
    assert list(finder.list(None)) == []


def test_the_repository_keeps_no_copy():
    repository = Path(settings.BASE_DIR)
    copies = [
        path
        for folder in ("static", "templates", "analytics", "videocreator")
        for path in (repository / folder).rglob("plotly*.js")
    ]
    assert copies == []


@pytest.mark.parametrize(
    "backend",
    [
        "django.contrib.staticfiles.storage.StaticFilesStorage",
        # What production runs: hashed names and compressed copies.
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ],
)
def test_collectstatic_copies_it(settings, tmp_path, backend):
    # Django's test signals give the storage the new settings.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": backend}}
    call_command("collectstatic", interactive=False, verbosity=0)
    copied = tmp_path / "vendor" / "plotly.min.js"
    assert copied.read_bytes() == BUNDLED.read_bytes()
    if "Manifest" in backend:
        manifest = json.loads((tmp_path / "staticfiles.json").read_text())
        hashed = manifest["paths"]["vendor/plotly.min.js"]
        assert hashed != "vendor/plotly.min.js"
        assert (tmp_path / hashed).read_bytes() == BUNDLED.read_bytes()
        assert (tmp_path / f"{hashed}.gz").exists()
