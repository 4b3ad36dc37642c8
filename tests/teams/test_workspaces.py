import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from teams.models import Membership, Team
from teams.services.memberships import membership_add
from teams.services.workspaces import shorten, workspace_create, workspace_create_personal


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


@pytest.mark.django_db
def test_a_150_character_name_gives_a_personal_workspace_name_that_fits():
    with translation.override("en"):
        user = User.objects.create_user(email="long@example.com", name="Ana" + "x" * 147)
    name = user.teams.get(is_personal=True).name
    assert len(name) == 100
    assert name.startswith("Anaxxx") and name.endswith("…'s workspace")


@pytest.mark.django_db
def test_a_150_character_email_at_sign_up_gives_a_personal_workspace_that_fits(client):
    email = "b" * 150 + "@example.com"
    form = {"email": email, "password1": "a-long-Secret-42", "password2": "a-long-Secret-42"}
    with translation.override("fr"):
        response = client.post(reverse("account_signup"), form, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    name = User.objects.get(email=email).teams.get(is_personal=True).name
    assert len(name) <= 100
    assert name.startswith("Espace de travail de bbb") and name.endswith("b…")


def test_a_shortened_name_keeps_accents_with_their_letter():
    renee = "Rene\u0301e Smith"  # "Renée" with a combining accent
    assert shorten(renee, 6) == "Rene\u0301…"
    assert shorten(renee, 5) == "Ren…"  # not a bare "e" that had an accent
    assert shorten("Short", 5) == "Short"
