"""The only owner of a team workspace is not offered "Leave workspace" (the service would refuse
it); the page says what to do instead. A second owner may leave, and the refusal stays."""

import pytest
from django.urls import reverse

from teams.models import Membership, Role
from tests.conftest import client_in


def _leave_url(workspace, user) -> str:
    return reverse("teams:member_remove", args=[workspace.pk, user.pk])


@pytest.mark.django_db
def test_the_only_owner_is_told_how_to_leave_instead_of_offered_it(cast, workspace, owner):
    html = client_in(owner, workspace).get(reverse("teams:team")).content.decode()
    assert _leave_url(workspace, owner) not in html
    assert "only owner" in html
    assert "Transfer ownership" in html and "delete the workspace" in html


@pytest.mark.django_db
def test_one_of_two_owners_is_offered_leave(cast, workspace, owner, admin_user):
    Membership.objects.filter(team=workspace, user=admin_user).update(role=Role.OWNER)
    html = client_in(owner, workspace).get(reverse("teams:team")).content.decode()
    assert _leave_url(workspace, owner) in html
    assert "only owner" not in html


@pytest.mark.django_db
def test_the_only_owner_leaving_anyway_is_still_refused(cast, workspace, owner):
    client = client_in(owner, workspace)
    response = client.post(_leave_url(workspace, owner), follow=True)
    assert "Transfer ownership before leaving" in response.content.decode()
    assert Membership.objects.filter(team=workspace, user=owner, role=Role.OWNER).exists()


@pytest.mark.django_db
def test_a_personal_workspace_shows_neither_leave_nor_the_explanation(owner):
    html = client_in(owner, owner.teams.get(is_personal=True)).get(reverse("teams:team"))
    html = html.content.decode()
    assert "Leave workspace" not in html and "only owner" not in html
