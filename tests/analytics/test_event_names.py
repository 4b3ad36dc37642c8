"""Every event name is an `EventName`, and README.md documents each one exactly once."""

import ast
import re
from pathlib import Path

from analytics.events import EventName

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "teams", "videos", "integrations", "billing", "growth", "analytics"]


def _record_calls_with_a_bare_string() -> list[str]:
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                first = node.args[0]
                if name == "record" and isinstance(first, ast.Constant):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {first.value!r}")
    return found


def test_events_are_recorded_by_constant_not_by_string():
    assert _record_calls_with_a_bare_string() == []


def _readme_event_table() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## The event log", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \|", section, flags=re.M)


def test_readme_documents_every_event_once():
    documented = _readme_event_table()
    assert len(documented) == len(set(documented)), "an event is documented twice"
    assert set(documented) == {name.value for name in EventName}


def test_names_are_unique_and_shaped_subject_dot_verb():
    values = [name.value for name in EventName]
    assert len(values) == len(set(values))
    assert all(re.fullmatch(r"[a-z_]+\.[a-z_]+", value) for value in values)
