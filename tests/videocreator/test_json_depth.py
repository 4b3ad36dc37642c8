"""JSON nested too deeply is a 400 in the API's error shape, never a RecursionError (500)."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_create
from videocreator.parsers import MAX_JSON_DEPTH, json_depth_exceeds

DEEP = "[" * 1000 + "]" * 1000  # about 2 KB

POSTS = [
    "/api/v1/workspaces/",
    "/api/v1/videos/",
    "/api/v1/brand-kits/",
    "/api/v1/exports/",
    "/api/v1/schedules/",
]


@pytest.fixture
def api(owner) -> APIClient:
    _token, key = api_token_create(user=owner, name="t")
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("url", POSTS)
def test_deeply_nested_json_is_refused_with_400(api, url):
    response = api.post(url, data=DEEP, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert "nested too deeply" in error["message"]


@pytest.mark.django_db
def test_deeply_nested_object_in_a_field_is_refused(api, workspace):
    deep = '{"a":' * 1000 + "1" + "}" * 1000
    body = f'{{"workspace": {workspace.id}, "template": "x", "title": "t", "fields": {deep}}}'
    response = api.post("/api/v1/videos/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


@pytest.mark.django_db
def test_deeply_nested_fields_string_in_multipart_is_refused(api, workspace):
    response = api.post(
        "/api/v1/videos/",
        data={"workspace": workspace.id, "template": "x", "title": "t", "fields": DEEP},
        format="multipart",
    )
    assert response.status_code == 400
    assert "fields" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_nesting_within_the_limit_still_parses(api, workspace):
    nested = "[" * (MAX_JSON_DEPTH - 2) + "]" * (MAX_JSON_DEPTH - 2)
    body = json.dumps({"name": "x" * 300, "extra": json.loads(nested)})
    response = api.post("/api/v1/workspaces/", data=body, content_type="application/json")
    # Parsed, then refused by the serializer for the name, not by the parser.
    assert response.status_code == 400
    assert response.json()["error"]["code"] != "parse_error"


def test_brackets_inside_strings_do_not_count():
    assert not json_depth_exceeds(json.dumps({"s": "[" * 500, "t": 'a"\\[{' * 100}))
    assert json_depth_exceeds("[" * (MAX_JSON_DEPTH + 1))
    assert not json_depth_exceeds("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH)
    assert not json_depth_exceeds("[[]]" * 1000)
