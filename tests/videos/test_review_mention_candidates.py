"""Whom a comment can @mention: asked for by the review page's autocomplete when a comment box
is first used (GET /videos/<id>/mentions/), not put in every page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from teams.models import Role
from tests.conftest import client_for, client_in
from tests.factories import MembershipFactory, UserFactory

from .conftest import version_url

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.django_db]

# Session, user, profile; the video with the reader's role; the members (users joined).
QUERIES_FOR_CANDIDATES = 5


def candidates_url(video) -> str:
    return reverse("videos:mention_candidates", args=[video.pk])


@pytest.mark.parametrize("role", ["owner", "admin", "editor", "viewer"])
def test_every_member_who_may_comment_gets_the_members_as_json(video, workspace, cast, role):
    response = client_in(cast[role], workspace).get(candidates_url(video))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    people = [cast[name] for name in ("owner", "admin", "editor", "viewer")]  # by role, then e-mail
    assert response.json() == [
        {"id": user.pk, "name": user.name, "email": user.email, "handle": user.name}
        for user in people
    ]


def test_the_answer_is_kept_privately_for_a_minute(video, workspace, editor):
    response = client_in(editor, workspace).get(candidates_url(video))
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "max-age=60"} <= directives
    assert "public" not in directives


def test_a_name_two_members_share_is_offered_as_their_e_mail(video, workspace, editor):
    for email in ("sam.a@example.com", "sam.b@example.com"):
        MembershipFactory(
            team=workspace, user=UserFactory(email=email, name="Sam"), role=Role.VIEWER
        )
    found = client_in(editor, workspace).get(candidates_url(video)).json()
    handles = {row["email"]: row["handle"] for row in found}
    assert handles["sam.a@example.com"] == "sam.a@example.com"
    assert handles["sam.b@example.com"] == "sam.b@example.com"
    assert handles["editor@example.com"] == "Edith Editor"


def test_outsiders_and_unknown_videos_get_404(video, outsider, editor, workspace):
    assert client_for(outsider).get(candidates_url(video)).status_code == 404
    missing = reverse("videos:mention_candidates", args=[video.pk + 1000])
    assert client_in(editor, workspace).get(missing).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, video):
    response = client.get(candidates_url(video))
    assert response.status_code == 302 and "login" in response.url


def test_only_get_is_answered(video, workspace, editor):
    assert client_in(editor, workspace).post(candidates_url(video)).status_code == 405


@pytest.mark.parametrize("extra_members", [5, 50])
def test_the_candidates_cost_the_same_queries_for_5_and_50_members(
    video, workspace, editor, extra_members, django_assert_max_num_queries
):
    for _ in range(extra_members):
        MembershipFactory(team=workspace, role=Role.VIEWER)
    client = client_in(editor, workspace)
    with django_assert_max_num_queries(QUERIES_FOR_CANDIDATES):
        response = client.get(candidates_url(video))
    assert len(response.json()) == workspace.memberships.count() == 2 + extra_members


def test_the_review_page_points_its_comment_box_at_the_candidates(video, workspace, editor, viewer):
    html = client_in(editor, workspace).get(version_url(video)).content.decode()
    assert f'data-mentions-url="{candidates_url(video)}"' in html
    # the members themselves are not in the page: nobody here has commented or been named
    assert viewer.email not in html and 'id="mention-handles"' not in html
