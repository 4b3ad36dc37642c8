"""Every object route against the permission matrix (route_table.MAPPING): outsiders get
404, members whose role lacks the action 403, members with it a success."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone

from teams.permissions import role_allows
from tests.videocreator.conftest import (
    WEBHOOK_EVENT,
    WEBHOOK_URL,
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
    MAPPING,
    OBJECT_ROUTES,
    OK,
    PERSONAL,
)
from tests.videos.conftest import png_bytes, upload

# The cast is made for every route: a cheap hasher keeps that quick.
pytestmark = pytest.mark.usefixtures("fast_passwords")


def _payload(name: str, method: str, o) -> tuple[dict, str | None]:
    """(data, format) for one request: the query for GET, the body otherwise."""
    ws = {"workspace": o.workspace.pk}
    table: dict[tuple[str, str], Callable[[], tuple[dict, str | None]]] = {
        ("teams:switch", "POST"): lambda: (ws, None),
        ("api:billing-subscription", "GET"): lambda: (ws, None),
        ("api:analytics-overview", "GET"): lambda: (ws, None),
        ("api:billing-invoices", "GET"): lambda: (ws, None),
        ("api:video-list", "GET"): lambda: (ws, None),
        ("api:brand-kit-list", "GET"): lambda: (ws, None),
        ("api:video-list", "POST"): lambda: (
            {**ws, "template": o.template.key, "title": "New", "fields": {"headline": "Hi"}},
            "json",
        ),
        ("api:brand-kit-list", "POST"): lambda: (
            {**ws, "name": "New kit", "logo": upload("logo.png", png_bytes(), "image/png")},
            "multipart",
        ),
        ("api:export-list", "POST"): lambda: ({**ws, "video_ids": [o.video.pk]}, "json"),
        ("api:video-detail", "PATCH"): lambda: ({"title": "Renamed"}, "json"),
        ("api:schedule-list", "GET"): lambda: (ws, None),
        ("api:schedule-list", "POST"): lambda: (
            {
                "video": o.video.pk,
                "publish_at": f"{timezone.localdate() + dt.timedelta(days=30)}T09:00:00+01:00",
                "platforms": [{"platform": "youtube", "account": o.account.pk}],
            },
            "json",
        ),
        ("api:video-apply-branding", "POST"): lambda: ({"brand_kit": o.kit.pk}, "json"),
        ("api:video-versions-compare", "GET"): lambda: ({"a": 1, "b": 1}, None),
        ("api:workspace-member", "PATCH"): lambda: ({"role": "editor"}, "json"),
        ("api:webhook-list", "GET"): lambda: (ws, None),
        ("api:webhook-list", "POST"): lambda: ({**ws, "url": WEBHOOK_URL}, "json"),
        ("api:webhook-detail", "PATCH"): lambda: ({"description": "Renamed"}, "json"),
        ("api:webhook-recover", "POST"): lambda: (
            {"since": (timezone.now() - dt.timedelta(days=1)).isoformat()},
            "json",
        ),
        ("api:hook-list", "POST"): lambda: (
            {**ws, "target_url": WEBHOOK_URL, "event": WEBHOOK_EVENT},
            "json",
        ),
        ("api:hook-samples", "GET"): lambda: (ws, None),
    }
    default = ({}, "json" if method != "GET" else None)
    return table[(name, method)]() if (name, method) in table else default


def _expected_ok(role: str, action: str) -> bool:
    if action in (PERSONAL, AUTHOR):
        return role == "owner"  # the fixture's token, notification and comment are the owner's
    return role != "outsider" and role_allows(role, action)


@pytest.mark.django_db
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_object_route_permissions(route, cast, world):
    api = is_api(route)
    clients = cast_clients(cast, world.workspace, api=api)
    url = reverse(route.name, kwargs=route_kwargs(route, world))
    spec = MAPPING[route.name]
    failures = []

    if isinstance(spec, dict):
        methods = dict(spec)
    elif api:
        methods = dict.fromkeys(api_methods(route), spec)
    else:
        probe = clients["owner"].get(url)
        post_only = probe.status_code == 405 and "POST" in probe.get("Allow", "")
        methods = {"POST" if post_only else "GET": spec}
    if api:
        declared = set(api_methods(route))
        assert set(methods) == declared, (
            f"{route.name}: MAPPING covers {sorted(methods)}, the view has {sorted(declared)}"
        )

    for method, action in methods.items():
        for role in CAST_ORDER:
            data, fmt = _payload(route.name, method, world)
            try:
                response = send_rolled_back(clients[role], method, url, data, fmt)
            except Exception as error:  # a 500
                failures.append(f"{method} {url} as {role}: raised {error!r}")
                continue
            status = response.status_code
            if role == "outsider" and action != PERSONAL:
                expected = "404"
                good = status == 404
            elif _expected_ok(role, action):
                expected = f"one of {sorted(OK)}"
                good = status in OK
            elif action == AUTHOR:
                expected = "403"
                good = status == 403
            else:
                expected = "404" if action == PERSONAL else "403"
                good = status == int(expected)
            if not good:
                failures.append(
                    f"{method} {url} ({route.name}, needs {action!r}) as {role}: "
                    f"got {describe_response(response)}, expected {expected}"
                )
    assert not failures, "\n".join(failures)
