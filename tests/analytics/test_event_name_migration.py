"""The data migration that renames subscription events written under the old names."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("analytics", "0001_initial")]
AFTER = [("analytics", "0002_subscription_event_names")]


@pytest.fixture
def back_to_the_latest_schema():
    """The test leaves the app at 0002; later migrations (0003 added Event.source) must be
    applied again, or every test after it meets an old table."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_subscription_events_get_their_subject_names(back_to_the_latest_schema):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Event = old_apps.get_model("analytics", "Event")
    Event.objects.create(name="user.subscribed", properties={"plan": "pro-monthly"})
    Event.objects.create(name="user.cancelled", properties={"plan": "pro-monthly"})
    Event.objects.create(
        name="subscription.changed", properties={"change": "resumed", "plan": "pro-monthly"}
    )
    Event.objects.create(name="subscription.changed", properties={"change": "ended", "reason": "x"})
    Event.objects.create(name="video.rendered", properties={"change": "resumed"})

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    rows = sorted(
        (event.name, event.properties)
        for event in new_apps.get_model("analytics", "Event").objects.all()
    )
    assert rows == [
        ("subscription.cancel_scheduled", {"plan": "pro-monthly"}),
        ("subscription.ended", {"reason": "x"}),
        ("subscription.resumed", {"plan": "pro-monthly"}),
        ("subscription.started", {"plan": "pro-monthly"}),
        ("video.rendered", {"change": "resumed"}),
    ]
