"""The board's pages: the board with search, filters and sorts; submitting with similar
requests suggested; a request's page with comments (edit and delete one's own); bad input."""

import pytest
from django.urls import reverse

from growth.feedback import services
from growth.feedback.models import Comment, FeatureRequest
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_board_filters_and_search(make_request, outsider):
    make_request("Dark mode", category="ui_ux")
    make_request("Batch export to Drive", category="publishing")
    client = client_for(outsider)
    html = client.get(reverse("feedback:board"), {"q": "drive"}).content.decode()
    assert "Batch export to Drive" in html and "Dark mode" not in html
    html = client.get(reverse("feedback:board"), {"category": "ui_ux"}).content.decode()
    assert "Dark mode" in html and "Batch export" not in html


def test_board_shows_bad_filters_as_errors_not_500(make_request, outsider):
    make_request()
    response = client_for(outsider).get(
        reverse("feedback:board"), {"status": "nope", "sort": "x", "page": "zz"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    nul = client_for(outsider).get(reverse("feedback:board"), {"q": "a\x00b"})
    assert nul.status_code == 400


def test_submit_a_request(outsider):
    client = client_for(outsider)
    response = client.post(
        reverse("feedback:new"),
        {"title": "Dark mode", "description": "Please", "category": "ui_ux"},
    )
    request = FeatureRequest.objects.get()
    assert response["Location"] == reverse("feedback:detail", args=[request.pk])
    assert (request.author, request.category) == (outsider, "ui_ux")


@pytest.mark.parametrize(
    "data",
    [
        {"title": "x" * 121, "category": "ui_ux"},
        {"title": "", "category": "ui_ux"},
        {"title": "Ok", "category": "nope"},
        {"title": "Nul\x00", "category": "ui_ux"},
    ],
)
def test_bad_submissions_show_errors(outsider, data):
    response = client_for(outsider).post(reverse("feedback:new"), data)
    assert response.status_code == 400
    assert not FeatureRequest.objects.exists()


def test_similar_requests_are_suggested_while_typing(make_request, outsider):
    make_request("Export videos to Google Drive")
    make_request("Dark mode")
    response = client_for(outsider).get(
        reverse("feedback:similar"), {"title": "drive export"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Export videos to Google Drive" in html and "Dark mode" not in html
    assert 'id="similar-requests"' in html
    form = client_for(outsider).get(reverse("feedback:new")).content.decode()
    assert f'hx-get="{reverse("feedback:similar")}"' in form


def test_comment_edit_and_delete_own_only(make_request, outsider, owner):
    request = make_request()
    comment = services.feature_request_comment(feature_request=request, author=owner, body="First")
    other = client_for(outsider)
    assert (
        other.post(
            reverse("feedback:comment_edit", args=[comment.pk]), {"body": "Hacked"}
        ).status_code
        == 403
    )
    assert other.post(reverse("feedback:comment_delete", args=[comment.pk])).status_code == 403
    mine = client_for(owner)
    mine.post(reverse("feedback:comment_edit", args=[comment.pk]), {"body": "Edited"})
    comment.refresh_from_db()
    assert comment.body == "Edited" and comment.edited_at is not None
    mine.post(reverse("feedback:comment_delete", args=[comment.pk]))
    assert not Comment.objects.exists()
    assert FeatureRequest.objects.get(pk=request.pk).comment_count == 0


def test_comment_from_the_page_counts_and_subscribes(make_request, outsider):
    request = make_request()
    client = client_for(outsider)
    client.post(reverse("feedback:comment", args=[request.pk]), {"body": "Me too"})
    client.post(reverse("feedback:comment", args=[request.pk]), {"body": ""})  # refused
    request.refresh_from_db()
    assert request.comment_count == 1
    html = client.get(reverse("feedback:detail", args=[request.pk])).content.decode()
    assert "Me too" in html and "Unfollow" in html


@pytest.mark.parametrize("pk", ["99999999999999999999", "9223372036854775808", "424242"])
def test_unknown_and_huge_ids_are_404(outsider, pk):
    client = client_for(outsider)
    assert client.get(f"/feedback/{pk}/").status_code == 404
    assert client.post(f"/feedback/{pk}/vote/", {"value": "1"}).status_code == 404
    assert client.get(f"/feedback/comments/{pk}/edit/").status_code == 404


def test_the_account_menu_links_the_board(outsider):
    html = client_for(outsider).get(reverse("feedback:board")).content.decode()
    assert f'<a href="{reverse("feedback:board")}">Feature requests</a>' in html
