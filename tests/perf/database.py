"""Which database a benchmark ran on, for the line every benchmark prints.

`make bench` uses SQLite unless DATABASE_URL is set, so a figure means little without it.
"""

from __future__ import annotations

from django.db import connection


def describe() -> str:
    """`postgresql 15.20 (host 127.0.0.1)` or `sqlite 3.45.1 (file …)`; needs database access."""
    vendor = connection.vendor
    if vendor == "sqlite":
        version = connection.Database.sqlite_version
    else:
        version = ".".join(str(part) for part in connection.get_database_version())
    settings = connection.settings_dict
    where = f"host {settings['HOST']}" if settings.get("HOST") else f"file {settings['NAME']}"
    return f"{vendor} {version} ({where})"
