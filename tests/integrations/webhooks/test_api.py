"""/api/v1/webhooks/: adding, reading, changing and deleting endpoints; the secret shown once
and then on request; rotation; who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from integrations.webhooks import signing
from integrations.webhooks.models import DisabledReason, Endpoint, EndpointStatus
from tests.videos.conftest import api_error, api_for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/webhooks/"


def _url(endpoint_id: int, tail: str = "") -> str:
    return f"{LIST}{endpoint_id}/{tail}"


def _create(user, workspace, url: str, **fields):
    return api_for(user).post(LIST, {"workspace": workspace.pk, "url": url, **fields}, "json")


@pytest.fixture
def endpoint(workspace, owner, receiver) -> dict:
    """An endpoint made through the API, as its answer shows it."""
    response = _create(owner, workspace, receiver.url, description="CRM")
    assert response.status_code == 201, response.content
    return response.json()


# -- adding ---------------------------------------------------------------------------------------


def test_adding_an_endpoint_answers_with_its_secret(workspace, owner, receiver):
    response = _create(
        owner,
        workspace,
        receiver.url,
        description="  CRM sync ",
        event_types=["video.created", "video.deleted"],
        headers={"Authorization": "Bearer abc"},
    )

    assert response.status_code == 201
    body = response.json()
    endpoint = Endpoint.objects.get(pk=body["id"])
    assert body["secret"] == endpoint.secret and body["secret"].startswith("whsec_")
    assert body["url"] == receiver.url
    assert body["description"] == "CRM sync"
    assert body["event_types"] == ["video.created", "video.deleted"]
    assert body["header_names"] == ["Authorization"]
    assert body["status"] == "active" and body["kind"] == "endpoint"
    assert body["workspace"] == workspace.pk
    assert body["stats"] == {
        "succeeded": 0,
        "failed": 0,
        "pending": 0,
        "success_rate": None,
        "last_delivery_at": None,
    }
    assert signing.custom_headers(endpoint) == {"Authorization": "Bearer abc"}


def test_without_event_types_an_endpoint_gets_every_type(workspace, owner, receiver):
    body = _create(owner, workspace, receiver.url).json()

    assert body["event_types"] == []
    assert Endpoint.objects.get(pk=body["id"]).subscribes_to("payment.succeeded")


def test_reading_an_endpoint_never_shows_its_secret(owner, endpoint):
    detail = api_for(owner).get(_url(endpoint["id"])).json()
    listed = api_for(owner).get(LIST, {"workspace": endpoint["workspace"]}).json()

    assert "secret" not in detail
    assert [row["id"] for row in listed["results"]] == [endpoint["id"]]
    assert "secret" not in listed["results"][0]
    assert endpoint["secret"] not in str(detail) + str(listed)


def test_an_admin_sees_the_secret_on_request(admin_user, endpoint):
    response = api_for(admin_user).get(_url(endpoint["id"], "secret/"))

    assert response.status_code == 200
    assert response.json() == {"secret": endpoint["secret"]}


@pytest.mark.parametrize(("role", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
def test_only_owners_and_admins_see_the_secret(cast, endpoint, role, status):
    response = api_for(cast[role]).get(_url(endpoint["id"], "secret/"))

    assert response.status_code == status
    assert endpoint["secret"] not in response.content.decode()


@pytest.mark.parametrize(("role", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
def test_only_owners_and_admins_add_endpoints(cast, workspace, receiver, role, status):
    response = _create(cast[role], workspace, receiver.url)

    assert response.status_code == status
    assert not Endpoint.objects.exists()


def test_an_admin_adds_an_endpoint(admin_user, workspace, receiver):
    assert _create(admin_user, workspace, receiver.url).status_code == 201


def test_listing_needs_a_workspace(owner, endpoint):
    response = api_for(owner).get(LIST)

    assert response.status_code == 400
    assert "workspace" in api_error(response)["fields"]


@pytest.mark.parametrize(("role", "status"), [("editor", 403), ("outsider", 404)])
def test_only_owners_and_admins_list_endpoints(cast, workspace, endpoint, role, status):
    assert api_for(cast[role]).get(LIST, {"workspace": workspace.pk}).status_code == status


def test_an_endpoint_is_not_found_by_its_id_from_another_workspace(outsider, endpoint):
    for tail in ("", "secret/", "deliveries/"):
        assert api_for(outsider).get(_url(endpoint["id"], tail)).status_code == 404


@pytest.mark.parametrize("endpoint_id", [2**63, 10**30])
def test_an_id_no_database_holds_is_not_found(owner, endpoint, endpoint_id):
    api = api_for(owner)

    assert api.get(_url(endpoint_id)).status_code == 404
    assert api.patch(_url(endpoint_id), {"description": "x"}, "json").status_code == 404
    assert api.post(_url(endpoint_id, "test/")).status_code == 404
    assert api.delete(f"/api/v1/hooks/{endpoint_id}/").status_code == 404


# -- refusals -------------------------------------------------------------------------------------


def test_a_private_address_is_refused_when_private_hosts_are_off(settings, workspace, owner):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False

    response = _create(owner, workspace, "https://127.0.0.1/hook")

    assert response.status_code == 400
    assert api_error(response)["code"] == "address_not_allowed"
    assert not Endpoint.objects.exists()


def test_plain_http_to_loopback_is_refused_when_private_hosts_are_off(settings, workspace, owner):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False

    response = _create(owner, workspace, "http://127.0.0.1/hook")

    assert response.status_code == 400
    assert api_error(response)["code"] in ("https_required", "address_not_allowed")
    assert not Endpoint.objects.exists()


def test_an_unknown_event_type_is_refused(workspace, owner, receiver):
    response = _create(owner, workspace, receiver.url, event_types=["video.exploded"])

    assert response.status_code == 400
    error = api_error(response)
    assert error["code"] == "invalid_event_type"
    assert "video.exploded" in error["message"]
    assert not Endpoint.objects.exists()


def test_a_header_of_ours_cannot_be_replaced(workspace, owner, receiver):
    response = _create(owner, workspace, receiver.url, headers={"Webhook-Signature": "v1,forged"})

    assert response.status_code == 400
    assert api_error(response)["code"] == "reserved_header"
    assert not Endpoint.objects.exists()


# -- changing -------------------------------------------------------------------------------------


def _patch(user, endpoint: dict, **fields):
    return api_for(user).patch(_url(endpoint["id"]), fields, "json")


def test_changing_the_url(owner, endpoint, receiver):
    other = receiver.url.replace("/hook", "/other")

    response = _patch(owner, endpoint, url=other)

    assert response.status_code == 200
    assert response.json()["url"] == other
    assert Endpoint.objects.get(pk=endpoint["id"]).url == other


def test_changing_the_description(owner, endpoint):
    response = _patch(owner, endpoint, description="Billing")

    assert response.json()["description"] == "Billing"
    assert Endpoint.objects.get(pk=endpoint["id"]).description == "Billing"


def test_changing_the_event_types(owner, endpoint):
    response = _patch(owner, endpoint, event_types=["payment.succeeded"])

    assert response.json()["event_types"] == ["payment.succeeded"]
    stored = Endpoint.objects.get(pk=endpoint["id"])
    assert stored.subscribes_to("payment.succeeded")
    assert not stored.subscribes_to("video.created")


def test_changing_the_headers_replaces_them_all(owner, endpoint):
    _patch(owner, endpoint, headers={"X-One": "1", "X-Two": "2"})

    response = _patch(owner, endpoint, headers={"X-Three": "3"})

    assert response.json()["header_names"] == ["X-Three"]
    assert signing.custom_headers(Endpoint.objects.get(pk=endpoint["id"])) == {"X-Three": "3"}


def test_an_empty_object_removes_the_headers(owner, endpoint):
    _patch(owner, endpoint, headers={"X-One": "1"})

    response = _patch(owner, endpoint, headers={})

    assert response.json()["header_names"] == []
    assert Endpoint.objects.get(pk=endpoint["id"]).headers_json == ""


def test_a_patch_changes_only_what_it_names(owner, endpoint):
    response = _patch(owner, endpoint, description="Only this")

    body = response.json()
    assert body["url"] == endpoint["url"]
    assert body["event_types"] == endpoint["event_types"]
    assert body["status"] == "active"


def test_pausing_an_endpoint(owner, endpoint):
    response = _patch(owner, endpoint, status="paused")

    assert response.json()["status"] == "paused"
    assert Endpoint.objects.get(pk=endpoint["id"]).status == EndpointStatus.PAUSED


def test_disabling_an_endpoint(owner, endpoint):
    response = _patch(owner, endpoint, status="disabled")

    body = response.json()
    assert body["status"] == "disabled"
    assert body["disabled_reason"] == DisabledReason.BY_USER
    assert body["disabled_at"] is not None


def test_enabling_a_disabled_endpoint(owner, endpoint):
    _patch(owner, endpoint, status="disabled")

    response = _patch(owner, endpoint, status="active")

    body = response.json()
    assert body["status"] == "active"
    assert body["disabled_reason"] == "" and body["disabled_at"] is None


def test_an_unknown_status_is_refused(owner, endpoint):
    response = _patch(owner, endpoint, status="deleted")

    assert response.status_code == 400
    assert "status" in api_error(response)["fields"]
    assert Endpoint.objects.get(pk=endpoint["id"]).status == EndpointStatus.ACTIVE


def test_a_bad_field_in_a_patch_changes_nothing_else(owner, endpoint):
    response = _patch(owner, endpoint, description="New", event_types=["nope"], status="paused")

    assert response.status_code == 400
    stored = Endpoint.objects.get(pk=endpoint["id"])
    assert (stored.description, stored.status) == ("CRM", EndpointStatus.ACTIVE)


@pytest.mark.parametrize(("role", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
def test_only_owners_and_admins_change_endpoints(cast, endpoint, role, status):
    assert _patch(cast[role], endpoint, description="Mine").status_code == status
    assert Endpoint.objects.get(pk=endpoint["id"]).description == "CRM"


# -- deleting and rotating ------------------------------------------------------------------------


def test_deleting_an_endpoint(owner, endpoint):
    response = api_for(owner).delete(_url(endpoint["id"]))

    assert response.status_code == 204
    assert not Endpoint.objects.filter(pk=endpoint["id"]).exists()
    assert api_for(owner).get(_url(endpoint["id"])).status_code == 404


def test_an_editor_cannot_delete_an_endpoint(editor, endpoint):
    assert api_for(editor).delete(_url(endpoint["id"])).status_code == 403
    assert Endpoint.objects.filter(pk=endpoint["id"]).exists()


def test_rotating_the_secret(owner, endpoint):
    before = timezone.now()

    response = api_for(owner).post(_url(endpoint["id"], "rotate-secret/"))

    assert response.status_code == 200
    body = response.json()
    stored = Endpoint.objects.get(pk=endpoint["id"])
    assert body["secret"] == stored.secret != endpoint["secret"]
    assert stored.previous_secret == endpoint["secret"]
    expires = dt.datetime.fromisoformat(body["previous_secret_expires_at"])
    assert before + signing.ROTATION_OVERLAP <= expires <= timezone.now() + signing.ROTATION_OVERLAP
    assert api_for(owner).get(_url(endpoint["id"], "secret/")).json() == {"secret": body["secret"]}


def test_an_editor_cannot_rotate_the_secret(editor, endpoint):
    assert api_for(editor).post(_url(endpoint["id"], "rotate-secret/")).status_code == 403
    assert Endpoint.objects.get(pk=endpoint["id"]).secret == endpoint["secret"]
