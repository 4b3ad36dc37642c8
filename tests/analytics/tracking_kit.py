"""Helpers for the tracking and ingestion tests: a real browser's User-Agent (the test client
sends none, which counts as a bot) and a clock the tests set."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from analytics.consent import VISITOR_COOKIE
from tests.clock import Clock, install_clock

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def set_clock(monkeypatch, now: dt.datetime = NOW) -> Clock:
    return install_clock(monkeypatch, now, model_defaults=False)


def browser(**headers) -> Client:
    return Client(**{"HTTP_USER_AGENT": BROWSER, **headers})


def visitor_id(client: Client) -> str | None:
    morsel = client.cookies.get(VISITOR_COOKIE)
    return morsel.value.split(".")[0] if morsel is not None and morsel.value else None


def analytics_statements(run) -> list[str]:
    """The SQL `run()` sends to the tracking tables."""
    with CaptureQueriesContext(connection) as captured:
        run()
    tables = ("analytics_pageview", "analytics_visitor", "analytics_dailypagecount")
    return [q["sql"] for q in captured.captured_queries if any(t in q["sql"] for t in tables)]
