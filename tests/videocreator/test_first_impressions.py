"""Small things a new user or operator sees first: the browser's icon, the admin's sections,
the API description."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation


@pytest.mark.django_db
def test_favicon_ico_leads_to_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].startswith("/static/") and response["Location"].endswith(".ico")
    path = finders.find("img/favicon.ico")
    assert path and Path(path).read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.django_db
def test_pages_name_their_icon(client):
    assert 'rel="icon"' in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_admin_has_one_section_per_name(client):
    from accounts.models import User

    root = User.objects.create_superuser(email="root@example.com", password="root-pass-123")
    client.force_login(root)
    with translation.override("en"):
        apps = client.get(reverse("admin:index")).context["app_list"]
    names = [app["name"] for app in apps]
    assert len(names) == len(set(names)), names
    assert "Users" in names


@pytest.mark.django_db
def test_the_api_describes_reopening_as_reopening(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    resolve = paths["/api/v1/comments/{comment_id}/resolve/"]["post"]["summary"]
    unresolve = paths["/api/v1/comments/{comment_id}/unresolve/"]["post"]["summary"]
    assert resolve.startswith("Resolve") and "reopen" not in resolve.lower()
    assert unresolve.startswith("Reopen") and "Resolve" not in unresolve
