"""The webhook catalogue: every type comes from a real event of the log, its data and envelope
validate against their JSON Schemas (2020-12, formats checked), nothing private goes out, and
events that lost properties (old rows, forgotten people) still make valid payloads."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from jsonschema import Draft202012Validator

from analytics.events import EventName, events_forget_person, record
from analytics.models import Event, EventSource
from billing import services as billing
from integrations.webhooks.catalogue import (
    EVENT_TYPES,
    LOG_NAMES,
    TEST_EVENT,
    TEST_EVENT_TYPE,
    envelope,
    envelope_schema,
    event_data,
    event_type_named,
    event_types_for,
    sample_payload,
    subject_key,
)
from videos.publishing.services import schedule_cancel

from .conftest import (
    assert_nothing_private,
    deliver,
    events,
    new_video,
    publish_due,
    rendered,
    sandbox_schedule,
    subscribe,
    validator,
)

pytestmark = pytest.mark.django_db
ALL_TYPES = [*EVENT_TYPES.values(), TEST_EVENT]


def _delivered(history_workspace) -> dict[str, list[dict]]:
    """Every payload the workspace's log makes, by type."""
    payloads: dict[str, list[dict]] = {}
    for event in Event.objects.filter(workspace=history_workspace).order_by("occurred_at", "pk"):
        for event_type in event_types_for(event):
            payloads.setdefault(event_type.key, []).append(deliver(event))
    return payloads


# -- real events ---------------------------------------------------------------------------------


def test_every_type_is_made_by_a_real_event_and_validates(history, workspace):
    payloads = _delivered(workspace)
    assert set(payloads) == set(EVENT_TYPES)
    counts = {key: len(found) for key, found in payloads.items()}
    assert counts == dict.fromkeys(EVENT_TYPES, 1) | {"video.created": 2}  # and the deleted one


def test_the_video_types_carry_the_videos_public_fields(history, workspace, owner):
    payloads = {k: v[0]["data"] for k, v in _delivered(workspace).items()}
    video, version = history.video, history.version
    assert payloads["video.created"] == {
        "video_id": video.pk,
        "title": "Spring launch",
        "template": video.template.key,
        "duration": video.duration_seconds,
        "actor_id": owner.pk,
    }
    assert payloads["video.rendered"] == {
        "video_id": video.pk,
        "title": "Spring launch",
        "version": 1,
        "duration": 2.0,
        "width": 1280,
        "height": 720,
        "size": video.size,
        "brand_kit_id": None,
        "actor_id": owner.pk,
    }
    assert payloads["video.version_created"]["version_id"] == version.pk
    assert payloads["video.approved"] == {
        "video_id": video.pk,
        "title": "Spring launch",
        "version": 1,
        "version_id": version.pk,
        "actor_id": owner.pk,
    }
    assert payloads["video.deleted"] == {
        "video_id": history.doomed_id,
        "title": "Old draft",
        "actor_id": owner.pk,
    }


def test_publishing_says_where_each_post_went(history, workspace):
    payloads = {k: v[0]["data"] for k, v in _delivered(workspace).items()}
    post = history.schedule.posts.get()
    published = payloads["video.published"]
    assert (published["platform"], published["url"], published["manual"]) == (
        "sandbox",
        post.remote_url,
        False,
    )
    assert published["schedule_id"] == history.schedule.pk and published["actor_id"] is None
    assert payloads["schedule.published"] == {
        "schedule_id": history.schedule.pk,
        "video_id": history.video.pk,
        "title": "Spring launch",
        "status": "published",
        "posts": [{"platform": "sandbox", "status": "published", "url": post.remote_url}],
    }
    [finished] = events(EventName.SCHEDULE_FINISHED)  # once, however often it was refreshed
    assert finished.subject_type == "videos.publishschedule"
    assert finished.idempotency_key == f"schedule.finished:{history.schedule.pk}"


def test_billing_types_carry_plan_money_and_periods(history, workspace, owner):
    payloads = {k: v[0]["data"] for k, v in _delivered(workspace).items()}
    subscription = history.subscription
    subscribed = payloads["user.subscribed"]
    assert (subscribed["plan"], subscribed["plan_name"]) == ("pro-monthly", "Pro (monthly)")
    assert (subscribed["amount"], subscribed["currency"]) == (1200, "USD")
    period_end = subscription.current_period_end.astimezone(dt.UTC)
    assert subscribed["period_end"] == f"{period_end:%Y-%m-%dT%H:%M:%SZ}"
    assert payloads["user.cancelled"] == {
        "subscription_id": subscription.pk,
        "plan": "pro-monthly",
        "plan_name": "Pro (monthly)",
        "immediate": False,
        "ends_at": subscribed["period_end"],
        "actor_id": owner.pk,
    }
    assert payloads["payment.succeeded"]["amount"] == 1200
    assert payloads["payment.failed"]["reason"] == "Card declined."
    assert payloads["export.ready"]["files"] == 1 and payloads["export.ready"]["expires_at"]


