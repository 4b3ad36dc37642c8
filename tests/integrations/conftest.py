"""Integrations test kit: every platform's API on a local server (pytest-httpserver), for
publishing (`server`) and for connecting accounts (`platforms`), and what the tests post."""

from __future__ import annotations

import copy
import io
import json
import random

import pytest
from werkzeug import Response

from integrations.models import ConnectedAccount
from integrations.publishers import Media, PostContent, Progress

# -- publishing ---------------------------------------------------------------------------------

KIB, MIB = 1024, 1024 * 1024
TITLE = "Spring launch"
CAPTION = "Our spring collection is here 🌷 #launch"
VIDEO_URL = "https://files.example/v.mp4"

# Endpoints and ids of a platform that its own file and test_publisher_errors.py both use.
YT_UPLOAD = "/upload/youtube/v3/videos"
IG = "17841405822304914"
TT = "/v2/post/publish"
PAGE = "1029384756"
X_UPLOAD = "/2/media/upload"


@pytest.fixture
def server(httpserver, settings):
    """Every platform's API on the local server; polls without sleeping."""
    root = httpserver.url_for("").rstrip("/")
    platforms = copy.deepcopy(settings.SOCIAL_PLATFORMS)
    for config in platforms.values():
        config["api_base"] = root
    platforms["facebook"]["api_base"] = f"{root}/v21.0"
    platforms["instagram"]["api_base"] = f"{root}/v21.0"
    settings.SOCIAL_PLATFORMS = platforms
    settings.PUBLISH_POLL_SECONDS = 0
    settings.PUBLISH_POLL_LIMIT = 10
    settings.PUBLISH_CHUNK_BYTES = 256 * KIB
    yield httpserver
    httpserver.check_assertions()  # no request went unanswered ("No handler found")
    httpserver.check_handler_errors()


def root_url(server) -> str:
    return server.url_for("").rstrip("/")


def random_bytes(size: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


def media_of(payload: bytes, *, duration=30.0, width=1080, height=1920) -> Media:
    return Media(
        open=lambda: io.BytesIO(payload),
        size=len(payload),
        duration=duration,
        width=width,
        height=height,
        public_url=lambda: VIDEO_URL,
    )


def unreadable_media(size: int) -> Media:
    """A media whose bytes must not be read (a retry that should not upload again)."""

    def refuse():
        raise AssertionError("the publisher read the file again")

    return Media(open=refuse, size=size, duration=30.0, width=1080, height=1920)


def recorded_progress(data: dict | None = None) -> tuple[Progress, list[dict]]:
    saved: list[dict] = []
    return Progress(dict(data or {}), saved.append), saved


def account_for(platform: str, external_id: str) -> ConnectedAccount:
    return ConnectedAccount(platform=platform, external_id=external_id, name="Acme", handle="@acme")


def post_content() -> PostContent:
    return PostContent(title=TITLE, caption=CAPTION)


def json_response(body, status: int = 200, headers: dict | None = None) -> Response:
    return Response(
        json.dumps(body), status=status, headers=headers, content_type="application/json"
    )


def calls_to(server) -> list[str]:
    return [f"{request.method} {request.path}" for request, _response in server.log]
