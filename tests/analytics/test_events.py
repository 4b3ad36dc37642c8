import pytest
from django.db import transaction

from analytics.events import record
from analytics.models import Event


@pytest.mark.django_db
def test_record_stores_subject_actor_workspace_and_properties(owner, workspace):
    event = record(
        "video.render_requested",
        workspace=workspace,
        actor=owner,
        subject=workspace,
        properties={"resolution": "720p"},
    )
    event.refresh_from_db()
    assert event.name == "video.render_requested"
    assert (event.subject_type, event.subject_id) == ("teams.team", str(workspace.pk))
    assert event.actor == owner and event.workspace == workspace
    assert event.properties == {"resolution": "720p"}
    assert event.occurred_at is not None


@pytest.mark.django_db
def test_idempotency_key_records_once(owner):
    first = record("payment.succeeded", actor=owner, idempotency_key="stripe:evt_1")
    second = record("payment.succeeded", actor=owner, idempotency_key="stripe:evt_1")
    assert first.pk == second.pk
    assert Event.objects.filter(name="payment.succeeded").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_event_rolls_back_with_the_callers_transaction(owner):
    with pytest.raises(RuntimeError), transaction.atomic():
        record("something.happened", actor=owner)
        raise RuntimeError("the change failed")
    assert not Event.objects.filter(name="something.happened").exists()


@pytest.mark.django_db
def test_anonymous_actor_is_stored_as_none():
    from django.contrib.auth.models import AnonymousUser

    event = record("page.viewed", actor=AnonymousUser(), anonymous_id="abc123")
    assert event.actor is None and event.anonymous_id == "abc123"
