"""DESIGN.md's table of who may import whom, checked on every module of every app."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = {"accounts", "teams", "videos", "integrations", "billing", "growth", "analytics"}
ALLOWED = {
    "accounts": set(),
    "teams": {"accounts"},
    "billing": {"accounts", "teams"},
    "integrations": {"accounts", "teams"},
    "videos": {"accounts", "teams", "billing", "integrations"},
    "growth": {"accounts", "teams", "billing", "videos"},
    "analytics": APPS - {"analytics"},
}


def _imported_apps(path: Path) -> set[tuple[str, str]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in APPS:
                found.add((top, name))
    return found


@pytest.mark.parametrize("app", sorted(APPS))
def test_app_imports_follow_the_design(app):
    violations = []
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for top, module in _imported_apps(path):
            if top == app or module == "analytics.events":
                continue
            if top not in ALLOWED[app]:
                violations.append(f"{path.relative_to(ROOT)} imports {module}")
    assert violations == []


def test_growth_reads_videos_only_through_selectors():
    for path in (ROOT / "growth").rglob("*.py"):
        for top, module in _imported_apps(path):
            if top == "videos":
                assert module.startswith("videos.selectors"), f"{path} imports {module}"


def test_event_log_imports_no_other_app():
    modules = {module for _top, module in _imported_apps(ROOT / "analytics" / "events.py")}
    assert {m for m in modules if not m.startswith("analytics")} == set()
