"""Local servers that speak the platforms' publishing protocols, for tests with real workers
(threaded, so several workers can publish at once), counting what they receive."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter

from pytest_httpserver import HTTPServer
from werkzeug import Response


class FakeX:
    """X's media upload and post endpoints on a threaded local server, counting posts."""

    def __init__(self, *, hold_append: threading.Event | None = None) -> None:
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.lock = threading.Lock()
        self.media = 0
        self.posts: Counter[str] = Counter()
        self.appends = 0
        self.hold_append = hold_append
        self.append_started = threading.Event()

    def upload(self, request):
        command = request.form.get("command") or request.args.get("command")
        if command == "INIT":
            with self.lock:
                self.media += 1
                media_id = f"m{self.media}"
            body = {"data": {"id": media_id, "media_key": f"7_{media_id}"}}
        elif command == "APPEND":
            with self.lock:
                self.appends += 1
            self.append_started.set()
            if self.hold_append is not None:
                self.hold_append.wait(30)  # the worker is killed while it waits here
            return Response(status=204)
        else:  # FINALIZE, STATUS: processed at once
            body = {
                "data": {
                    "id": request.values.get("media_id"),
                    "processing_info": {"state": "succeeded"},
                }
            }
        return Response(json.dumps(body), content_type="application/json")

    def tweet(self, request):
        text = json.loads(request.get_data())["text"]
        with self.lock:
            self.posts[text] += 1
            number = sum(self.posts.values())
        body = {"data": {"id": f"t{number}", "text": text}}
        return Response(json.dumps(body), status=201, content_type="application/json")

    def __enter__(self) -> FakeX:
        self.server.expect_request("/2/media/upload").respond_with_handler(self.upload)
        self.server.expect_request("/2/tweets", method="POST").respond_with_handler(self.tweet)
        self.server.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.hold_append is not None:
            self.hold_append.set()
        self.server.clear()
        if self.server.is_running():
            self.server.stop()

    @property
    def base(self) -> str:
        return self.server.url_for("").rstrip("/")


class FakeYouTube:
    """YouTube's resumable upload: start → session URL → PUT the bytes → the video."""

    def __init__(self) -> None:
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.lock = threading.Lock()
        self.sessions: dict[str, str] = {}
        self.videos: Counter[str] = Counter()

    def start(self, request):
        title = json.loads(request.get_data())["snippet"]["title"]
        with self.lock:
            session = f"s{len(self.sessions) + 1}"
            self.sessions[session] = title
        location = f"{self.base}/upload/youtube/v3/sessions/{session}"
        return Response("", status=200, headers={"Location": location})

    def put(self, request):
        title = self.sessions[request.path.rsplit("/", 1)[1]]
        with self.lock:
            self.videos[title] += 1
            number = sum(self.videos.values())
        body = {"id": f"yt{number}", "snippet": {"title": title}}
        return Response(json.dumps(body), status=200, content_type="application/json")

    def __enter__(self) -> FakeYouTube:
        self.server.expect_request("/upload/youtube/v3/videos", method="POST").respond_with_handler(
            self.start
        )
        self.server.expect_request(
            re.compile(r"^/upload/youtube/v3/sessions/s\d+$"), method="PUT"
        ).respond_with_handler(self.put)
        self.server.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.clear()
        if self.server.is_running():
            self.server.stop()

    @property
    def base(self) -> str:
        return self.server.url_for("").rstrip("/")
