"""A signed-in request costs two queries before the view runs: the session, and the user with
their profile (language and time zone)."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.test import Client

from accounts.models import Profile
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.floor_urls")]


@pytest.fixture
def traveller():
    user = UserFactory()
    Profile.objects.filter(user=user).update(language="ja", time_zone="Asia/Tokyo")
    return user


def test_two_queries_before_the_view(traveller, django_assert_num_queries) -> None:
    client = client_for(traveller)
    with django_assert_num_queries(2):
        response = client.get("/floor/")
    assert response.content.decode() == "ja Asia/Tokyo"


def test_a_user_without_a_profile_is_served_in_two_queries(django_assert_num_queries) -> None:
    user = UserFactory()
    Profile.objects.filter(user=user).delete()
    client = client_for(user)
    with django_assert_num_queries(2):
        response = client.get("/floor/", headers={"accept-language": "de"})
    assert response.content.decode() == "de UTC"


def test_an_inactive_user_is_signed_out(traveller) -> None:
    client = client_for(traveller)
    type(traveller).objects.filter(pk=traveller.pk).update(is_active=False)
    assert client.get("/floor/").status_code == 302


@pytest.mark.parametrize(
    "old_backend",
    [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ],
)
def test_sessions_from_before_the_rename_stay_signed_in(traveller, old_backend) -> None:
    client: Client = client_for(traveller)
    session = client.session
    session[BACKEND_SESSION_KEY] = old_backend
    session.save()
    response = client.get("/floor/")
    assert response.status_code == 200
    assert client.session[BACKEND_SESSION_KEY].startswith("accounts.backends.")
