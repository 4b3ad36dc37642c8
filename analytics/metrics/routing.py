"""Dashboard reads from a replica: the seed's "read replicas for analytics".

When `ANALYTICS_DATABASE_URL` is set, settings add a database alias `analytics` pointing at it
(a streaming replica of the primary, or the primary itself under another connection) and
name it in `ANALYTICS_DATABASE_ALIAS`. Code
that reads for a dashboard wraps its reads in `reading_analytics()`; the router then sends
every read inside it to that alias. Writes, and reads outside the block, stay on `default`,
so a request that writes never reads its own write from a lagging replica.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.conf import settings

ANALYTICS_ALIAS = "analytics"

_reading = contextvars.ContextVar("reading_analytics", default=False)


@contextlib.contextmanager
def reading_analytics() -> Iterator[None]:
    """Reads inside go to the analytics database when one is configured."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def analytics_database() -> str:
    """The alias dashboard reads use: the analytics database when configured, else default."""
    return getattr(settings, "ANALYTICS_DATABASE_ALIAS", None) or "default"


class AnalyticsReadRouter:
    """Sends reads made inside `reading_analytics()` to the analytics alias."""

    def db_for_read(self, model, **hints) -> str | None:
        if _reading.get():
            return getattr(settings, "ANALYTICS_DATABASE_ALIAS", None) or None
        return None

    def db_for_write(self, model, **hints) -> str | None:
        return None

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the same rows: objects read from either may be related.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool | None:
        # The replica is migrated by replication, never by us.
        return False if db == ANALYTICS_ALIAS else None