def test_subject_keys_name_what_each_event_is_about(history, workspace):
    video = f"videos.video:{history.video.pk}"
    subscription = f"billing.subscription:{history.subscription.pk}"
    expected = {
        EventName.VIDEO_CREATED: {video, f"videos.video:{history.doomed_id}"},
        EventName.VIDEO_RENDERED: {video},
        EventName.VIDEO_VERSION_CREATED: {video},
        EventName.VIDEO_APPROVED: {video},
        EventName.VIDEO_PUBLISHED: {video},
        EventName.VIDEO_DELETED: {f"videos.video:{history.doomed_id}"},
        EventName.SCHEDULE_FINISHED: {f"videos.publishschedule:{history.schedule.pk}"},
        EventName.EXPORT_READY: {f"videos.exportjob:{history.export.pk}"},
        EventName.COMMENT_CREATED: {f"teams.comment:{history.comment.pk}"},
        EventName.TEAM_MEMBER_JOINED: {f"teams.membership:{history.membership.pk}"},
        EventName.SUBSCRIPTION_STARTED: {subscription},
        EventName.SUBSCRIPTION_CANCEL_SCHEDULED: {subscription},
    }
    for name, keys in expected.items():
        assert {subject_key(e) for e in events(name, workspace)} == keys, name
    payments = {subject_key(e) for e in events(EventName.PAYMENT_SUCCEEDED, workspace)}
    assert all(key.startswith("billing.payment:") for key in payments)


def test_the_comment_goes_out_without_its_text_and_mentions_by_id(history, workspace, owner):
    [data] = [p["data"] for p in _delivered(workspace)["comment.created"]]
    assert data["mentions"] == [owner.pk] and data["actor_id"] == history.ed.pk
    assert "Tighter cut" not in str(data)


# -- privacy and robustness ----------------------------------------------------------------------


def test_forgotten_people_still_make_valid_payloads(history, workspace, owner):
    events_forget_person(user_id=history.ed.pk, email=history.ed.email)
    events_forget_person(user_id=owner.pk, email=owner.email)
    payloads = {k: v[0]["data"] for k, v in _delivered(workspace).items()}
    assert set(payloads) == set(EVENT_TYPES)
    assert payloads["member.joined"]["user_id"] is None
    assert payloads["comment.created"]["mentions"] == []
    assert all(data.get("actor_id") is None for data in payloads.values())


MANGLED = {
    "title": 7,
    "amount": "12.00",
    "currency": "usd",
    "url": "javascript:alert(1)",
    "ends_at": "next week",
    "expires_at": "2026-01-01T00:00:00",  # naive: not a UTC time
    "posts": "all of them",
    "mentions": ["3", None, True],
    "version": True,
    "duration": float("nan"),
}


@pytest.mark.parametrize("properties", [{}, MANGLED], ids=["missing", "mangled"])
def test_old_or_damaged_properties_still_make_valid_payloads(history, workspace, properties):
    dropped = set()
    for event in Event.objects.filter(workspace=workspace, name__in=LOG_NAMES):
        if not event_types_for(event):
            continue
        damaged = copy.copy(event)
        damaged.properties = properties
        if event_types_for(damaged):
            deliver(damaged)
        else:
            dropped.add(event.name)
    # Without its properties a deleted video names no video, and a finished schedule cannot
    # tell that it published anything: neither makes a delivery.
    assert dropped == {EventName.VIDEO_DELETED, EventName.SCHEDULE_FINISHED}


def test_samples_say_nothing_private():
    for event_type in ALL_TYPES:
        assert_nothing_private(sample_payload(event_type))


# -- when nothing goes out ------------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["cancelled", "failed"])
def test_a_schedule_that_published_nothing_is_no_schedule_published(
    workspace, owner, sandbox, django_capture_on_commit_callbacks, ending
):
    video = rendered(new_video(workspace, owner, "Quiet launch"), owner)
    with django_capture_on_commit_callbacks(execute=True):
        if ending == "cancelled":
            schedule = sandbox_schedule(video, owner, sandbox, caption="Soon", now=False)
            schedule_cancel(schedule=schedule, actor=owner)
        else:  # the sandbox fails a caption with #fail: three retries, then it gives up
            schedule = sandbox_schedule(video, owner, sandbox, caption="#fail", now=False)
            publish_due(schedule, times=4)
    [finished] = events(EventName.SCHEDULE_FINISHED)
    assert finished.properties["status"] == ending
    assert finished.properties["posts"] == [{"platform": "sandbox", "status": ending}]
    assert event_types_for(finished) == []


