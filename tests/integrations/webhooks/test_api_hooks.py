"""/api/v1/hooks/ (REST hooks, as Zapier and Make use them: subscribe, receive, unsubscribe,
samples) and /api/v1/webhooks/event-types/ (the catalogue as documentation)."""

from __future__ import annotations

import jsonschema
import pytest
from django.utils import translation

from integrations.webhooks import catalogue, fanout, sending, services
from integrations.webhooks.models import Endpoint, EndpointKind
from teams.models import Team
from tests.videos.conftest import api_error, api_for

from .conftest import make_videos

pytestmark = pytest.mark.django_db

HOOKS = "/api/v1/hooks/"
EVENT = "video.created"


def _subscribe(user, receiver, **fields):
    body = {"target_url": receiver.url, "event": EVENT, **fields}
    return api_for(user).post(HOOKS, body, "json")


def _send_new_video(workspace, owner, clock, title: str = "Launch") -> None:
    """A real event (a new video), fanned out and sent."""
    clock.advance(seconds=1)
    make_videos(workspace, owner, title=title)
    fanout.fan_out()
    sending.send_due()


# -- subscribe, receive, unsubscribe --------------------------------------------------------------


def test_a_subscribed_hook_gets_the_real_event(owner, workspace, receiver, clock):
    response = _subscribe(owner, receiver, workspace=workspace.pk)

    assert response.status_code == 201
    body = response.json()
    hook = Endpoint.objects.get(pk=body["id"])
    assert body == {
        "id": hook.pk,
        "target_url": receiver.url,
        "event": EVENT,
        "secret": hook.secret,
    }
    assert (hook.kind, hook.event_types, hook.workspace) == (EndpointKind.HOOK, [EVENT], workspace)

    _send_new_video(workspace, owner, clock, title="Spring sale")

    (payload,) = receiver.payloads()
    assert payload["type"] == EVENT
    assert "Spring sale" in str(payload["data"])


def test_a_hook_gets_only_its_event(owner, workspace, receiver, clock):
    _subscribe(owner, receiver, workspace=workspace.pk, event="video.deleted")

    _send_new_video(workspace, owner, clock)

    assert receiver.requests == []


def test_after_unsubscribing_nothing_more_arrives(owner, workspace, receiver, clock):
    hook_id = _subscribe(owner, receiver, workspace=workspace.pk).json()["id"]
    _send_new_video(workspace, owner, clock)

    response = api_for(owner).delete(f"{HOOKS}{hook_id}/")
    _send_new_video(workspace, owner, clock)

    assert response.status_code == 204
    assert not Endpoint.objects.filter(pk=hook_id).exists()
    assert len(receiver.requests) == 1


def test_without_a_workspace_a_hook_goes_to_the_personal_workspace(owner, workspace, receiver):
    personal = Team.objects.get(created_by=owner, is_personal=True)

    response = _subscribe(owner, receiver)

    assert response.status_code == 201
    assert Endpoint.objects.get(pk=response.json()["id"]).workspace == personal


def test_an_unknown_event_is_refused(owner, workspace, receiver):
    response = _subscribe(owner, receiver, workspace=workspace.pk, event="video.exploded")

    assert response.status_code == 400
    assert "event" in api_error(response)["fields"]
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
def test_only_owners_and_admins_subscribe_hooks_in_a_workspace(
    cast, workspace, receiver, role, status
):
    assert _subscribe(cast[role], receiver, workspace=workspace.pk).status_code == status
    assert not Endpoint.objects.filter(workspace=workspace).exists()


def test_an_ordinary_endpoint_is_not_a_hook(owner, workspace, receiver):
    endpoint = services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url)

    response = api_for(owner).delete(f"{HOOKS}{endpoint.pk}/")

    assert response.status_code == 404
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()


@pytest.mark.parametrize(("role", "status"), [("editor", 403), ("outsider", 404)])
def test_only_owners_and_admins_unsubscribe(cast, owner, workspace, receiver, role, status):
    hook_id = _subscribe(owner, receiver, workspace=workspace.pk).json()["id"]

    assert api_for(cast[role]).delete(f"{HOOKS}{hook_id}/").status_code == status
    assert Endpoint.objects.filter(pk=hook_id).exists()


# -- samples --------------------------------------------------------------------------------------


def _samples(user, workspace, event: str = EVENT):
    return api_for(user).get(f"{HOOKS}samples/{event}/", {"workspace": workspace.pk})


def test_before_any_event_the_samples_are_the_types_sample(owner, workspace):
    response = _samples(owner, workspace)

    assert response.status_code == 200
    assert response.json() == [catalogue.sample_payload(catalogue.EVENT_TYPES[EVENT])]


def test_after_a_real_event_the_samples_are_real(owner, workspace, clock):
    clock.advance(seconds=1)
    make_videos(workspace, owner, title="Summer promo")

    samples = _samples(owner, workspace).json()

    assert isinstance(samples, list) and len(samples) == 1
    assert samples[0]["type"] == EVENT
    assert "Summer promo" in str(samples[0]["data"])
    assert samples != [catalogue.sample_payload(catalogue.EVENT_TYPES[EVENT])]


def test_samples_come_from_the_named_workspace_only(owner, workspace, outsider, clock):
    elsewhere = Team.objects.get(created_by=outsider, is_personal=True)
    make_videos(elsewhere, outsider, title="Not yours")

    samples = _samples(owner, workspace).json()

    assert "Not yours" not in str(samples)


@pytest.mark.parametrize("event", ["video.exploded", catalogue.TEST_EVENT_TYPE, "a" * 300])
def test_samples_of_an_unknown_event_are_not_found(owner, workspace, event):
    assert _samples(owner, workspace, event).status_code == 404


@pytest.mark.parametrize(("role", "status"), [("editor", 403), ("outsider", 404)])
def test_only_owners_and_admins_read_samples(cast, workspace, role, status):
    assert _samples(cast[role], workspace).status_code == status


# -- the event catalogue --------------------------------------------------------------------------


def test_the_catalogue_lists_every_type_with_a_valid_schema_and_sample(viewer):
    response = api_for(viewer).get("/api/v1/webhooks/event-types/")

    assert response.status_code == 200
    types = response.json()
    assert len(types) == 14
    assert [t["key"] for t in types] == list(catalogue.EVENT_TYPES)
    for described in types:
        validator = jsonschema.validators.validator_for(described["schema"])
        validator.check_schema(described["schema"])
        validator(described["schema"]).validate(described["sample"])
        assert described["sample"]["type"] == described["key"]
        assert described["description"]


def test_the_catalogue_speaks_the_requests_language(viewer):
    kind = next(iter(catalogue.EVENT_TYPES.values()))

    response = api_for(viewer).get("/api/v1/webhooks/event-types/", HTTP_ACCEPT_LANGUAGE="fr")

    with translation.override("fr"):
        assert response.json()[0]["description"] == str(kind.description)


def test_the_catalogue_needs_a_sign_in(client):
    assert client.get("/api/v1/webhooks/event-types/").status_code in (401, 403)
