"""/api/v1/features/requests: the shapes, filters and sorts, votes, and bad input (4xx with one
error shape, never a 500)."""

import pytest
from django.urls import reverse

from growth.feedback import services
from growth.feedback.models import Category, FeatureRequest, Status, Vote

pytestmark = pytest.mark.django_db

LIST = "/api/v1/features/requests"


def test_paths_work_without_and_with_a_trailing_slash(api, outsider, make_request):
    request = make_request()
    assert reverse("api:feature-requests") == LIST
    assert reverse("api:feature-request-vote", args=[request.pk]) == f"{LIST}/{request.pk}/vote"
    client = api(outsider)
    assert client.get(LIST).status_code == 200
    assert client.get(LIST + "/").status_code == 200


def test_create_answers_the_request(api, outsider):
    response = api(outsider).post(
        LIST,
        {"title": "  Dark mode ", "description": "At night", "category": "ui_ux"},
        format="json",
    )
    assert response.status_code == 201
    data = response.json()
    assert set(data) == {
        "id", "title", "description", "category", "status", "status_note", "vote_score",
        "comment_count", "created_at", "shipped_at", "merged_into", "my_vote",
    }  # fmt: skip
    assert (data["title"], data["status"], data["vote_score"]) == ("Dark mode", "open", 0)
    assert FeatureRequest.objects.get(pk=data["id"]).author == outsider


def test_list_is_top_voted_and_paginated_with_my_vote(api, outsider, make_request, voters):
    low, high = make_request("Low"), make_request("High")
    for user in voters(2):
        services.feature_request_vote(feature_request=high, user=user, value=1)
    services.feature_request_vote(feature_request=low, user=outsider, value=-1)
    data = api(outsider).get(LIST).json()
    assert data["count"] == 2
    assert [(r["title"], r["vote_score"], r["my_vote"]) for r in data["results"]] == [
        ("High", 2, 0),
        ("Low", -1, -1),
    ]


def test_filters_search_and_sorts(api, outsider, make_request):
    a = make_request("Batch export to Drive", category=Category.PUBLISHING)
    b = make_request("Dark mode", category=Category.UI_UX)
    FeatureRequest.objects.filter(pk=b.pk).update(status=Status.PLANNED)
    client = api(outsider)

    def titles(**query):
        return [r["title"] for r in client.get(LIST, query).json()["results"]]

    assert titles(q="drive") == [a.title]
    assert titles(status="planned") == [b.title]
    assert titles(category="publishing") == [a.title]
    assert titles(sort="new") == [b.title, a.title]


def test_vote_change_and_delete(api, outsider, make_request):
    request = make_request()
    url = reverse("api:feature-request-vote", args=[request.pk])
    client = api(outsider)
    assert client.post(url, {"value": 1}, format="json").json() == {
        "id": request.pk,
        "vote_score": 1,
        "my_vote": 1,
    }
    assert client.post(url, {"value": -1}, format="json").json()["vote_score"] == -1
    response = client.delete(url)
    assert response.status_code == 200
    assert response.json() == {"id": request.pk, "vote_score": 0, "my_vote": 0}
    assert not Vote.objects.exists()


@pytest.mark.parametrize("value", [2, 0, "x", "1", True, None, 1.5, [1]])
def test_bad_vote_values_are_400(api, outsider, make_request, value):
    request = make_request()
    response = api(outsider).post(
        reverse("api:feature-request-vote", args=[request.pk]), {"value": value}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["value"]
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"title": "x" * 121},
        {"title": ""},
        {"title": 5},
        {"title": "Ok", "category": "nope"},
        {"title": "Nul\x00"},
        {"title": "Ok", "description": ["a"]},
        {},
    ],
)
def test_bad_requests_are_400_and_make_nothing(api, outsider, body):
    response = api(outsider).post(LIST, body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] and error["code"]
    assert not FeatureRequest.objects.exists()


@pytest.mark.parametrize(
    "query",
    [{"status": "nope"}, {"category": "x"}, {"sort": "random"}, {"q": "a\x00b"}, {"q": "x" * 201}],
)
def test_bad_filters_are_400(api, outsider, query):
    assert api(outsider).get(LIST, query).status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        f"{LIST}/99999999999999999999/vote",
        f"{LIST}/9223372036854775808/vote",
        f"{LIST}/123/vote",
        f"{LIST}/abc/vote",
        f"{LIST}/-1/vote",
    ],
)
def test_unknown_and_huge_ids_are_404(api, outsider, path):
    assert api(outsider).post(path, {"value": 1}, format="json").status_code == 404


def test_anonymous_is_refused(api):
    assert api(None).get(LIST).status_code in (401, 403)
    assert api(None).post(LIST, {"title": "x"}, format="json").status_code in (401, 403)


def test_voting_on_a_merged_request_is_a_clear_400(api, outsider, make_request, staff):
    duplicate, target = make_request("Drive"), make_request("Google Drive")
    services.feature_request_merge(duplicate=duplicate, target=target, actor=staff)
    response = api(outsider).post(
        reverse("api:feature-request-vote", args=[duplicate.pk]), {"value": 1}, format="json"
    )
    assert response.status_code == 400
    assert f"#{target.pk}" in response.json()["error"]["message"]
