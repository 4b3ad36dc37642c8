import pytest

from accounts.models import User
from teams.models import Membership, Team
from teams.services.memberships import membership_add
from teams.services.workspaces import workspace_create, workspace_create_personal


@pytest.mark.django_db
def test_every_user_gets_exactly_one_personal_workspace():
    user = User.objects.create_user(email="a@example.com", password="pw-123456789")
    assert workspace_create_personal(user=user) == user.teams.get(is_personal=True)
    assert Team.objects.filter(created_by=user, is_personal=True).count() == 1


@pytest.mark.django_db
def test_team_workspace_and_members(owner, outsider):
    team = workspace_create(owner=owner, name="  Launch  ")
    assert team.name == "Launch"
    membership_add(workspace=team, user=outsider, role="editor", actor=owner)
    membership_add(workspace=team, user=outsider, role="viewer", actor=owner)
    assert Membership.objects.get(team=team, user=outsider).role == "editor"


@pytest.mark.django_db
def test_members_are_listed_from_owner_down(cast, workspace):
    from teams.selectors import workspace_members

    roles = [m.role for m in workspace_members(workspace=workspace)]
    assert roles == ["owner", "admin", "editor", "viewer"]
