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
            if app == "growth" and module.startswith("analytics.metrics"):
                continue  # DESIGN.md: growth reads analytics.metrics' figures (MRR)
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


def _project_modules() -> list[Path]:
    return [
        path
        for top in [*sorted(APPS), "videocreator", "tests"]
        for path in (ROOT / top).rglob("*.py")
        if "migrations" not in path.parts
    ]


def _project_module(path: Path, node: ast.ImportFrom) -> str | None:
    """The dotted name `from …` refers to, if it is one of this project's modules."""
    if node.level:
        package = path.parent
        for _ in range(node.level - 1):
            package = package.parent
        base = ".".join(package.relative_to(ROOT).parts)
        name = f"{base}.{node.module}" if node.module else base
    else:
        name = node.module or ""
    return name if name.split(".")[0] in {*APPS, "videocreator", "tests"} else None


def _is_module(dotted: str) -> bool:
    target = ROOT.joinpath(*dotted.split("."))
    return target.with_suffix(".py").exists() or (target / "__init__.py").exists()


def _private_names_taken_from_other_modules(path: Path) -> list[str]:
    """`from <our module> import _name`, or `module._name` on one of our modules."""
    tree = ast.parse(path.read_text(), filename=str(path))
    our_modules = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (source := _project_module(path, node)):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{node.lineno}: from {source} import {alias.name}")
                elif _is_module(f"{source}.{alias.name}"):
                    our_modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in {*APPS, "videocreator", "tests"}:
                    our_modules.add((alias.asname or alias.name).split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and isinstance(node.value, ast.Name)
            and node.value.id in our_modules
        ):
            found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_module_takes_a_private_name_from_another():
    violations = [
        f"{path.relative_to(ROOT)}:{where}"
        for path in _project_modules()
        for where in _private_names_taken_from_other_modules(path)
    ]
    assert violations == []
