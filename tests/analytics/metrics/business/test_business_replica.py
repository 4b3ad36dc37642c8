"""Every read of the business report goes to the analytics database when one is configured
(the `analytics` alias mirrors the test database, as a replica would)."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from analytics.metrics.business import business_report, movement_breakdown

from .conftest import FEBRUARY

BOTH = ["default", "analytics"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=BOTH)
def test_the_report_reads_the_replica_only(settings):
    settings.ANALYTICS_DATABASE_ALIAS = "analytics"
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["analytics"]) as replica,
    ):
        business_report(**FEBRUARY)
        movement_breakdown(**FEBRUARY, kind="new")
    assert primary.captured_queries == []
    assert len(replica.captured_queries) > 10
