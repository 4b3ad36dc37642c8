"""Every model in the admin opens its list, search and add pages for staff."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.services import api_token_create
from analytics.events import record
from tests.conftest import client_for


@pytest.fixture
def superuser(db):
    from accounts.models import User

    return User.objects.create_superuser(email="root@example.com", password="root-pass-123")


@pytest.mark.django_db
def test_every_admin_page_opens(superuser, workspace, viewer):
    api_token_create(user=viewer, name="t")
    record("test.event", workspace=workspace, actor=viewer, subject=workspace)
    client = client_for(superuser)
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        changelist = reverse(f"{prefix}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        assert client.get(changelist, {"q": "example"}).status_code == 200, changelist
        if model_admin.has_add_permission(_request_for(superuser)):
            add = reverse(f"{prefix}_add")
            assert client.get(add).status_code == 200, add
        first = model._default_manager.first()
        if first is not None:
            change = reverse(f"{prefix}_change", args=[first.pk])
            assert client.get(change).status_code == 200, change


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.mark.django_db
def test_admin_is_closed_to_non_staff(owner):
    response = client_for(owner).get("/admin/")
    assert response.status_code == 302


@pytest.mark.django_db
def test_admin_sign_in_is_limited_like_the_site_sign_in(superuser, settings):
    """Wrong passwords through /admin/login/ count towards LOGIN_FAILED_RATE_LIMIT: once the
    account's allowance is used up, even the right password is refused for the lockout period."""
    from django.test import Client

    allowed = 5  # "5/5m/key" in LOGIN_FAILED_RATE_LIMIT's default
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"].endswith(f"{allowed}/5m/key")
    client = Client()
    login_url = reverse("admin:login") + "?next=/admin/"
    for _ in range(allowed):
        response = client.post(login_url, {"username": "root@example.com", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(login_url, {"username": "ROOT@example.com", "password": "root-pass-123"})
    assert response.status_code == 200, "the right password got in during the lockout"
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    # The site's own sign-in page shares the same count.
    response = client.post(
        reverse("account_login"), {"login": "root@example.com", "password": "root-pass-123"}
    )
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_admin_sign_in_still_works(superuser):
    from django.test import Client

    client = Client()
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": "root@example.com", "password": "root-pass-123"},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
