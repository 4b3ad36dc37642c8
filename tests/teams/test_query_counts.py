"""The team pages and lists cost the same number of queries however many rows they show."""

import pytest
from django.urls import reverse

from teams.models import Role
from teams.services.invitations import invitations_create
from tests.conftest import client_for, client_in
from tests.factories import MembershipFactory, TeamFactory, UserFactory

SIZES = [3, 20]


@pytest.fixture(autouse=True)
def _no_seat_limit(settings):
    settings.TEAM_SEAT_LIMIT = ""  # room for every member and invitation


def _fill(workspace, owner, count: int) -> None:
    for _ in range(count):
        MembershipFactory(team=workspace, user=UserFactory(), role=Role.EDITOR)
    invitations_create(
        workspace=workspace,
        emails=[f"invitee{n}@example.com" for n in range(count)],
        role=Role.VIEWER,
        actor=owner,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("size", SIZES)
def test_team_page_query_count_is_fixed(workspace, owner, size, django_assert_max_num_queries):
    _fill(workspace, owner, size)
    client = client_in(owner, workspace)
    # session, user, profile, memberships, members, pending invitations, unread notifications
    with django_assert_max_num_queries(7):
        page = client.get(reverse("teams:team"))
    assert page.status_code == 200
    assert page.content.decode().count("invitee") >= size


@pytest.mark.django_db
@pytest.mark.parametrize("size", SIZES)
def test_header_workspace_list_query_count_is_fixed(owner, size, django_assert_max_num_queries):
    for _ in range(size):
        MembershipFactory(team=TeamFactory(), user=owner, role=Role.VIEWER)
    client = client_for(owner)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("dashboard"))
    assert page.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", SIZES)
def test_api_lists_query_count_is_fixed(workspace, owner, size, django_assert_max_num_queries):
    _fill(workspace, owner, size)
    for _ in range(size):
        MembershipFactory(team=TeamFactory(), user=owner, role=Role.VIEWER)
    client = client_for(owner)
    urls = [
        reverse("api:workspaces"),
        reverse("api:workspace-members", args=[workspace.pk]),
        reverse("api:workspace-invitations", args=[workspace.pk]),
    ]
    for url in urls:
        # session, user, profile, the permission check, the count and one page
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200, url
