"""Every benchmark says first which database it runs on (see tests/perf/database.py)."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.perf.database import describe


@pytest.fixture(autouse=True)
def _print_the_database(request, django_db_blocker):
    # Server version only: a benchmark that needs no database does not set one up, so the
    # connection is closed again before the test (and pytest-django) use it.
    with django_db_blocker.unblock():
        try:
            line = describe()
        except Exception as error:  # unreachable server: say so, the benchmark decides
            line = f"{connection.vendor} (server version unknown: {error.__class__.__name__})"
        finally:
            connection.close()
    print(f"\n[{request.node.name}] database: {line}")
