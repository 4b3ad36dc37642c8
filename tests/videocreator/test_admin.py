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
