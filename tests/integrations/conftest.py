"""Integrations test kit: every platform's API on a local server (pytest-httpserver), for
publishing (`server`) and for connecting accounts (`platforms`), and what the tests post."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import random
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.utils import timezone
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


# -- connecting accounts ------------------------------------------------------------------------


@pytest.fixture
def platforms(httpserver, settings):
    """Every platform configured, every URL on the local server."""
    base = httpserver.url_for("").rstrip("/")
    settings.SOCIAL_PLATFORMS = {
        "youtube": {
            "client_id": "yt-id",
            "client_secret": "yt-secret",
            "authorize_url": f"{base}/o/oauth2/v2/auth",
            "token_url": f"{base}/token",
            "api_base": base,
        },
        "facebook": {
            "client_id": "fb-id",
            "client_secret": "fb-secret",
            "authorize_url": f"{base}/dialog/oauth",
            "api_base": f"{base}/v21.0",
        },
        "tiktok": {
            "client_id": "tt-key",
            "client_secret": "tt-secret",
            "authorize_url": f"{base}/v2/auth/authorize/",
            "api_base": base,
        },
        "x": {
            "client_id": "x-id",
            "client_secret": "x-secret",
            "authorize_url": f"{base}/i/oauth2/authorize",
            "api_base": base,
        },
    }
    settings.SOCIAL_PLATFORMS["instagram"] = dict(settings.SOCIAL_PLATFORMS["facebook"])
    return httpserver


def form_of(request) -> dict:
    return {k: v[0] for k, v in parse_qs(request.get_data(as_text=True)).items()}


def raw_tokens(account) -> tuple[str, str]:
    table = connection.ops.quote_name(ConnectedAccount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT access_token, refresh_token FROM {table} WHERE id = %s",  # noqa: S608
            [account.pk],
        )
        return cursor.fetchone()


def account_with_tokens(workspace, **fields) -> ConnectedAccount:
    defaults = dict(
        workspace=workspace,
        platform="youtube",
        external_id="UC1",
        name="Acme TV",
        access_token="old-access",
        refresh_token="refresh-1",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    return ConnectedAccount.objects.create(**{**defaults, **fields})
