"""Every signed-in route without an object id against the permission matrix
(route_table.USER_LEVEL): anonymous visitors are sent to log in or refused; members need
the action given, in their current workspace."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from teams.permissions import role_allows
from tests.videocreator.conftest import (
    api_methods,
    cast_clients,
    describe_response,
    is_api,
    send_rolled_back,
)
from tests.videocreator.route_table import (
    CAST_ORDER,
    OK,
    USER_LEVEL,
    USER_LEVEL_KWARGS,
    USER_ROUTES,
)

# The cast is made for every route: a cheap hasher keeps that quick.
pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.mark.django_db
@pytest.mark.parametrize("route", USER_ROUTES, ids=lambda r: r.name)
def test_user_level_route_permissions(route, cast, world, client):
    api = is_api(route)
    url = reverse(route.name, kwargs=USER_LEVEL_KWARGS.get(route.name))
    action = USER_LEVEL[route.name]
    failures = []

    anonymous = APIClient() if api else client
    probe = anonymous.get(url)
    if api:
        if probe.status_code not in (401, 403):
            failures.append(
                f"GET {url} anonymous: got {describe_response(probe)}, expected 401/403"
            )
    elif probe.status_code != 302 or not re.search(r"/accounts/login/", probe["Location"]):
        failures.append(
            f"GET {url} anonymous: got {describe_response(probe)}, expected login redirect"
        )

    clients = cast_clients(cast, world.workspace, api=api)
    if api:
        methods = api_methods(route)
    else:
        probe = clients["owner"].get(url)
        methods = ["POST" if probe.status_code == 405 and "POST" in probe["Allow"] else "GET"]
    for method in methods:
        for role in CAST_ORDER[1:]:  # the outsider is in their own workspace here
            try:
                response = send_rolled_back(
                    clients[role], method, url, {}, None if method == "GET" else "json"
                )
            except Exception as error:
                failures.append(f"{method} {url} as {role}: raised {error!r}")
                continue
            allowed = action is None or role_allows(role, action)
            good = response.status_code in OK if allowed else response.status_code == 403
            if not good:
                failures.append(
                    f"{method} {url} ({route.name}, needs {action!r}) as {role}: got "
                    f"{describe_response(response)}, expected {'success' if allowed else '403'}"
                )
    assert not failures, "\n".join(failures)