def test_the_end_of_an_announced_cancellation_is_not_news_again(history, workspace):
    subscription = history.subscription
    billing.subscription_renew(
        subscription=subscription,
        now=subscription.current_period_end + dt.timedelta(seconds=1),
    )
    [ended] = events(EventName.SUBSCRIPTION_ENDED, workspace)
    assert ended.properties["reason"] == "canceled" and ended.properties["cancel_scheduled"]
    assert event_types_for(ended) == []


@pytest.mark.parametrize("reason", ["canceled_remotely", "account_deleted"])
def test_an_immediate_cancellation_is_user_cancelled(workspace, owner, reason):
    subscription = subscribe(workspace, owner, "sbx_webhooks_now")
    billing.subscription_end(subscription=subscription, reason=reason)
    [ended] = events(EventName.SUBSCRIPTION_ENDED, workspace)
    data = deliver(ended)["data"]
    assert data["immediate"] is True and data["plan_name"] == "Pro (monthly)"
    assert data["ends_at"] == f"{ended.occurred_at.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}"


def test_dunning_that_runs_out_is_no_cancellation(workspace, owner):
    subscription = subscribe(workspace, owner, "sbx_webhooks_dunning")
    billing.subscription_end(subscription=subscription, reason="payment_failed")
    [ended] = events(EventName.SUBSCRIPTION_ENDED, workspace)
    assert event_types_for(ended) == []


def test_client_events_and_other_names_make_nothing(workspace, owner):
    updated = record(EventName.VIDEO_UPDATED, workspace=workspace, actor=owner)
    claimed = Event(name=EventName.VIDEO_CREATED, source=EventSource.CLIENT, properties={})
    assert event_types_for(updated) == [] and event_types_for(claimed) == []
    with pytest.raises(ValueError):
        subject_key(updated)
    with pytest.raises(ValueError):
        event_data(EVENT_TYPES["video.created"], updated)


# -- schemas, samples, envelope -------------------------------------------------------------------


def _properties_of(schema: dict):
    """Every (name, property schema) of an object schema, nested objects and items included."""
    for name, prop in schema.get("properties", {}).items():
        yield name, prop
        yield from _properties_of(prop)
        yield from _properties_of(prop.get("items", {}))


@pytest.mark.parametrize("event_type", ALL_TYPES, ids=lambda t: t.key)
def test_every_schema_is_a_valid_2020_12_schema_that_types_and_describes_each_field(event_type):
    Draft202012Validator.check_schema(event_type.data_schema)
    schema = envelope_schema(event_type)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] and schema["title"] == event_type.key
    for part in (event_type.data_schema, schema):
        assert part["additionalProperties"] is False
        for name, prop in _properties_of(part):
            assert prop.get("type") and prop.get("description"), name


@pytest.mark.parametrize("event_type", ALL_TYPES, ids=lambda t: t.key)
def test_every_sample_payload_validates(event_type):
    validator(event_type.data_schema).validate(event_type.sample_data)
    payload = sample_payload(event_type)
    validator(envelope_schema(event_type)).validate(payload)
    assert payload["type"] == event_type.key and payload["data"] == event_type.sample_data


def test_the_test_event_is_not_subscribable_but_can_be_looked_up():
    assert TEST_EVENT_TYPE == "webhook.test" and TEST_EVENT_TYPE not in EVENT_TYPES
    assert event_type_named(TEST_EVENT_TYPE) is TEST_EVENT
    assert event_type_named("video.created") is EVENT_TYPES["video.created"]
    assert all(TEST_EVENT_TYPE not in t.log_names for t in EVENT_TYPES.values())


def test_the_envelope_sends_times_in_utc_and_refuses_naive_ones():
    paris = dt.timezone(dt.timedelta(hours=1))
    body = envelope(
        message_id="msg_" + "a" * 32,
        event_type="video.created",
        timestamp=dt.datetime(2026, 12, 6, 11, 0, 30, 999, tzinfo=paris),
        workspace_id=12,
        sequence=41,
        previous_id=None,
        data={},
    )
    assert body["timestamp"] == "2026-12-06T10:00:30Z" and body["version"] == 1
    with pytest.raises(ValueError):
        envelope(
            message_id="msg_" + "a" * 32,
            event_type="video.created",
            timestamp=dt.datetime(2026, 12, 6, 10, 0),  # naive: which time zone?
            workspace_id=12,
            sequence=41,
            previous_id=None,
            data={},
        )


def test_log_names_are_what_the_types_read():
    assert {name for t in EVENT_TYPES.values() for name in t.log_names} == LOG_NAMES
    assert EventName.SCHEDULE_FINISHED in LOG_NAMES and EventName.VIDEO_BRANDED not in LOG_NAMES
