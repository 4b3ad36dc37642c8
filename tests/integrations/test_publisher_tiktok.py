"""Publishing to TikTok against a local Content Posting API: chunks in order, the chunk plan,
failed posts, and retries that send only what is missing."""

from __future__ import annotations

import pytest
from werkzeug import Response

from integrations.http import PERMANENT, PlatformError
from integrations.publishers import Published
from integrations.publishers.tiktok import TikTokPublisher, chunk_plan
from tests.integrations.conftest import (
    CAPTION,
    MIB,
    TT,
    account_for,
    calls_to,
    media_of,
    post_content,
    random_bytes,
    recorded_progress,
    root_url,
    unreadable_media,
)


def _requests(server, method: str, path: str) -> list:
    return [r for r, _ in server.log if r.method == method and r.path == path]


PUBLISH_ID = "v_pub_file~v2-1.7330000000000000001"
POST_ID = 7330000000000000123


def _ok(data: dict) -> dict:
    return {"data": data, "error": {"code": "ok", "message": "", "log_id": "202611210954"}}


def _tiktok_server(server, *, options=None, statuses=()) -> tuple[str, list]:
    """creator_info → init → PUTs (recorded, with the progress saved at the time) → statuses."""
    upload_url = f"{root_url(server)}/video/?upload_id=7330&upload_token=Xza123"
    puts: list = []
    server.expect_request(f"{TT}/creator_info/query/", method="POST").respond_with_json(
        _ok(
            {
                "creator_username": "acme",
                "privacy_level_options": options or ["PUBLIC_TO_EVERYONE", "SELF_ONLY"],
                "max_video_post_duration_sec": 600,
            }
        )
    )
    server.expect_request(f"{TT}/video/init/", method="POST").respond_with_json(
        _ok({"publish_id": PUBLISH_ID, "upload_url": upload_url})
    )
    server.expect_request("/video/", method="PUT").respond_with_handler(
        lambda request: puts.append(request) or Response("", status=201)
    )
    for status in statuses:  # one-shot handlers answer in the order they were added
        server.expect_oneshot_request(f"{TT}/status/fetch/", method="POST").respond_with_json(
            _ok(status)
        )
    return upload_url, puts


def test_tiktok_chunked_upload_in_order_then_published(server, settings):
    settings.PUBLISH_CHUNK_BYTES = 5 * MIB
    payload = random_bytes(11 * MIB)
    upload_url, puts = _tiktok_server(
        server,
        statuses=[
            {"status": "PROCESSING_UPLOAD", "uploaded_bytes": 11 * MIB},
            {"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": [POST_ID]},
        ],
    )
    progress, saved = recorded_progress()

    result = TikTokPublisher().publish(
        account=account_for("tiktok", "open-id-1"),
        token="tok",
        media=media_of(payload),
        content=post_content(),
        progress=progress,
    )

    assert result == Published(str(POST_ID), f"https://www.tiktok.com/@acme/video/{POST_ID}")
    assert calls_to(server) == [
        f"POST {TT}/creator_info/query/",
        f"POST {TT}/video/init/",
        "PUT /video/",
        "PUT /video/",
        f"POST {TT}/status/fetch/",
        f"POST {TT}/status/fetch/",
    ]
    [init] = _requests(server, "POST", f"{TT}/video/init/")
    body = init.get_json()
    assert body["post_info"]["title"] == CAPTION  # TikTok's "title" is the post's caption
    assert body["post_info"]["privacy_level"] == "PUBLIC_TO_EVERYONE"
    assert body["source_info"] == {
        "source": "FILE_UPLOAD",
        "video_size": 11 * MIB,
        "chunk_size": 5 * MIB,
        "total_chunk_count": 2,
    }
    assert init.headers["Authorization"] == "Bearer tok"
    assert [p.headers["Content-Range"] for p in puts] == [
        "bytes 0-5242879/11534336",
        "bytes 5242880-11534335/11534336",  # the last chunk takes the remaining 6 MiB
    ]
    assert [len(p.get_data()) for p in puts] == [5 * MIB, 6 * MIB]
    assert b"".join(p.get_data() for p in puts) == payload
    assert all(p.headers["Content-Type"] == "video/mp4" for p in puts)
    assert all(p.full_path.endswith("upload_id=7330&upload_token=Xza123") for p in puts)
    for fetch in _requests(server, "POST", f"{TT}/status/fetch/"):
        assert fetch.get_json() == {"publish_id": PUBLISH_ID}
    assert saved[0] == {
        "publish_id": PUBLISH_ID,
        "upload_url": upload_url,
        "chunk": 5 * MIB,
        "count": 2,
        "uploaded": 0,
    }
    assert [s["uploaded"] for s in saved] == [0, 1, 2]


