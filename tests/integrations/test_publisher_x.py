"""Publishing to X against a local API: chunked media upload, processing, the post, and
retries that append only missing segments or find the post instead of posting twice."""

from __future__ import annotations

import pytest

from integrations.http import PERMANENT, PlatformError
from integrations.publishers import Published
from integrations.publishers.x import XPublisher
from tests.integrations.conftest import (
    CAPTION,
    KIB,
    MIB,
    X_UPLOAD,
    account_for,
    calls_to,
    json_response,
    media_of,
    post_content,
    random_bytes,
    recorded_progress,
    unreadable_media,
)

X_USER = "2244994945"
X_MEDIA = "1880028106020515840"
X_MEDIA_KEY = "13_1880028106020515840"
X_POST = "1445880548472328192"


def test_x_chunked_upload_processing_then_post(server, settings):
    settings.PUBLISH_CHUNK_BYTES = 1 * MIB
    payload = random_bytes(2 * MIB + 512 * KIB)
    progress, saved = recorded_progress()
    saved_at_post: list = []

    def post(request):
        saved_at_post.extend(saved[-1:])
        return json_response({"data": {"id": X_POST, "text": CAPTION}}, status=201)

    server.expect_ordered_request(X_UPLOAD, method="POST").respond_with_json(
        {"data": {"id": X_MEDIA, "media_key": X_MEDIA_KEY, "expires_after_secs": 86400}}
    )
    for _ in range(3):
        server.expect_ordered_request(X_UPLOAD, method="POST").respond_with_data("", status=204)
    server.expect_ordered_request(X_UPLOAD, method="POST").respond_with_json(
        {"data": {"id": X_MEDIA, "processing_info": {"state": "pending", "check_after_secs": 1}}}
    )
    for info in (
        {"state": "pending", "check_after_secs": 1},
        {"state": "in_progress", "check_after_secs": 1, "progress_percent": 40},
        {"state": "succeeded", "progress_percent": 100},
    ):
        server.expect_ordered_request(X_UPLOAD, method="GET").respond_with_json(
            {"data": {"id": X_MEDIA, "processing_info": info}}
        )
    server.expect_ordered_request("/2/tweets", method="POST").respond_with_handler(post)

    result = XPublisher().publish(
        account=account_for("x", X_USER),
        token="tok",
        media=media_of(payload),
        content=post_content(),
        progress=progress,
    )

    assert result == Published(X_POST, f"https://x.com/acme/status/{X_POST}")
    requests_ = [request for request, _ in server.log]
    assert [r.form.get("command") or r.args.get("command") for r in requests_[:-1]] == [
        "INIT",
        "APPEND",
        "APPEND",
        "APPEND",
        "FINALIZE",
        "STATUS",
        "STATUS",
        "STATUS",
    ]
    init, *appends = requests_[:4]
    assert init.form.to_dict() == {
        "command": "INIT",
        "media_type": "video/mp4",
        "total_bytes": str(len(payload)),
        "media_category": "tweet_video",
    }
    assert [a.form.to_dict() for a in appends] == [
        {"command": "APPEND", "media_id": X_MEDIA, "segment_index": str(index)}
        for index in range(3)
    ]
    segments = [a.files["media"].read() for a in appends]
    assert [len(s) for s in segments] == [MIB, MIB, 512 * KIB]
    assert b"".join(segments) == payload
    assert requests_[4].form.to_dict() == {"command": "FINALIZE", "media_id": X_MEDIA}
    for status in requests_[5:8]:
        assert status.args.to_dict() == {"command": "STATUS", "media_id": X_MEDIA}
    tweet = requests_[-1]
    assert tweet.get_json() == {"text": CAPTION, "media": {"media_ids": [X_MEDIA]}}
    assert all(r.headers["Authorization"] == "Bearer tok" for r in requests_)
    assert saved[0] == {"media_id": X_MEDIA, "media_key": X_MEDIA_KEY, "segments": 0}
    assert [s["segments"] for s in saved[:4]] == [0, 1, 2, 3]
    assert saved_at_post[0]["posting"] is True  # noted before posting
    assert saved[-1]["tweet_id"] == X_POST


