"""A personal workspace's name is shown in the reader's language ("Ana's workspace", "Espace de
travail de Ana"), whatever language its owner signed up in, until someone renames it."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from teams.models import Membership, Role, Team
from teams.services.workspaces import workspace_rename
from tests.conftest import client_in


@pytest.fixture(autouse=True)
def _language_and_zone_reset():
    """A request leaves its reader's language and time zone active in the thread."""
    yield
    translation.deactivate()
    timezone.deactivate()


def _user(email: str, name: str, language: str = "en") -> User:
    with translation.override(language):  # signing up in that language
        return User.objects.create_user(email=email, name=name)


def _personal(user) -> Team:
    return user.teams.get(is_personal=True)


def _in(language: str, team: Team) -> str:
    with translation.override(language):
        return Team.objects.get(pk=team.pk).display_name


@pytest.mark.django_db
def test_the_name_follows_the_language_it_is_read_in():
    team = _personal(_user("ana@example.com", "Ana", language="ja"))
    assert team.name == "Ana のワークスペース"  # stored as it was at sign-up
    assert _in("en", team) == "Ana's workspace"
    assert _in("fr", team) == "Espace de travail de Ana"
    assert _in("hi", team) == "Ana का वर्कस्पेस"


@pytest.mark.django_db
def test_a_renamed_personal_workspace_keeps_its_name_in_every_language():
    ana = _user("ana@example.com", "Ana")
    team = workspace_rename(workspace=_personal(ana), name="Ana Films", actor=ana)
    assert _in("en", team) == _in("de", team) == "Ana Films"


@pytest.mark.django_db
def test_saving_the_shown_name_unchanged_does_not_freeze_it():
    ana = _user("ana@example.com", "Ana")
    with translation.override("de"):
        team = workspace_rename(workspace=_personal(ana), name="Arbeitsbereich von Ana", actor=ana)
    assert _in("en", team) == "Ana's workspace"


@pytest.mark.django_db
def test_every_language_keeps_the_100_character_rule():
    team = _personal(_user("long@example.com", "Ana" + "x" * 147))
    for language in ("en", "fr", "de", "ja", "hi"):
        shown = _in(language, team)
        assert len(shown) <= 100 and "Anaxx" in shown and "…" in shown


@pytest.mark.django_db
def test_pages_show_it_in_the_readers_language(workspace, owner):
    ana = _user("ana@example.com", "Ana", language="ja")
    Membership.objects.create(team=_personal(ana), user=owner, role=Role.EDITOR)
    owner.profile.language = "es"
    owner.profile.save()
    client = client_in(owner, _personal(ana))
    for page in ("dashboard", "teams:team"):
        html = client.get(reverse(page)).content.decode()
        assert "Espacio de trabajo de Ana" in html and "Ana のワークスペース" not in html


@pytest.mark.django_db
def test_existing_personal_workspaces_are_recognised_and_renamed_ones_left_alone():
    ana, bea = _user("ana@example.com", "Ana", "ko"), _user("bea@example.com", "Bea")
    Team.objects.filter(pk=_personal(bea).pk).update(name="Bea Studio")
    Team.objects.update(named_after="")  # as before the migration
    migration = importlib.import_module("teams.migrations.0006_team_named_after")
    migration.name_personal_workspaces_after_their_owners(apps, None)
    assert _in("pt", _personal(ana)) == "Espaço de trabalho de Ana"
    assert _in("pt", _personal(bea)) == "Bea Studio"