def test_tiktok_small_file_goes_in_one_chunk(server):
    payload = random_bytes(3 * MIB + 17)
    _upload_url, puts = _tiktok_server(
        server,
        options=["FOLLOWER_OF_CREATOR", "SELF_ONLY"],
        statuses=[{"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": [POST_ID]}],
    )
    progress, _saved = recorded_progress()

    result = TikTokPublisher().publish(
        account=account_for("tiktok", "open-id-1"),
        token="tok",
        media=media_of(payload),
        content=post_content(),
        progress=progress,
    )

    assert result.url == f"https://www.tiktok.com/@acme/video/{POST_ID}"
    [init] = _requests(server, "POST", f"{TT}/video/init/")
    assert init.get_json()["post_info"]["privacy_level"] == "FOLLOWER_OF_CREATOR"
    assert init.get_json()["source_info"]["chunk_size"] == len(payload)
    assert init.get_json()["source_info"]["total_chunk_count"] == 1
    [put] = puts
    assert put.headers["Content-Range"] == f"bytes 0-{len(payload) - 1}/{len(payload)}"
    assert put.get_data() == payload


@pytest.mark.parametrize(
    ("size", "wanted", "plan"),
    [
        (1000, 5 * MIB, (1000, 1)),  # under 5 MB: whole
        (5 * MIB - 1, 64 * MIB, (5 * MIB - 1, 1)),
        (5 * MIB, 5 * MIB, (5 * MIB, 1)),
        (6 * MIB, 10 * MIB, (6 * MIB, 1)),  # a chunk is never bigger than the file
        (11 * MIB, 5 * MIB, (5 * MIB, 2)),  # the last takes the remainder
        (11 * MIB, 1 * MIB, (5 * MIB, 2)),  # at least 5 MB
        (200 * MIB, 100 * MIB, (64 * MIB, 3)),  # at most 64 MB; the last 72 MB
        (50_000_123, 10_000_000, (10_000_000, 5)),  # TikTok's documented example
    ],
)
def test_tiktok_chunk_plan(size, wanted, plan):
    assert chunk_plan(size, wanted) == plan
    chunk, count = plan
    last = size - chunk * (count - 1)
    assert chunk <= last < 2 * chunk or count == 1


def test_tiktok_failed_post_is_permanent(server):
    _tiktok_server(
        server,
        statuses=[
            {"status": "PROCESSING_UPLOAD"},
            {"status": "FAILED", "fail_reason": "file_format_check_failed"},
        ],
    )
    progress, _saved = recorded_progress()

    with pytest.raises(PlatformError) as caught:
        TikTokPublisher().publish(
            account=account_for("tiktok", "open-id-1"),
            token="tok",
            media=media_of(random_bytes(2000)),
            content=post_content(),
            progress=progress,
        )

    assert caught.value.kind == PERMANENT
    assert "file_format_check_failed" in caught.value.message


def test_tiktok_retry_after_upload_only_asks_for_the_status(server):
    server.expect_ordered_request(f"{TT}/status/fetch/", method="POST").respond_with_json(
        _ok({"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": [POST_ID]})
    )
    saved_progress = {
        "publish_id": PUBLISH_ID,
        "upload_url": f"{root_url(server)}/video/?upload_id=7330",
        "chunk": 5 * MIB,
        "count": 2,
        "uploaded": 2,
    }
    progress, saved = recorded_progress(saved_progress)

    result = TikTokPublisher().publish(
        account=account_for("tiktok", "open-id-1"),
        token="tok",
        media=unreadable_media(11 * MIB),
        content=post_content(),
        progress=progress,
    )

    assert result.remote_id == str(POST_ID)
    assert calls_to(server) == [f"POST {TT}/status/fetch/"]  # no creator_info, init or PUT
    assert saved == []


def test_tiktok_retry_mid_upload_sends_only_the_missing_chunks(server):
    payload = random_bytes(11 * MIB)
    puts: list = []
    server.expect_request("/video/", method="PUT").respond_with_handler(
        lambda request: puts.append(request) or Response("", status=201)
    )
    server.expect_request(f"{TT}/status/fetch/", method="POST").respond_with_json(
        _ok({"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": [POST_ID]})
    )
    progress, saved = recorded_progress(
        {
            "publish_id": PUBLISH_ID,
            "upload_url": f"{root_url(server)}/video/?upload_id=7330",
            "chunk": 5 * MIB,
            "count": 2,
            "uploaded": 1,
        }
    )

    TikTokPublisher().publish(
        account=account_for("tiktok", "open-id-1"),
        token="tok",
        media=media_of(payload),
        content=post_content(),
        progress=progress,
    )

    assert calls_to(server) == ["PUT /video/", f"POST {TT}/status/fetch/"]
    [put] = puts
    assert put.headers["Content-Range"] == "bytes 5242880-11534335/11534336"
    assert put.get_data() == payload[5 * MIB :]
    assert saved[-1]["uploaded"] == 2
