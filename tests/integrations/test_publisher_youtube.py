"""Publishing to YouTube against a local server that speaks its resumable upload protocol:
the bytes and ranges the server received, resuming at the byte it kept, and a saved session
reused (or started again) on a retry."""

from __future__ import annotations

import re

import pytest
from werkzeug import Response

from integrations.http import TRANSIENT, PlatformError
from integrations.publishers import Published
from integrations.publishers.youtube import YouTubePublisher
from tests.integrations.conftest import (
    CAPTION,
    KIB,
    TITLE,
    YT_UPLOAD,
    account_for,
    calls_to,
    json_response,
    media_of,
    post_content,
    random_bytes,
    recorded_progress,
    root_url,
    unreadable_media,
)

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
            return json_response({"kind": "youtube#video", "id": self.video_id})
        headers = {"Range": f"bytes=0-{len(self.stored) - 1}"} if self.stored else {}
        return Response("", status=308, headers=headers)

    def _problem(self, text: str) -> Response:
        self.problems.append(text)
        return Response(text, status=400)


def _youtube_server(server, session: YouTubeSession, started: list) -> str:
    upload_url = f"{root_url(server)}{YT_UPLOAD}?uploadType=resumable&upload_id={YT_SESSION}"

    def start(request):
        started.append(request)
        return Response("", status=200, headers={"Location": upload_url})

    server.expect_request(YT_UPLOAD, method="POST").respond_with_handler(start)
    server.expect_request(YT_UPLOAD, method="PUT").respond_with_handler(session.put)
    return upload_url


def test_youtube_resumable_upload_resumes_at_the_byte_the_server_kept(server):
    payload = random_bytes(2 * 256 * KIB + 1000)  # 525288 bytes: two whole chunks and a bit
    session = YouTubeSession(len(payload))
    session.keep[0] = 100_000  # the first chunk only partly arrived
    started: list = []
    upload_url = _youtube_server(server, session, started)
    progress, saved = recorded_progress()

    result = YouTubePublisher().publish(
        account=account_for("youtube", "UC123"),
        token="tok",
        media=media_of(payload),
        content=post_content(),
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
    assert calls_to(server) == ["POST " + YT_UPLOAD] + ["PUT " + YT_UPLOAD] * 3
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
    payload = random_bytes(2 * 256 * KIB + 1000)
    session = YouTubeSession(len(payload), video_id="abc123XYZ")
    session.keep[1], session.fail[1] = 50_000, 503  # the second PUT breaks off after 50000 B
    _youtube_server(server, session, [])
    progress, _saved = recorded_progress()

    result = YouTubePublisher().publish(
        account=account_for("youtube", "UC123"),
        token="tok",
        media=media_of(payload),
        content=post_content(),
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
    payload = random_bytes(300_000)
    session = YouTubeSession(len(payload), video_id="doneDONE123")
    session.stored += payload  # the last attempt's final PUT arrived; its answer did not
    started: list = []
    upload_url = _youtube_server(server, session, started)
    progress, saved = recorded_progress({"upload_url": upload_url})

    result = YouTubePublisher().publish(
        account=account_for("youtube", "UC123"),
        token="tok",
        media=unreadable_media(len(payload)),
        content=post_content(),
        progress=progress,
    )

    assert result == Published("doneDONE123", "https://www.youtube.com/watch?v=doneDONE123")
    assert session.problems == []
    assert session.ranges == ["bytes */300000"]
    assert started == [] and calls_to(server) == ["PUT " + YT_UPLOAD]
    assert saved == []


def test_youtube_retry_with_a_saved_session_uploads_only_the_rest(server):
    payload = random_bytes(2 * 256 * KIB + 1000)
    session = YouTubeSession(len(payload))
    session.stored += payload[:300_000]
    started: list = []
    upload_url = _youtube_server(server, session, started)
    progress, _saved = recorded_progress({"upload_url": upload_url})

    result = YouTubePublisher().publish(
        account=account_for("youtube", "UC123"),
        token="tok",
        media=media_of(payload),
        content=post_content(),
        progress=progress,
    )

    assert result.remote_id == "dQw4w9WgXcQ"
    assert session.problems == []
    assert session.ranges == ["bytes */525288", "bytes 300000-525287/525288"]
    assert started == []
    assert bytes(session.stored) == payload


def test_youtube_gives_up_when_uploads_keep_failing_without_progress(server):
    payload = random_bytes(300_000)
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
    progress, _saved = recorded_progress({"upload_url": upload_url})

    with pytest.raises(PlatformError) as caught:
        YouTubePublisher().publish(
            account=account_for("youtube", "UC123"),
            token="tok",
            media=media_of(payload),
            content=post_content(),
            progress=progress,
        )

    assert caught.value.kind == TRANSIENT
    assert len(uploads) < 10


def test_youtube_starts_a_new_session_when_the_saved_one_is_gone(server):
    """Google discards an unused upload session: 404 on the status query → start over."""
    payload = random_bytes(100_000)
    session = YouTubeSession(len(payload))
    started: list = []
    upload_url = _youtube_server(server, session, started)
    expired = f"{root_url(server)}/upload/youtube/v3/videos/expired-session"
    server.expect_request(
        "/upload/youtube/v3/videos/expired-session", method="PUT"
    ).respond_with_json({"error": {"code": 404, "message": "Not Found"}}, status=404)
    progress, saved = recorded_progress({"upload_url": expired})
    published = YouTubePublisher().publish(
        account=account_for("youtube", "UC123"),
        token="tok",
        media=media_of(payload),
        content=post_content(),
        progress=progress,
    )
    assert len(started) == 1 and saved[0]["upload_url"] == upload_url
    assert published.remote_id and bytes(session.stored) == payload
