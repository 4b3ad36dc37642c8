import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_create


@pytest.mark.django_db
def test_openapi_schema_describes_me(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"]
    token_scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (token_scheme["in"], token_scheme["name"]) == ("header", "Authorization")


@pytest.mark.django_db
def test_docs_page_works_offline(client):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page.lower()
    # Assets come from drf-spectacular-sidecar, served by us, not a CDN.
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page


@pytest.mark.django_db
def test_session_authentication_works(owner_client):
    assert owner_client.get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_unknown_route_is_404(owner):
    _token, key = api_token_create(user=owner, name="t")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/nothing-here/").status_code == 404


@pytest.mark.django_db
def test_method_not_allowed_uses_the_error_format(owner):
    _token, key = api_token_create(user=owner, name="t")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.delete("/api/v1/me/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_throttling_limits_requests(owner, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import UserRateThrottle

    _token, key = api_token_create(user=owner, name="t")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    original = UserRateThrottle.THROTTLE_RATES
    UserRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "user": "3/min"}
    try:
        codes = [api.get("/api/v1/me/").status_code for _ in range(5)]
    finally:
        UserRateThrottle.THROTTLE_RATES = original
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429


@pytest.mark.django_db
def test_error_messages_follow_the_language(owner):
    api = APIClient()
    response = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 401
    assert response.json()["error"]["message"] != "Authentication credentials were not provided."
