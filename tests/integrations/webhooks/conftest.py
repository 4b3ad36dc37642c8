"""Webhooks test kit: a receiver on loopback (pytest-httpserver) that endpoints may reach,
a clock near the real time (Standard Webhooks' verifier allows five minutes of skew), and real
events made through the product's own services."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone
from werkzeug import Request, Response

from tests.clock import Clock, install_clock
from videos.models import Template
from videos.services import video_create


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return install_clock(monkeypatch, timezone.now().replace(microsecond=0))


@pytest.fixture
def private_hosts(settings):
    """Receivers on loopback over http, as in development."""
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True


class Receiver:
    """Records every request; answers with `status` (a list is used up one per request)."""

    def __init__(self, httpserver) -> None:
        self.server = httpserver
        self.requests: list[Request] = []
        self.status: int | list[int] = 200
        httpserver.expect_request("/hook").respond_with_handler(self._handle)

    @property
    def url(self) -> str:
        return self.server.url_for("/hook")

    def _handle(self, request: Request) -> Response:
        self.requests.append(request)
        status = self.status.pop(0) if isinstance(self.status, list) else self.status
        return Response("ok" if status < 300 else "no", status=status)

    def payloads(self) -> list[dict]:
        return [json.loads(request.get_data()) for request in self.requests]

    def ids(self) -> list[str]:
        return [request.headers["webhook-id"] for request in self.requests]


@pytest.fixture
def receiver(httpserver, private_hosts) -> Receiver:
    return Receiver(httpserver)


def make_videos(workspace, actor, count: int = 1, *, title: str = "Launch") -> list:
    template = Template.objects.filter(is_active=True).order_by("pk").first()
    return [
        video_create(workspace=workspace, template=template, title=f"{title} {n}", actor=actor)
        for n in range(count)
    ]
