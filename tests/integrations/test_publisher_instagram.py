"""Publishing a Reel to Instagram against a local Graph API: the container polled then
published, the daily limit, failed containers, and retries that find the media."""

from __future__ import annotations

import pytest
from django.utils import timezone

from integrations.http import PERMANENT, RATE_LIMIT, PlatformError
from integrations.publishers import Published
from integrations.publishers.instagram import InstagramPublisher
from tests.integrations.conftest import (
    CAPTION,
    IG,
    VIDEO_URL,
    account_for,
    calls_to,
    json_response,
    media_of,
    post_content,
    random_bytes,
    recorded_progress,
)

CONTAINER = "17889615691921648"
IG_MEDIA = "17920238422030506"
PERMALINK = "https://www.instagram.com/reel/C5abcDEF/"


def _quota(usage: int, total: int | None = 50) -> dict:
    entry: dict = {"quota_usage": usage}
    if total is not None:
        entry["config"] = {"quota_total": total, "quota_duration": 86400}
    return {"data": [entry]}


def test_instagram_reel_container_polled_then_published(server):
    progress, saved = recorded_progress()
    saved_at_first_poll: list = []

    def first_poll(request):
        saved_at_first_poll.extend(saved)
        return json_response({"status_code": "IN_PROGRESS", "id": CONTAINER})

    v = "/v21.0"
    server.expect_ordered_request(f"{v}/{IG}/content_publishing_limit").respond_with_json(
        _quota(49)
    )
    server.expect_ordered_request(f"{v}/{IG}/media", method="POST").respond_with_json(
        {"id": CONTAINER}
    )
    server.expect_ordered_request(f"{v}/{CONTAINER}").respond_with_handler(first_poll)
    server.expect_ordered_request(f"{v}/{CONTAINER}").respond_with_json(
        {"status_code": "IN_PROGRESS", "id": CONTAINER}
    )
    server.expect_ordered_request(f"{v}/{CONTAINER}").respond_with_json(
        {"status_code": "FINISHED", "id": CONTAINER}
    )
    server.expect_ordered_request(f"{v}/{IG}/media_publish", method="POST").respond_with_json(
        {"id": IG_MEDIA}
    )
    server.expect_ordered_request(f"{v}/{IG_MEDIA}").respond_with_json(
        {"permalink": PERMALINK, "id": IG_MEDIA}
    )

    result = InstagramPublisher().publish(
        account=account_for("instagram", IG),
        token="tok",
        media=media_of(random_bytes(1000)),
        content=post_content(),
        progress=progress,
    )

    assert result == Published(IG_MEDIA, PERMALINK)
    assert calls_to(server) == [
        f"GET {v}/{IG}/content_publishing_limit",
        f"POST {v}/{IG}/media",
        f"GET {v}/{CONTAINER}",
        f"GET {v}/{CONTAINER}",
        f"GET {v}/{CONTAINER}",
        f"POST {v}/{IG}/media_publish",
        f"GET {v}/{IG_MEDIA}",
    ]
    (quota, _), (create, _), *polls, (publish, _), (permalink, _) = server.log
    assert "quota_usage" in quota.args["fields"].split(",")
    assert quota.args["access_token"] == "tok"
    assert create.form.to_dict() == {
        "media_type": "REELS",
        "video_url": VIDEO_URL,
        "caption": CAPTION,
        "share_to_feed": "true",
        "access_token": "tok",
    }
    for poll, _ in polls[:3]:
        assert "status_code" in poll.args["fields"].split(",")
    assert publish.form.to_dict() == {"creation_id": CONTAINER, "access_token": "tok"}
    assert permalink.args["fields"] == "permalink"
    assert saved_at_first_poll[-1] == {"container_id": CONTAINER}  # saved before waiting
    assert saved[0] == {"container_id": CONTAINER}
    assert saved[-1]["media_id"] == IG_MEDIA


