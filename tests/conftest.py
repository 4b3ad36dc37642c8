"""A fixed cast: owner, admin, editor and viewer of one workspace, and an outsider."""

import pytest
from django.test import Client
from django.urls import reverse

from teams.models import Membership, Role, Team
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@example.com", name="Olivia Owner")


@pytest.fixture
def workspace(owner) -> Team:
    team = Team.objects.create(name="Acme Studio", created_by=owner)
    Membership.objects.create(team=team, user=owner, role=Role.OWNER)
    return team


def _member(workspace: Team, email: str, name: str, role: str):
    user = UserFactory(email=email, name=name)
    MembershipFactory(team=workspace, user=user, role=role)
    return user


@pytest.fixture
def admin_user(workspace):
    return _member(workspace, "admin@example.com", "Adam Admin", Role.ADMIN)


@pytest.fixture
def editor(workspace):
    return _member(workspace, "editor@example.com", "Edith Editor", Role.EDITOR)


@pytest.fixture
def viewer(workspace):
    return _member(workspace, "viewer@example.com", "Victor Viewer", Role.VIEWER)


@pytest.fixture
def outsider(db):
    # Has a personal workspace of their own (every user does), and nothing in ours.
    return UserFactory(email="outsider@example.com", name="Oscar Outsider")


@pytest.fixture
def cast(owner, admin_user, editor, viewer, outsider) -> dict:
    return {
        "owner": owner,
        "admin": admin_user,
        "editor": editor,
        "viewer": viewer,
        "outsider": outsider,
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def client_in(user, workspace: Team) -> Client:
    """A signed-in browser with `workspace` chosen in the header, as the user would choose it."""
    client = client_for(user)
    client.post(reverse("teams:switch"), {"workspace": workspace.pk})
    return client


@pytest.fixture
def owner_client(owner) -> Client:
    return client_for(owner)


def pytest_collection_modifyitems(items) -> None:
    # A transactional test flushes the database afterwards, which deletes the rows our data
    # migrations created (the plans); serialized_rollback puts them back.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use @pytest.mark.django_db(transaction=True, "
                "serialized_rollback=True) so the migrated data survives the flush."
            )
