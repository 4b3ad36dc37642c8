"""Staff-only pages, actions and API: 404 for everyone else (signed in or not), as if they
did not exist; staff get through and their actions work."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from growth.feedback import services
from growth.feedback.models import FeatureRequest, Status
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _routes(feature_request, comment):
    return [
        reverse("feedback:prioritized"),
        reverse("feedback:set_status", args=[feature_request.pk]),
        reverse("feedback:merge", args=[feature_request.pk]),
        reverse("feedback:set_rice", args=[feature_request.pk]),
        reverse("feedback:vote_on_behalf", args=[feature_request.pk]),
        reverse("feedback:comment_hide", args=[comment.pk]),
    ]


@pytest.fixture
def objects(make_request, owner):
    feature_request = make_request()
    comment = services.feature_request_comment(
        feature_request=feature_request, author=owner, body="Hi"
    )
    return feature_request, comment


@pytest.mark.parametrize("who", [None, "owner", "outsider"])
def test_staff_pages_and_actions_are_404_for_others(objects, cast, who):
    client = Client() if who is None else client_for(cast[who])
    for url in _routes(*objects):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"status": "shipped", "target": "1"}).status_code == 404, url
    feature_request = FeatureRequest.objects.get(pk=objects[0].pk)
    assert feature_request.status == Status.OPEN


@pytest.mark.parametrize("who", [None, "owner", "viewer"])
def test_prioritized_api_is_404_for_others(cast, who):
    client = APIClient()
    if who:
        client.force_authenticate(cast[who])
    response = client.get(reverse("api:feature-requests-prioritized"))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_staff_set_status_from_the_page(objects, staff, django_capture_on_commit_callbacks):
    feature_request, _comment = objects
    client = client_for(staff)
    url = reverse("feedback:set_status", args=[feature_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"status": "planned", "note": "Soon"})
    assert response.status_code == 302
    feature_request.refresh_from_db()
    assert (feature_request.status, feature_request.status_note) == ("planned", "Soon")
    assert client.post(url, {"status": "merged"}).status_code == 302  # not settable: refused
    feature_request.refresh_from_db()
    assert feature_request.status == "planned"


def test_staff_merge_from_the_page(objects, staff, make_request):
    duplicate, _comment = objects
    target = make_request("Night theme")
    client = client_for(staff)
    url = reverse("feedback:merge", args=[duplicate.pk])
    response = client.post(url, {"target": str(target.pk)})
    assert response["Location"] == reverse("feedback:detail", args=[target.pk])
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == target.pk
    response = client.post(url, {"target": "99999999999999999999"}, follow=True)
    assert response.status_code == 200  # a form error, not a 500


def test_staff_hide_a_comment_hides_it_from_others(objects, staff, outsider):
    feature_request, comment = objects
    client_for(staff).post(reverse("feedback:comment_hide", args=[comment.pk]), {"hidden": "1"})
    feature_request.refresh_from_db()
    assert feature_request.comment_count == 0
    page = client_for(outsider).get(reverse("feedback:detail", args=[feature_request.pk]))
    assert "Hi</p>" not in page.content.decode()
    staff_page = client_for(staff).get(reverse("feedback:detail", args=[feature_request.pk]))
    assert "Hidden by staff" in staff_page.content.decode()
