"""What the other apps tell accounts about a person, through `settings.PRIVACY_PROVIDERS`.

Accounts imports no other app (DESIGN.md); like `TEAM_SEAT_LIMIT`, the setting names the
modules to ask, in order. Each provider module may define any of:

- `privacy_export(*, user) -> Iterable[ExportEntry]`: its files of the person's ZIP;
- `privacy_blockers(*, user) -> Iterable[Blocker]`: what must be settled before the account can
  be deleted (nothing is deleted while there is any);
- `privacy_deletion_notes(*, user) -> Iterable[str]`: what deleting will remove, for the page;
- `privacy_erase(*, user) -> None`: forget the person, inside the deletion's transaction, before
  the user row goes. Providers run in the listed order (videos before teams deletes workspaces).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class ExportEntry:
    """One file of the ZIP: a JSON document (`data`), a JSON array written row by row (`rows`,
    e.g. a queryset's iterator) or a stored file (`key`, streamed from storage)."""

    name: str
    data: Any = None
    rows: Iterable[dict] | None = None
    key: str = ""


@dataclass(frozen=True)
class Blocker:
    """Something that keeps the account from being deleted, e.g. a workspace that has other
    members and no other owner; `workspace_id` lets the page offer to open it."""

    message: str
    workspace_id: int | None = None


def providers() -> list[ModuleType]:
    return [import_module(path) for path in getattr(settings, "PRIVACY_PROVIDERS", [])]


def _each(hook: str, user) -> Iterator[Any]:
    for provider in providers():
        function = getattr(provider, hook, None)
        if function is not None:
            yield from function(user=user) or ()


def export_entries(*, user) -> Iterator[ExportEntry]:
    return _each("privacy_export", user)


def deletion_blockers(*, user) -> list[Blocker]:
    return list(_each("privacy_blockers", user))


def deletion_notes(*, user) -> list[str]:
    return list(_each("privacy_deletion_notes", user))


def erase(*, user) -> None:
    for provider in providers():
        function = getattr(provider, "privacy_erase", None)
        if function is not None:
            function(user=user)
