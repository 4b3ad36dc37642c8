"""Every staff-only route (route_table.STAFF_ONLY): anonymous visitors and every member of the
cast, owners included, get 404, as if it did not exist; a member of staff gets through."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.videocreator.conftest import describe_response, is_api, route_kwargs
from tests.videocreator.route_table import CAST_ORDER, OK, STAFF_KWARGS, STAFF_ROUTES

pytestmark = pytest.mark.usefixtures("fast_passwords")


def test_the_staff_routes_are_there():
    assert {route.name for route in STAFF_ROUTES} >= {
        "metrics:business",
        "api:analytics-business",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("route", STAFF_ROUTES, ids=lambda r: r.name)
def test_staff_routes_are_404_for_everyone_else(route, cast, request):
    kwargs = STAFF_KWARGS.get(route.name)
    if kwargs is None and route.converters:  # an object's staff route: the world's object
        kwargs = route_kwargs(route, request.getfixturevalue("world"))
    url = reverse(route.name, kwargs=kwargs)
    api = is_api(route)
    failures = []

    def client_of(user):
        client = APIClient() if api else Client()
        if user is not None:
            client.force_login(user)
        return client

    for role in (None, *CAST_ORDER):
        response = client_of(cast[role] if role else None).get(url)
        if response.status_code != 404:
            failures.append(f"GET {url} as {role or 'anonymous'}: {describe_response(response)}")
    staff = client_of(UserFactory(is_staff=True))
    response = staff.get(url)
    if response.status_code not in OK:
        failures.append(f"GET {url} as staff: {describe_response(response)}")
    assert not failures, "\n".join(failures)
