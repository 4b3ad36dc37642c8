"""Publishing a video to each platform against a local server that speaks the platform's
protocol (pytest-httpserver): what the server received (bytes, ranges, order, fields), how
each publisher resumes from saved progress without posting twice, how HTTP failures become
`PlatformError` kinds, and the limits checked before trying."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import random
import re
import time
from email.utils import format_datetime

import pytest
from django.utils import timezone, translation
from werkzeug import Response

from integrations.http import AUTH, PERMANENT, RATE_LIMIT, TRANSIENT, PlatformError
from integrations.models import ConnectedAccount
from integrations.publishers import (
    PUBLISHERS,
    Media,
    PostContent,
    Progress,
    Published,
    publisher_for,
)
from integrations.publishers.facebook import FacebookPublisher
from integrations.publishers.instagram import InstagramPublisher
from integrations.publishers.tiktok import TikTokPublisher, chunk_plan
from integrations.publishers.x import XPublisher
from integrations.publishers.youtube import YouTubePublisher

KIB, MIB = 1024, 1024 * 1024
TITLE = "Spring launch"
CAPTION = "Our spring collection is here 🌷 #launch"
VIDEO_URL = "https://files.example/v.mp4"


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


def _root(server) -> str:
    return server.url_for("").rstrip("/")


def _payload(size: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


def _media(payload: bytes, *, duration=30.0, width=1080, height=1920) -> Media:
    return Media(
        open=lambda: io.BytesIO(payload),
        size=len(payload),
        duration=duration,
        width=width,
        height=height,
        public_url=lambda: VIDEO_URL,
    )


def _unreadable(size: int) -> Media:
    """A media whose bytes must not be read (a retry that should not upload again)."""

    def refuse():
        raise AssertionError("the publisher read the file again")

    return Media(open=refuse, size=size, duration=30.0, width=1080, height=1920)


def _progress(data: dict | None = None) -> tuple[Progress, list[dict]]:
    saved: list[dict] = []
    return Progress(dict(data or {}), saved.append), saved


def _account(platform: str, external_id: str) -> ConnectedAccount:
    return ConnectedAccount(platform=platform, external_id=external_id, name="Acme", handle="@acme")


def _content() -> PostContent:
    return PostContent(title=TITLE, caption=CAPTION)


def _json(body, status: int = 200, headers: dict | None = None) -> Response:
    return Response(
        json.dumps(body), status=status, headers=headers, content_type="application/json"
    )


def _calls(server) -> list[str]:
    return [f"{request.method} {request.path}" for request, _response in server.log]


def _requests(server, method: str, path: str) -> list:
    return [r for r, _ in server.log if r.method == method and r.path == path]


# -- YouTube ------------------------------------------------------------------------------------

YT_UPLOAD = "/upload/youtube/v3/videos"
YT_SESSION = "xa298sd_sdlkj2"


class YouTubeSession:
    """A resumable upload session as Google runs it: it keeps the bytes it receives (or, when
    told to, only part of them), answers 308 with `Range: bytes=0-N` until it has everything,
    then 200 with the video. Problems are noted (not raised) and answered 400, so a confused
    publisher stops instead of retrying."""

    def __init__(self, size: int, video_id: str = "dQw4w9WgXcQ") -> None:
        self.size = size
        self.video_id = video_id
        self.stored = bytearray()
        self.ranges: list[str] = []  # Content-Range of every PUT, in order
        self.keep: dict[int, int] = {}  # request number → bytes kept of its body
        self.fail: dict[int, int] = {}  # request number → status answered instead
        self.problems: list[str] = []

    def put(self, request) -> Response:
        number = len(self.ranges)
        header = request.headers.get("Content-Range", "")
        self.ranges.append(header)
        body = request.get_data()
        if request.args.get("upload_id") != YT_SESSION:
            return self._problem(f"wrong session: {request.args}")
        if request.headers.get("Authorization") != "Bearer tok":
            return self._problem("no bearer token")
        if header == f"bytes */{self.size}":
            if body or request.headers.get("Content-Length") != "0":
                return self._problem("a status query with a body")
            return self._answer()
        match = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", header)
        if not match:
            return self._problem(f"bad Content-Range {header!r}")
        start, end, total = map(int, match.groups())
        if total != self.size or start != len(self.stored) or len(body) != end - start + 1:
            return self._problem(f"{header} with {len(body)} bytes after {len(self.stored)}")
        if request.headers.get("Content-Type") != "video/mp4":
            return self._problem("no content type")
        self.stored += body[: self.keep.get(number, len(body))]
        if number in self.fail:
            return Response("backend error", status=self.fail[number])
        return self._answer()

    def _answer(self) -> Response:
        if len(self.stored) == self.size:
            return _json({"kind": "youtube#video", "id": self.video_id})
        headers = {"Range": f"bytes=0-{len(self.stored) - 1}"} if self.stored else {}
        return Response("", status=308, headers=headers)

    def _problem(self, text: str) -> Response:
        self.problems.append(text)
        return Response(text, status=400)


def _youtube_server(server, session: YouTubeSession, started: list) -> str:
    upload_url = f"{_root(server)}{YT_UPLOAD}?uploadType=resumable&upload_id={YT_SESSION}"

    def start(request):
        started.append(request)
        return Response("", status=200, headers={"Location": upload_url})

    server.expect_request(YT_UPLOAD, method="POST").respond_with_handler(start)
    server.expect_request(YT_UPLOAD, method="PUT").respond_with_handler(session.put)
    return upload_url


def test_youtube_resumable_upload_resumes_at_the_byte_the_server_kept(server):
    payload = _payload(2 * 256 * KIB + 1000)  # 525288 bytes: two whole chunks and a bit
    session = YouTubeSession(len(payload))
    session.keep[0] = 100_000  # the first chunk only partly arrived
    started: list = []
    upload_url = _youtube_server(server, session, started)
    progress, saved = _progress()

    result = YouTubePublisher().publish(
        account=_account("youtube", "UC123"),
        token="tok",
        media=_media(payload),
        content=_content(),
        progress=progress,
    )

    assert result == Published("dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    assert session.problems == []
    assert session.ranges == [
        "bytes 0-262143/525288",
        "bytes 100000-362143/525288",  # from N+1 of `Range: bytes=0-99999`
        "bytes 362144-525287/525288",
    ]
    assert bytes(session.stored) == payload
    assert _calls(server) == ["POST " + YT_UPLOAD] + ["PUT " + YT_UPLOAD] * 3
    [start] = started
    assert start.args.to_dict() == {"uploadType": "resumable", "part": "snippet,status"}
    assert start.headers["X-Upload-Content-Length"] == "525288"
    assert start.headers["X-Upload-Content-Type"] == "video/mp4"
    assert start.headers["Authorization"] == "Bearer tok"
    body = start.get_json()
    assert body["snippet"]["title"] == TITLE
    assert body["snippet"]["description"] == CAPTION
    assert body["status"]["privacyStatus"] == "public"
    assert saved == [{"upload_url": upload_url}]  # saved before any byte went


def test_youtube_interrupted_put_asks_for_the_status_and_resumes(server):
    payload = _payload(2 * 256 * KIB + 1000)
    session = YouTubeSession(len(payload), video_id="abc123XYZ")
    session.keep[1], session.fail[1] = 50_000, 503  # the second PUT breaks off after 50000 B
    _youtube_server(server, session, [])
    progress, _saved = _progress()

    result = YouTubePublisher().publish(
        account=_account("youtube", "UC123"),
        token="tok",
        media=_media(payload),
        content=_content(),
        progress=progress,
    )

    assert result.remote_id == "abc123XYZ"
    assert result.url == "https://www.youtube.com/watch?v=abc123XYZ"
    assert session.problems == []
    assert session.ranges == [
        "bytes 0-262143/525288",
        "bytes 262144-524287/525288",  # → 503
        "bytes */525288",  # how much arrived? → 308 Range: bytes=0-312143
        "bytes 312144-525287/525288",
    ]
    assert bytes(session.stored) == payload


def test_youtube_retry_whose_session_already_finished_returns_the_video(server):
    payload = _payload(300_000)
    session = YouTubeSession(len(payload), video_id="doneDONE123")
    session.stored += payload  # the last attempt's final PUT arrived; its answer did not
    started: list = []
    upload_url = _youtube_server(server, session, started)
    progress, saved = _progress({"upload_url": upload_url})

    result = YouTubePublisher().publish(
        account=_account("youtube", "UC123"),
        token="tok",
        media=_unreadable(len(payload)),
        content=_content(),
        progress=progress,
    )

    assert result == Published("doneDONE123", "https://www.youtube.com/watch?v=doneDONE123")
    assert session.problems == []
    assert session.ranges == ["bytes */300000"]
    assert started == [] and _calls(server) == ["PUT " + YT_UPLOAD]
    assert saved == []


def test_youtube_retry_with_a_saved_session_uploads_only_the_rest(server):
    payload = _payload(2 * 256 * KIB + 1000)
    session = YouTubeSession(len(payload))
    session.stored += payload[:300_000]
    started: list = []
    upload_url = _youtube_server(server, session, started)
    progress, _saved = _progress({"upload_url": upload_url})

    result = YouTubePublisher().publish(
        account=_account("youtube", "UC123"),
        token="tok",
        media=_media(payload),
        content=_content(),
        progress=progress,
    )

    assert result.remote_id == "dQw4w9WgXcQ"
    assert session.problems == []
    assert session.ranges == ["bytes */525288", "bytes 300000-525287/525288"]
    assert started == []
    assert bytes(session.stored) == payload


def test_youtube_gives_up_when_uploads_keep_failing_without_progress(server):
    payload = _payload(300_000)
    session = YouTubeSession(len(payload))
    stop_after = 30

    uploads: list[str] = []

    def put(request):
        if request.headers.get("Content-Range", "").startswith("bytes */"):
            return session.put(request)  # 308: nothing arrived
        uploads.append(request.headers["Content-Range"])
        if len(uploads) >= stop_after:  # end the loop here, whatever the code does
            return Response("enough", status=400)
        return Response("backend error", status=503)

    started: list = []
    upload_url = _youtube_server(server, session, started)
    server.clear_all_handlers()
    server.expect_request(YT_UPLOAD, method="PUT").respond_with_handler(put)
    progress, _saved = _progress({"upload_url": upload_url})

    with pytest.raises(PlatformError) as caught:
        YouTubePublisher().publish(
            account=_account("youtube", "UC123"),
            token="tok",
            media=_media(payload),
            content=_content(),
            progress=progress,
        )

    assert caught.value.kind == TRANSIENT
    assert len(uploads) < 10


# -- Instagram ----------------------------------------------------------------------------------

IG = "17841405822304914"
CONTAINER = "17889615691921648"
IG_MEDIA = "17920238422030506"
PERMALINK = "https://www.instagram.com/reel/C5abcDEF/"


def _quota(usage: int, total: int | None = 50) -> dict:
    entry: dict = {"quota_usage": usage}
    if total is not None:
        entry["config"] = {"quota_total": total, "quota_duration": 86400}
    return {"data": [entry]}


def test_instagram_reel_container_polled_then_published(server):
    progress, saved = _progress()
    saved_at_first_poll: list = []

    def first_poll(request):
        saved_at_first_poll.extend(saved)
        return _json({"status_code": "IN_PROGRESS", "id": CONTAINER})

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
        account=_account("instagram", IG),
        token="tok",
        media=_media(_payload(1000)),
        content=_content(),
        progress=progress,
    )

    assert result == Published(IG_MEDIA, PERMALINK)
    assert _calls(server) == [
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
    progress, saved = _progress()
    before = timezone.now()

    with pytest.raises(PlatformError) as caught:
        InstagramPublisher().publish(
            account=_account("instagram", IG),
            token="tok",
            media=_media(_payload(1000)),
            content=_content(),
            progress=progress,
        )

    assert caught.value.kind == RATE_LIMIT
    assert caught.value.retry_at is not None and caught.value.retry_at > before
    assert "50" in caught.value.message
    assert _calls(server) == [f"GET /v21.0/{IG}/content_publishing_limit"]  # no container
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
    progress, saved = _progress()

    with pytest.raises(PlatformError) as caught:
        InstagramPublisher().publish(
            account=_account("instagram", IG),
            token="tok",
            media=_media(_payload(1000)),
            content=_content(),
            progress=progress,
        )

    assert caught.value.kind == PERMANENT
    assert caught.value.message == f"Instagram could not process the video: {status}"
    assert f"POST /v21.0/{IG}/media_publish" not in _calls(server)
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
    progress, saved = _progress({"container_id": CONTAINER, "publishing": True})

    result = InstagramPublisher().publish(
        account=_account("instagram", IG),
        token="tok",
        media=_media(_payload(1000)),
        content=_content(),
        progress=progress,
    )

    assert result == Published(IG_MEDIA, PERMALINK)
    assert _calls(server) == [
        f"GET /v21.0/{CONTAINER}",
        f"GET /v21.0/{IG}/media",
        f"GET /v21.0/{IG_MEDIA}",
    ]  # no quota check, no new container, no media_publish
    assert saved[-1]["media_id"] == IG_MEDIA


def test_instagram_retry_after_publishing_only_fetches_the_permalink(server):
    server.expect_request(f"/v21.0/{IG_MEDIA}").respond_with_json({"permalink": PERMALINK})
    progress, saved = _progress({"container_id": CONTAINER, "media_id": IG_MEDIA})

    result = InstagramPublisher().publish(
        account=_account("instagram", IG),
        token="tok",
        media=_media(_payload(1000)),
        content=_content(),
        progress=progress,
    )

    assert result == Published(IG_MEDIA, PERMALINK)
    assert _calls(server) == [f"GET /v21.0/{IG_MEDIA}"]
    assert saved == []


# -- TikTok -------------------------------------------------------------------------------------

TT = "/v2/post/publish"
PUBLISH_ID = "v_pub_file~v2-1.7330000000000000001"
POST_ID = 7330000000000000123


def _ok(data: dict) -> dict:
    return {"data": data, "error": {"code": "ok", "message": "", "log_id": "202611210954"}}


def _tiktok_server(server, *, options=None, statuses=()) -> tuple[str, list]:
    """creator_info → init → PUTs (recorded, with the progress saved at the time) → statuses."""
    upload_url = f"{_root(server)}/video/?upload_id=7330&upload_token=Xza123"
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
    payload = _payload(11 * MIB)
    upload_url, puts = _tiktok_server(
        server,
        statuses=[
            {"status": "PROCESSING_UPLOAD", "uploaded_bytes": 11 * MIB},
            {"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": [POST_ID]},
        ],
    )
    progress, saved = _progress()

    result = TikTokPublisher().publish(
        account=_account("tiktok", "open-id-1"),
        token="tok",
        media=_media(payload),
        content=_content(),
        progress=progress,
    )

    assert result == Published(str(POST_ID), f"https://www.tiktok.com/@acme/video/{POST_ID}")
    assert _calls(server) == [
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
    payload = _payload(3 * MIB + 17)
    _upload_url, puts = _tiktok_server(
        server,
        options=["FOLLOWER_OF_CREATOR", "SELF_ONLY"],
        statuses=[{"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": [POST_ID]}],
    )
    progress, _saved = _progress()

    result = TikTokPublisher().publish(
        account=_account("tiktok", "open-id-1"),
        token="tok",
        media=_media(payload),
        content=_content(),
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
    progress, _saved = _progress()

    with pytest.raises(PlatformError) as caught:
        TikTokPublisher().publish(
            account=_account("tiktok", "open-id-1"),
            token="tok",
            media=_media(_payload(2000)),
            content=_content(),
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
        "upload_url": f"{_root(server)}/video/?upload_id=7330",
        "chunk": 5 * MIB,
        "count": 2,
        "uploaded": 2,
    }
    progress, saved = _progress(saved_progress)

    result = TikTokPublisher().publish(
        account=_account("tiktok", "open-id-1"),
        token="tok",
        media=_unreadable(11 * MIB),
        content=_content(),
        progress=progress,
    )

    assert result.remote_id == str(POST_ID)
    assert _calls(server) == [f"POST {TT}/status/fetch/"]  # no creator_info, init or PUT
    assert saved == []


def test_tiktok_retry_mid_upload_sends_only_the_missing_chunks(server):
    payload = _payload(11 * MIB)
    puts: list = []
    server.expect_request("/video/", method="PUT").respond_with_handler(
        lambda request: puts.append(request) or Response("", status=201)
    )
    server.expect_request(f"{TT}/status/fetch/", method="POST").respond_with_json(
        _ok({"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": [POST_ID]})
    )
    progress, saved = _progress(
        {
            "publish_id": PUBLISH_ID,
            "upload_url": f"{_root(server)}/video/?upload_id=7330",
            "chunk": 5 * MIB,
            "count": 2,
            "uploaded": 1,
        }
    )

    TikTokPublisher().publish(
        account=_account("tiktok", "open-id-1"),
        token="tok",
        media=_media(payload),
        content=_content(),
        progress=progress,
    )

    assert _calls(server) == ["PUT /video/", f"POST {TT}/status/fetch/"]
    [put] = puts
    assert put.headers["Content-Range"] == "bytes 5242880-11534335/11534336"
    assert put.get_data() == payload[5 * MIB :]
    assert saved[-1]["uploaded"] == 2


# -- Facebook -----------------------------------------------------------------------------------

PAGE = "1029384756"
FB_VIDEO = "861234567890123"
FB_SESSION = "2257170584387212"


def test_facebook_transfers_what_the_server_asks_for_then_finishes(server):
    payload = _payload(300_000)
    stored = bytearray()
    transfers: list[tuple[int, int]] = []
    problems: list[str] = []
    progress, saved = _progress()
    saved_at_finish: list = []

    def videos(request):
        form = request.form.to_dict()
        phase = form.get("upload_phase")
        if form.get("access_token") != "tok":
            problems.append(f"no token in {phase}")
        if phase == "start":
            return _json(
                {
                    "video_id": FB_VIDEO,
                    "upload_session_id": FB_SESSION,
                    "start_offset": "0",
                    "end_offset": "120000",
                }
            )
        if form.get("upload_session_id") != FB_SESSION:
            problems.append(f"{phase} without the session")
        if phase == "transfer":
            chunk = request.files["video_file_chunk"].read()
            start = int(form["start_offset"])
            transfers.append((start, len(chunk)))
            if start != len(stored):
                problems.append(f"transfer at {start} after {len(stored)}")
                return _json({"error": {"message": "bad offset", "code": 100}}, status=400)
            stored.extend(chunk[:100_000] if len(transfers) == 1 else chunk)
            next_start = len(stored)
            return _json(
                {
                    "start_offset": str(next_start),
                    "end_offset": str(min(next_start + 120_000, len(payload))),
                }
            )
        saved_at_finish.extend(saved[-1:])
        return _json({"success": True})

    server.expect_request(f"/v21.0/{PAGE}/videos", method="POST").respond_with_handler(videos)

    result = FacebookPublisher().publish(
        account=_account("facebook", PAGE),
        token="tok",
        media=_media(payload),
        content=_content(),
        progress=progress,
    )

    assert result == Published(FB_VIDEO, f"https://www.facebook.com/{PAGE}/videos/{FB_VIDEO}")
    assert problems == []
    assert transfers == [(0, 120_000), (100_000, 120_000), (220_000, 80_000)]
    assert bytes(stored) == payload
    forms = [r.form.to_dict() for r, _ in server.log]
    assert [f["upload_phase"] for f in forms] == [
        "start",
        "transfer",
        "transfer",
        "transfer",
        "finish",
    ]
    assert forms[0] == {"upload_phase": "start", "file_size": "300000", "access_token": "tok"}
    assert forms[-1] == {
        "upload_phase": "finish",
        "upload_session_id": FB_SESSION,
        "title": TITLE,
        "description": CAPTION,
        "access_token": "tok",
    }
    assert saved[0] == {"session": FB_SESSION, "video_id": FB_VIDEO, "start": 0, "end": 120_000}
    assert saved_at_finish[0]["finishing"] is True  # noted before finishing


def test_facebook_retry_after_finish_asks_the_video(server):
    server.expect_request(f"/v21.0/{FB_VIDEO}").respond_with_json(
        {
            "id": FB_VIDEO,
            "permalink_url": f"/{PAGE}/videos/{FB_VIDEO}/",
            "status": {"video_status": "ready"},
        }
    )
    progress, saved = _progress(
        {
            "session": FB_SESSION,
            "video_id": FB_VIDEO,
            "start": 300_000,
            "end": 300_000,
            "finishing": True,
        }
    )

    result = FacebookPublisher().publish(
        account=_account("facebook", PAGE),
        token="tok",
        media=_unreadable(300_000),
        content=_content(),
        progress=progress,
    )

    assert result == Published(FB_VIDEO, f"https://www.facebook.com/{PAGE}/videos/{FB_VIDEO}/")
    assert _calls(server) == [f"GET /v21.0/{FB_VIDEO}"]  # no transfer, no second finish
    [(request, _)] = server.log
    assert "status" in request.args["fields"].split(",")
    assert saved == []


# -- X ------------------------------------------------------------------------------------------

X_USER = "2244994945"
X_MEDIA = "1880028106020515840"
X_MEDIA_KEY = "13_1880028106020515840"
X_POST = "1445880548472328192"
X_UPLOAD = "/2/media/upload"


def test_x_chunked_upload_processing_then_post(server, settings):
    settings.PUBLISH_CHUNK_BYTES = 1 * MIB
    payload = _payload(2 * MIB + 512 * KIB)
    progress, saved = _progress()
    saved_at_post: list = []

    def post(request):
        saved_at_post.extend(saved[-1:])
        return _json({"data": {"id": X_POST, "text": CAPTION}}, status=201)

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
        account=_account("x", X_USER),
        token="tok",
        media=_media(payload),
        content=_content(),
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
    payload = _payload(2 * MIB + 512 * KIB)
    for _ in range(2):
        server.expect_ordered_request(X_UPLOAD, method="POST").respond_with_data("", status=204)
    server.expect_ordered_request(X_UPLOAD, method="POST").respond_with_json({"data": {}})
    server.expect_ordered_request(X_UPLOAD, method="GET").respond_with_json(
        {"data": {"id": X_MEDIA}}  # no processing_info: nothing to wait for
    )
    server.expect_ordered_request("/2/tweets", method="POST").respond_with_json(
        {"data": {"id": X_POST, "text": CAPTION}}, status=201
    )
    progress, saved = _progress({"media_id": X_MEDIA, "media_key": X_MEDIA_KEY, "segments": 1})

    result = XPublisher().publish(
        account=_account("x", X_USER),
        token="tok",
        media=_media(payload),
        content=_content(),
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
    progress, saved = _progress(
        {
            "media_id": X_MEDIA,
            "media_key": X_MEDIA_KEY,
            "segments": 3,
            "finalized": True,
            "posting": True,
        }
    )

    result = XPublisher().publish(
        account=_account("x", X_USER),
        token="tok",
        media=_unreadable(2 * MIB),
        content=_content(),
        progress=progress,
    )

    assert result == Published(X_POST, f"https://x.com/acme/status/{X_POST}")
    assert _calls(server) == [f"GET {X_UPLOAD}", f"GET /2/users/{X_USER}/tweets"]
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
    progress, _saved = _progress()

    with pytest.raises(PlatformError) as caught:
        XPublisher().publish(
            account=_account("x", X_USER),
            token="tok",
            media=_media(_payload(4000)),
            content=_content(),
            progress=progress,
        )

    assert caught.value.kind == PERMANENT
    assert caught.value.message == "X could not process the video: Unsupported video"
    assert "POST /2/tweets" not in _calls(server)


# -- failures → PlatformError kinds ---------------------------------------------------------------


def _fails(publisher, platform: str, external_id: str = "1") -> PlatformError:
    progress, _saved = _progress()
    with pytest.raises(PlatformError) as caught:
        publisher.publish(
            account=_account(platform, external_id),
            token="tok",
            media=_media(_payload(1000)),
            content=_content(),
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


# -- problems() ---------------------------------------------------------------------------------


def _video(**changes) -> Media:
    values = {"size": 20 * MIB, "duration": 30.0, "width": 1080, "height": 1920}
    values.update(changes)
    return Media(open=io.BytesIO, public_url=lambda: VIDEO_URL, **values)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("platform", ["youtube", "instagram", "tiktok", "facebook", "x"])
def test_a_fitting_video_has_no_problems(english, platform):
    assert publisher_for(platform).problems(_video(), _content()) == []


@pytest.mark.parametrize(
    ("platform", "media", "content", "problem"),
    [
        (
            "x",
            _video(duration=200.0),
            _content(),
            "The video is 200 s long; X takes at most 140 s.",
        ),
        (
            "instagram",
            _video(duration=2.0),
            _content(),
            "The video is 2 s long; Instagram needs at least 3 s.",
        ),
        (
            "x",
            _video(),
            PostContent(title=TITLE, caption="a" * 281),
            "The caption has 281 characters; X allows 280.",
        ),
        (
            "youtube",
            _video(),
            PostContent(title="t" * 101, caption=CAPTION),
            "The title has 101 characters; YouTube allows 100.",
        ),
        (
            "x",
            _video(width=2000, height=500),
            _content(),
            "X does not take a 2000×500 picture (its aspect ratio).",
        ),
        ("x", _video(size=600 * MIB), _content(), "The file is 600 MB; X takes at most 512 MB."),
        (
            "instagram",
            _video(size=2 * 1024 * MIB),
            _content(),
            "The file is 2048 MB; Instagram takes at most 1024 MB.",
        ),
    ],
    ids=["x-too-long", "ig-too-short", "x-caption", "yt-title", "x-aspect", "x-size", "ig-size"],
)
def test_problems_name_what_does_not_fit(english, platform, media, content, problem):
    assert publisher_for(platform).problems(media, content) == [problem]


def test_several_problems_are_all_listed(english):
    found = XPublisher().problems(
        _video(duration=200.0, width=2000, height=500), PostContent(title="", caption="a" * 300)
    )
    assert len(found) == 3


def test_every_platform_has_a_publisher():
    assert set(PUBLISHERS) == {"youtube", "instagram", "tiktok", "facebook", "x"}
    assert all(PUBLISHERS[key].platform == key for key in PUBLISHERS)


def test_youtube_starts_a_new_session_when_the_saved_one_is_gone(server):
    """Google discards an unused upload session: 404 on the status query → start over."""
    payload = _payload(100_000)
    session = YouTubeSession(len(payload))
    started: list = []
    upload_url = _youtube_server(server, session, started)
    expired = f"{_root(server)}/upload/youtube/v3/videos/expired-session"
    server.expect_request(
        "/upload/youtube/v3/videos/expired-session", method="PUT"
    ).respond_with_json({"error": {"code": 404, "message": "Not Found"}}, status=404)
    progress, saved = _progress({"upload_url": expired})
    published = YouTubePublisher().publish(
        account=_account("youtube", "UC123"),
        token="tok",
        media=_media(payload),
        content=_content(),
        progress=progress,
    )
    assert len(started) == 1 and saved[0]["upload_url"] == upload_url
    assert published.remote_id and bytes(session.stored) == payload