def test_x_retry_mid_upload_appends_only_the_missing_segments(server, settings):
    settings.PUBLISH_CHUNK_BYTES = 1 * MIB
    payload = random_bytes(2 * MIB + 512 * KIB)
    for _ in range(2):
        server.expect_ordered_request(X_UPLOAD, method="POST").respond_with_data("", status=204)
    server.expect_ordered_request(X_UPLOAD, method="POST").respond_with_json({"data": {}})
    server.expect_ordered_request(X_UPLOAD, method="GET").respond_with_json(
        {"data": {"id": X_MEDIA}}  # no processing_info: nothing to wait for
    )
    server.expect_ordered_request("/2/tweets", method="POST").respond_with_json(
        {"data": {"id": X_POST, "text": CAPTION}}, status=201
    )
    progress, saved = recorded_progress(
        {"media_id": X_MEDIA, "media_key": X_MEDIA_KEY, "segments": 1}
    )

    result = XPublisher().publish(
        account=account_for("x", X_USER),
        token="tok",
        media=media_of(payload),
        content=post_content(),
        progress=progress,
    )

    assert result.remote_id == X_POST
    appends = [r for r, _ in server.log if r.form.get("command") == "APPEND"]
    assert [a.form["segment_index"] for a in appends] == ["1", "2"]  # no second INIT
    assert b"".join(a.files["media"].read() for a in appends) == payload[MIB:]
    assert [r.form.get("command") for r, _ in server.log][2] == "FINALIZE"
    assert [s["segments"] for s in saved[:2]] == [2, 3]


def test_x_retry_while_posting_finds_the_post_instead_of_posting_again(server):
    server.expect_ordered_request(X_UPLOAD, method="GET").respond_with_json(
        {"data": {"id": X_MEDIA, "processing_info": {"state": "succeeded"}}}
    )
    server.expect_ordered_request(f"/2/users/{X_USER}/tweets").respond_with_json(
        {
            "data": [
                {
                    "id": "1445880548472320001",
                    "text": "Older",
                    "attachments": {"media_keys": ["13_1"]},
                },
                {"id": "1445880548472320002", "text": "No media"},
                {"id": X_POST, "text": CAPTION, "attachments": {"media_keys": [X_MEDIA_KEY]}},
            ],
            "includes": {"media": [{"media_key": X_MEDIA_KEY, "type": "video"}]},
        }
    )
    progress, saved = recorded_progress(
        {
            "media_id": X_MEDIA,
            "media_key": X_MEDIA_KEY,
            "segments": 3,
            "finalized": True,
            "posting": True,
        }
    )

    result = XPublisher().publish(
        account=account_for("x", X_USER),
        token="tok",
        media=unreadable_media(2 * MIB),
        content=post_content(),
        progress=progress,
    )

    assert result == Published(X_POST, f"https://x.com/acme/status/{X_POST}")
    assert calls_to(server) == [f"GET {X_UPLOAD}", f"GET /2/users/{X_USER}/tweets"]
    assert saved[-1]["tweet_id"] == X_POST


def test_x_processing_failed_is_permanent(server):
    server.expect_ordered_request(X_UPLOAD, method="POST").respond_with_json(
        {"data": {"id": X_MEDIA, "media_key": X_MEDIA_KEY}}
    )
    server.expect_ordered_request(X_UPLOAD, method="POST").respond_with_data("", status=204)
    server.expect_ordered_request(X_UPLOAD, method="POST").respond_with_json(
        {"data": {"id": X_MEDIA, "processing_info": {"state": "pending"}}}
    )
    server.expect_ordered_request(X_UPLOAD, method="GET").respond_with_json(
        {
            "data": {
                "id": X_MEDIA,
                "processing_info": {
                    "state": "failed",
                    "error": {"code": 1, "name": "InvalidMedia", "message": "Unsupported video"},
                },
            }
        }
    )
    progress, _saved = recorded_progress()

    with pytest.raises(PlatformError) as caught:
        XPublisher().publish(
            account=account_for("x", X_USER),
            token="tok",
            media=media_of(random_bytes(4000)),
            content=post_content(),
            progress=progress,
        )

    assert caught.value.kind == PERMANENT
    assert caught.value.message == "X could not process the video: Unsupported video"
    assert "POST /2/tweets" not in calls_to(server)
