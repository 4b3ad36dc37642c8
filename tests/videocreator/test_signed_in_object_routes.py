"""Every route about an object that no workspace owns (route_table.SIGNED_IN_OBJECTS: a
feature request, its comment): anonymous visitors are sent to log in or refused; every
signed-in member of the cast, the outsider too, gets through, except on another's comment
(AUTHOR routes: 403)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.videocreator.conftest import (
    api_methods,
    cast_clients,
    describe_response,
    is_api,
    route_kwargs,
    send_rolled_back,
)
from tests.videocreator.route_table import (
    AUTHOR,
    CAST_ORDER,
    OK,
    SIGNED_IN_OBJECT_ROUTES,
    SIGNED_IN_OBJECTS,
)

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.mark.django_db
@pytest.mark.parametrize("route", SIGNED_IN_OBJECT_ROUTES, ids=lambda r: r.name)
def test_signed_in_object_route_permissions(route, cast, world, client):
    api = is_api(route)
    url = reverse(route.name, kwargs=route_kwargs(route, world))
    action = SIGNED_IN_OBJECTS[route.name]
    clients = cast_clients(cast, world.workspace, api=api)
    if api:
        methods = api_methods(route)
    else:
        probe = clients["owner"].get(url)
        methods = ["POST" if probe.status_code == 405 and "POST" in probe["Allow"] else "GET"]
    failures = []
    for method in methods:
        anonymous = APIClient() if api else client
        response = send_rolled_back(anonymous, method, url, {}, None)
        if api and response.status_code not in (401, 403):
            failures.append(f"{method} {url} anonymous: {describe_response(response)}")
        if not api and not (
            response.status_code == 302 and re.search(r"/accounts/login/", response["Location"])
        ):
            failures.append(f"{method} {url} anonymous: {describe_response(response)}")
        for role in CAST_ORDER:
            fmt = None if method == "GET" else "json"
            response = send_rolled_back(clients[role], method, url, {}, fmt if api else None)
            allowed = action != AUTHOR or role == "owner"
            good = response.status_code in OK if allowed else response.status_code == 403
            if not good:
                failures.append(
                    f"{method} {url} ({route.name}) as {role}: got {describe_response(response)}, "
                    f"expected {'success' if allowed else '403'}"
                )
    assert not failures, "\n".join(failures)