@pytest.mark.parametrize("total", [50, None], ids=["config", "default-50"])
def test_instagram_daily_limit_reached_is_a_rate_limit(server, total):
    server.expect_request(f"/v21.0/{IG}/content_publishing_limit").respond_with_json(
        _quota(50, total)
    )
    progress, saved = recorded_progress()
    before = timezone.now()

    with pytest.raises(PlatformError) as caught:
        InstagramPublisher().publish(
            account=account_for("instagram", IG),
            token="tok",
            media=media_of(random_bytes(1000)),
            content=post_content(),
            progress=progress,
        )

    assert caught.value.kind == RATE_LIMIT
    assert caught.value.retry_at is not None and caught.value.retry_at > before
    assert "50" in caught.value.message
    assert calls_to(server) == [f"GET /v21.0/{IG}/content_publishing_limit"]  # no container
    assert saved == []


@pytest.mark.parametrize("code", ["ERROR", "EXPIRED"])
def test_instagram_container_that_fails_is_permanent_with_its_status(server, code):
    status = "Error: Media upload has failed with error code 2207026"
    server.expect_request(f"/v21.0/{IG}/content_publishing_limit").respond_with_json(_quota(3))
    server.expect_request(f"/v21.0/{IG}/media", method="POST").respond_with_json({"id": CONTAINER})
    server.expect_oneshot_request(f"/v21.0/{CONTAINER}").respond_with_json(
        {"status_code": "IN_PROGRESS"}
    )
    server.expect_oneshot_request(f"/v21.0/{CONTAINER}").respond_with_json(
        {"status_code": code, "status": status}
    )
    progress, saved = recorded_progress()

    with pytest.raises(PlatformError) as caught:
        InstagramPublisher().publish(
            account=account_for("instagram", IG),
            token="tok",
            media=media_of(random_bytes(1000)),
            content=post_content(),
            progress=progress,
        )

    assert caught.value.kind == PERMANENT
    assert caught.value.message == f"Instagram could not process the video: {status}"
    assert f"POST /v21.0/{IG}/media_publish" not in calls_to(server)
    assert saved == [{"container_id": CONTAINER}]


def test_instagram_retry_of_a_published_container_finds_the_media(server):
    server.expect_ordered_request(f"/v21.0/{CONTAINER}").respond_with_json(
        {"status_code": "PUBLISHED", "id": CONTAINER}
    )
    server.expect_ordered_request(f"/v21.0/{IG}/media").respond_with_json(
        {
            "data": [
                {"id": "17900000000000001", "caption": "An older post"},
                {"id": IG_MEDIA, "caption": CAPTION, "timestamp": "2026-11-21T09:00:00+0000"},
            ]
        }
    )
    server.expect_ordered_request(f"/v21.0/{IG_MEDIA}").respond_with_json({"permalink": PERMALINK})
    progress, saved = recorded_progress({"container_id": CONTAINER, "publishing": True})

    result = InstagramPublisher().publish(
        account=account_for("instagram", IG),
        token="tok",
        media=media_of(random_bytes(1000)),
        content=post_content(),
        progress=progress,
    )

    assert result == Published(IG_MEDIA, PERMALINK)
    assert calls_to(server) == [
        f"GET /v21.0/{CONTAINER}",
        f"GET /v21.0/{IG}/media",
        f"GET /v21.0/{IG_MEDIA}",
    ]  # no quota check, no new container, no media_publish
    assert saved[-1]["media_id"] == IG_MEDIA


def test_instagram_retry_after_publishing_only_fetches_the_permalink(server):
    server.expect_request(f"/v21.0/{IG_MEDIA}").respond_with_json({"permalink": PERMALINK})
    progress, saved = recorded_progress({"container_id": CONTAINER, "media_id": IG_MEDIA})

    result = InstagramPublisher().publish(
        account=account_for("instagram", IG),
        token="tok",
        media=media_of(random_bytes(1000)),
        content=post_content(),
        progress=progress,
    )

    assert result == Published(IG_MEDIA, PERMALINK)
    assert calls_to(server) == [f"GET /v21.0/{IG_MEDIA}"]
    assert saved == []
