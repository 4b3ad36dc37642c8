"""A new session opens in the workspace the member chose last (else their personal one)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def current_workspace_name(client: Client) -> str:
    return client.get(reverse("teams:team")).context["current_workspace"].name


def test_without_a_choice_a_session_opens_in_the_personal_workspace(owner, workspace):
    assert current_workspace_name(client_for(owner)) != workspace.name


def test_a_new_session_opens_in_the_workspace_chosen_last(owner, workspace):
    first = client_for(owner)
    first.post(reverse("teams:switch"), {"workspace": workspace.pk})
    assert current_workspace_name(client_for(owner)) == workspace.name  # another device

    personal = owner.teams.get(is_personal=True)
    first.post(reverse("teams:switch"), {"workspace": personal.pk})
    assert current_workspace_name(client_for(owner)) == personal.name


def test_a_new_workspace_is_the_one_used_last(owner, workspace):
    client_for(owner).post(reverse("teams:new"), {"name": "Side Project"})
    assert current_workspace_name(client_for(owner)) == "Side Project"
