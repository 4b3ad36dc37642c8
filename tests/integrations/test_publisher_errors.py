"""How each platform's HTTP failures become `PlatformError` kinds (auth, rate limit with its
retry time, transient, permanent)."""

from __future__ import annotations

import datetime as dt
import time
from email.utils import format_datetime

import pytest
from django.utils import timezone

from integrations.http import AUTH, PERMANENT, RATE_LIMIT, TRANSIENT, PlatformError
from integrations.publishers.facebook import FacebookPublisher
from integrations.publishers.instagram import InstagramPublisher
from integrations.publishers.tiktok import TikTokPublisher
from integrations.publishers.x import XPublisher
from integrations.publishers.youtube import YouTubePublisher
from tests.integrations.conftest import (
    IG,
    PAGE,
    TT,
    X_UPLOAD,
    YT_UPLOAD,
    account_for,
    media_of,
    post_content,
    random_bytes,
    recorded_progress,
)


def _fails(publisher, platform: str, external_id: str = "1") -> PlatformError:
    progress, _saved = recorded_progress()
    with pytest.raises(PlatformError) as caught:
        publisher.publish(
            account=account_for(platform, external_id),
            token="tok",
            media=media_of(random_bytes(1000)),
            content=post_content(),
            progress=progress,
        )
    return caught.value


def test_401_is_an_auth_error(server):
    server.expect_request(YT_UPLOAD, method="POST").respond_with_json(
        {"error": {"code": 401, "message": "Invalid Credentials", "status": "UNAUTHENTICATED"}},
        status=401,
    )
    publisher = YouTubePublisher()
    error = _fails(publisher, "youtube")
    assert (error.kind, error.status, error.message) == (AUTH, 401, "Invalid Credentials")
    assert not error.retryable
    assert publisher.log[-1].status == 401


def test_429_with_x_rate_limit_reset_retries_at_that_epoch(server):
    reset = int(time.time()) + 900
    server.expect_request(X_UPLOAD, method="POST").respond_with_json(
        {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
        status=429,
        headers={"x-rate-limit-reset": str(reset), "x-rate-limit-remaining": "0"},
    )
    error = _fails(XPublisher(), "x")
    assert error.kind == RATE_LIMIT and error.retryable
    assert error.retry_at == dt.datetime.fromtimestamp(reset, tz=dt.UTC)


def test_429_with_retry_after_seconds(server):
    server.expect_request(YT_UPLOAD, method="POST").respond_with_json(
        {"error": {"code": 429, "message": "Too many requests"}},
        status=429,
        headers={"Retry-After": "120"},
    )
    before = timezone.now()
    error = _fails(YouTubePublisher(), "youtube")
    after = timezone.now()
    assert error.kind == RATE_LIMIT
    assert before + dt.timedelta(seconds=120) <= error.retry_at <= after + dt.timedelta(seconds=120)


def test_429_with_retry_after_date(server):
    when = (timezone.now() + dt.timedelta(minutes=7)).replace(microsecond=0)
    server.expect_request(YT_UPLOAD, method="POST").respond_with_data(
        "slow down", status=429, headers={"Retry-After": format_datetime(when, usegmt=True)}
    )
    error = _fails(YouTubePublisher(), "youtube")
    assert error.kind == RATE_LIMIT and error.retry_at == when


def test_500_is_transient(server):
    server.expect_request(f"{TT}/creator_info/query/", method="POST").respond_with_data(
        "upstream connect error", status=500
    )
    error = _fails(TikTokPublisher(), "tiktok")
    assert error.kind == TRANSIENT and error.status == 500 and error.retryable


def test_graph_invalid_parameter_is_permanent_with_its_message(server):
    server.expect_request(f"/v21.0/{PAGE}/videos", method="POST").respond_with_json(
        {"error": {"message": "Invalid parameter", "type": "OAuthException", "code": 100}},
        status=400,
    )
    error = _fails(FacebookPublisher(), "facebook", PAGE)
    assert (error.kind, error.status, error.message) == (PERMANENT, 400, "Invalid parameter")
    assert not error.retryable


def test_graph_code_190_is_an_auth_error(server):
    server.expect_request(f"/v21.0/{IG}/content_publishing_limit").respond_with_json(
        {
            "error": {
                "message": "Error validating access token: Session has expired",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 463,
            }
        },
        status=400,
    )
    error = _fails(InstagramPublisher(), "instagram", IG)
    assert error.kind == AUTH
    assert error.message == "Error validating access token: Session has expired"


def test_graph_throttling_code_is_a_rate_limit(server):
    server.expect_request(f"/v21.0/{PAGE}/videos", method="POST").respond_with_json(
        {"error": {"message": "Application request limit reached", "code": 4}}, status=400
    )
    error = _fails(FacebookPublisher(), "facebook", PAGE)
    assert error.kind == RATE_LIMIT and error.retry_at > timezone.now()
