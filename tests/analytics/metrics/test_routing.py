"""Dashboard reads go to the analytics database when one is configured, everything else to
the primary. The `analytics` alias here mirrors the test database, as a replica would
(tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from analytics.metrics.routing import analytics_database, reading_analytics
from tests.factories import UserFactory

BOTH = ["default", "analytics"]


@pytest.fixture
def replica(settings):
    settings.ANALYTICS_DATABASE_ALIAS = "analytics"
    return connections["analytics"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=BOTH)
def test_dashboard_reads_go_to_the_analytics_database(replica):
    user = UserFactory()
    assert analytics_database() == "analytics"
    with CaptureQueriesContext(replica) as mirrored, reading_analytics():
        assert User.objects.filter(pk=user.pk).exists()  # the replica has the row
        assert User.objects.count() >= 1
    assert len(mirrored.captured_queries) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=BOTH)
def test_writes_and_reads_outside_dashboards_stay_on_the_primary(replica):
    user = UserFactory()
    with CaptureQueriesContext(replica) as mirrored:
        with reading_analytics():
            User.objects.filter(pk=user.pk).update(name="Renamed")  # a write: the primary
        assert User.objects.get(pk=user.pk).name == "Renamed"  # outside the block: primary
    assert mirrored.captured_queries == []


@pytest.mark.django_db
def test_without_an_analytics_database_dashboards_read_the_primary(settings):
    settings.ANALYTICS_DATABASE_ALIAS = None
    primary = connections["default"]
    assert analytics_database() == "default"
    with CaptureQueriesContext(primary) as queries, reading_analytics():
        User.objects.count()
    assert len(queries.captured_queries) == 1
