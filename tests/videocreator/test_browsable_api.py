"""With DEBUG (as `make run` serves it) the API also answers browsers with DRF's HTML pages:
every route without an object id must render there, not 500
(our list views build their queryset in the handler, which DRF's filter form did not expect)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from tests.videocreator.conftest import api_methods, cast_clients, describe_response, is_api
from tests.videocreator.route_table import ROUTES, USER_LEVEL_KWARGS

pytestmark = pytest.mark.usefixtures("fast_passwords")


def _default_renderers(route) -> bool:
    """Whether the route's view answers with DRF's configured renderers (the schema has its
    own)."""
    view_class = getattr(route.callback, "cls", None) or route.callback.view_class
    return not any(
        "renderer_classes" in vars(k) for k in view_class.__mro__[:-1] if k is not APIView
    )


# Every API route without an id in its path that answers GET (lists, the caller's own data).
API_LIST_ROUTES = [
    route
    for route in ROUTES
    if is_api(route)
    and "<" not in route.route
    and "GET" in api_methods(route)
    and _default_renderers(route)
]


@pytest.fixture
def browsable(monkeypatch):
    """The renderers settings.py gives DRF with DEBUG on. DRF sets them on APIView when it
    is imported, so the test sets them there."""
    from videocreator.api_renderers import BrowsableAPIRenderer

    monkeypatch.setattr(APIView, "renderer_classes", [JSONRenderer, BrowsableAPIRenderer])


def test_there_are_list_routes_to_check():
    names = {route.name for route in API_LIST_ROUTES}
    assert {"api:schedule-list", "api:workspaces", "api:notifications"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("route", API_LIST_ROUTES, ids=lambda r: r.name)
def test_every_api_list_renders_in_a_browser(route, browsable, cast, world):
    owner = cast_clients(cast, world.workspace, api=True)["owner"]
    url = reverse(route.name, kwargs=USER_LEVEL_KWARGS.get(route.name))
    response = owner.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code < 500, describe_response(response)
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
