import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create
from analytics.models import Event
from tests.conftest import client_for


def _api(key: str | None = None) -> APIClient:
    api = APIClient()
    if key:
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.mark.django_db
def test_token_created_on_settings_page_is_shown_once_and_stored_hashed(owner):
    client = client_for(owner)
    response = client.post(reverse("accounts:api_tokens"), {"name": "Zapier"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("vc_") and key in response.content.decode()

    token = ApiToken.objects.get(user=owner)
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in (token.key_hash, token.prefix)
    assert Event.objects.filter(name="api_token.created", actor=owner).exists()
    # Shown once: the list page no longer contains it.
    assert key not in client.get(reverse("accounts:api_tokens")).content.decode()


@pytest.mark.django_db
def test_blank_token_name_is_a_form_error(owner):
    response = client_for(owner).post(reverse("accounts:api_tokens"), {"name": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_token_authenticates_and_records_last_use(owner):
    token, key = api_token_create(user=owner, name="CI")
    response = _api(key).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == owner.email
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_me_lists_workspaces_with_roles(owner, workspace, editor):
    _token, key = api_token_create(user=editor, name="CI")
    data = _api(key).get("/api/v1/me/").json()
    roles = {w["name"]: w["role"] for w in data["workspaces"]}
    assert roles["Acme Studio"] == "editor"
    assert sum(w["is_personal"] for w in data["workspaces"]) == 1
    assert data["time_zone"] == "UTC"
    assert data["language"] == "en"


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Token nope", "Token ", "Bearer abc", "Token a b"])
def test_bad_credentials_get_401_in_the_error_format(header):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert set(response.json()["error"]) >= {"code", "message"}


@pytest.mark.django_db
def test_revoked_token_stops_working(owner):
    token, key = api_token_create(user=owner, name="Old")
    response = client_for(owner).post(reverse("accounts:api_token_revoke", args=[token.id]))
    assert response.status_code == 302
    assert _api(key).get("/api/v1/me/").status_code == 401
    assert Event.objects.filter(name="api_token.revoked").count() == 1


@pytest.mark.django_db
def test_someone_elses_token_is_404(owner, outsider):
    token, key = api_token_create(user=owner, name="Mine")
    response = client_for(outsider).post(reverse("accounts:api_token_revoke", args=[token.id]))
    assert response.status_code == 404
    assert _api(key).get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_anonymous_api_request_is_401():
    assert _api().get("/api/v1/me/").status_code == 401
