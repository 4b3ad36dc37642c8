"""Static files that come inside Python packages rather than from our static/ folder.

plotly.js is served from the copy the `plotly` package ships (plotly/package_data/plotly.min.js,
the version the pinned plotly was built with), as `vendor/plotly.min.js`: never copied into
the repository, never from a CDN. `collectstatic` copies it with the rest and `runserver`
serves it; WhiteNoise serves the collected copy.
"""

from __future__ import annotations

import functools
import re
from importlib.util import find_spec
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor"
PLOTLY_JS = "plotly.min.js"
# plotly.js bundles maplibre (for map traces) with its stylesheet, which it writes into a new
# <style> element with text as soon as it loads, unless an element with that id is in the
# page already. No policy without 'unsafe-inline' (or that text's hash) lets it apply.
_INJECTED_STYLE = re.compile(
    rb'getElementById\("([0-9a-f]{64})"\)\)\{var [\w$]+=document\.createElement\("style"\)'
)


def plotly_package_data() -> Path | None:
    """The folder holding plotly's bundled plotly.min.js, or None without the package."""
    spec = find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "package_data"


@functools.cache
def plotly_injected_style_ids() -> tuple[str, ...]:
    """The ids of the <style> elements with text that plotly.js adds when it loads (maplibre's,
    for maps). A page that draws no map puts an element with each id in first, so plotly.js
    adds none and the policy has nothing to refuse. Read from the installed copy, once."""
    location = plotly_package_data()
    try:
        bundle = (location / PLOTLY_JS).read_bytes() if location is not None else b""
    except OSError:
        bundle = b""
    return tuple(found.decode() for found in _INJECTED_STYLE.findall(bundle))


class PlotlyFinder(BaseFinder):
    """Finds `vendor/plotly.min.js` in the installed plotly package, and only that file."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.location = plotly_package_data()
        self.storage = None
        if self.location is not None:
            self.storage = FileSystemStorage(location=self.location)
            self.storage.prefix = PREFIX  # collectstatic puts the file under vendor/

    def check(self, **kwargs) -> list[Error]:
        if self.location is None or not (self.location / PLOTLY_JS).is_file():
            return [
                Error(
                    "plotly's bundled plotly.min.js was not found.",
                    hint="Install the pinned plotly from requirements.txt.",
                    obj=self,
                    id="videocreator.E001",
                )
            ]
        return []

    def find(self, path: str, find_all: bool = False, **kwargs) -> str | list[str]:
        find_all = kwargs.get("all", find_all)  # Django < 6.1 may still pass `all`
        if path == f"{PREFIX}/{PLOTLY_JS}" and self.location is not None:
            if str(self.location) not in finders.searched_locations:
                finders.searched_locations.append(str(self.location))
            if (self.location / PLOTLY_JS).is_file():
                match = str(self.location / PLOTLY_JS)
                return [match] if find_all else match
        return []

    def list(self, ignore_patterns):
        if self.storage is not None and (self.location / PLOTLY_JS).is_file():
            yield PLOTLY_JS, self.storage
