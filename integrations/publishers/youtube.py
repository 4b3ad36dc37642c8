"""YouTube Data API v3: a resumable upload that survives interruptions.

POST …/upload/youtube/v3/videos?uploadType=resumable → a session URL (saved) → PUT the
bytes with Content-Range. After an interruption, `PUT` with `Content-Range: bytes */size`
answers 308 with `Range: bytes=0-N` (resume at N+1), or 200/201 if the upload completed —
so a retry never uploads a second video.

Statistics: `videos.list?part=statistics` for up to 50 ids a request (views, likes,
comments; an id left out of the answer was deleted or made private). With the
`yt-analytics.readonly` scope, one YouTube Analytics `reports.query` for the same ids adds
shares and average view duration; without it those stay None and no call is made.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .. import messages
from ..http import TRANSIENT, PlatformError, json_of, send
from ..models import Platform
from .base import Limits, Published, Publisher
from .statistics import PostStatistics, count, granted

RESUME_INCOMPLETE = 308
UPLOAD_UNIT = 256 * 1024
MAX_STALLS = 3
SESSION_GONE = (404, 410)
ANALYTICS_SCOPE = "https://www.googleapis.com/auth/yt-analytics.readonly"
# The YouTube Analytics API has a host of its own (settings' `analytics_base` points elsewhere).
ANALYTICS_BASE = "https://youtubeanalytics.googleapis.com"
# The Analytics API wants a start date; YouTube's first day covers a video's whole life.
ANALYTICS_START = "2005-02-14"


class YouTubePublisher(Publisher):
    platform = Platform.YOUTUBE
    limits = Limits(max_duration=12 * 3600, max_size=256 * 1024**3, max_title=100, max_caption=5000)
    stats_batch_size = 50  # videos.list takes at most 50 ids

    def statistics(self, account, token, remote_ids) -> dict[str, PostStatistics]:
        auth = {"Authorization": f"Bearer {token}"}
        response = send(
            "GET",
            f"{self.base(account)}/youtube/v3/videos",
            log=self.log,
            headers=auth,
            params={"part": "statistics", "id": ",".join(remote_ids), "maxResults": 50},
        )
        found = {}
        for item in json_of(response).get("items") or []:
            numbers = item.get("statistics") or {}
            found[str(item.get("id"))] = PostStatistics(
                remote_id=str(item.get("id")),
                views=count(numbers.get("viewCount")),
                likes=count(numbers.get("likeCount")),  # absent when the owner hides likes
                comments=count(numbers.get("commentCount")),  # absent when comments are off
                shares=None,
            )
        if found and granted(account, ANALYTICS_SCOPE):
            self._analytics(auth, found)
        return found

    def _analytics(self, auth, found: dict[str, PostStatistics]) -> None:
        """Shares and average view duration, per video, from the channel's Analytics report."""
        base = settings.SOCIAL_PLATFORMS["youtube"].get("analytics_base") or ANALYTICS_BASE
        response = send(
            "GET",
            f"{base.rstrip('/')}/v2/reports",
            log=self.log,
            headers=auth,
            params={
                "ids": "channel==MINE",
                "startDate": ANALYTICS_START,
                "endDate": (timezone.now() + dt.timedelta(days=1)).date().isoformat(),
                "metrics": "shares,averageViewDuration",
                "dimensions": "video",
                "filters": f"video=={','.join(found)}",
            },
        )
        data = json_of(response)
        names = [header.get("name") for header in data.get("columnHeaders") or []]
        for row in data.get("rows") or []:
            values = dict(zip(names, row, strict=False))
            numbers = found.get(str(values.get("video")))
            if numbers is None:
                continue
            numbers.shares = count(values.get("shares"))
            seconds = values.get("averageViewDuration")
            numbers.average_watch_seconds = float(seconds) if seconds is not None else None

    def publish(self, *, account, token, media, content, progress) -> Published:
        auth = {"Authorization": f"Bearer {token}"}
        upload_url = progress.get("upload_url")
        offset = 0
        if upload_url:
            try:
                done, offset = self._status(upload_url, auth, media.size)
            except PlatformError as error:
                if error.status not in SESSION_GONE:
                    raise
                upload_url, offset, done = None, 0, None  # Google dropped it: start over
            if done is not None:
                return done
        if not upload_url:
            upload_url = self._start(account, auth, media, content)
            progress.set(upload_url=upload_url)
        chunk = max(UPLOAD_UNIT, settings.PUBLISH_CHUNK_BYTES // UPLOAD_UNIT * UPLOAD_UNIT)
        stalls = 0
        while True:
            end = min(offset + chunk, media.size)
            try:
                response = send(
                    "PUT",
                    upload_url,
                    log=self.log,
                    data=media.read(offset, end),
                    headers={
                        **auth,
                        "Content-Type": media.content_type,
                        "Content-Range": f"bytes {offset}-{end - 1}/{media.size}",
                    },
                    expect=(200, 201, RESUME_INCOMPLETE),
                )
            except PlatformError as error:
                if error.kind != TRANSIENT:
                    raise
                # Interrupted: ask how much arrived and go on from there. Interruptions that
                # bring nothing give up this attempt; the next one (after a backoff) resumes.
                done, resumed_at = self._status(upload_url, auth, media.size)
                if done is not None:
                    return done
                stalls = stalls + 1 if resumed_at <= offset else 0
                if stalls >= MAX_STALLS:
                    raise
                offset = resumed_at
                continue
            if response.status_code != RESUME_INCOMPLETE:
                return self._published(response)
            offset = self._received(response)

    def _start(self, account, auth, media, content) -> str:
        base = self.base(account)
        response = send(
            "POST",
            f"{base}/upload/youtube/v3/videos",
            log=self.log,
            params={"uploadType": "resumable", "part": "snippet,status"},
            headers={
                **auth,
                "X-Upload-Content-Type": media.content_type,
                "X-Upload-Content-Length": str(media.size),
            },
            json={
                "snippet": {
                    "title": content.title,
                    "description": content.caption,
                    "tags": content.tags,
                    "categoryId": "22",
                },
                "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False},
            },
        )
        location = response.headers.get("Location")
        if not location:
            raise PlatformError(TRANSIENT, messages.NO_UPLOAD_LINK)
        return location

    def _status(self, upload_url, auth, size) -> tuple[Published | None, int]:
        response = send(
            "PUT",
            upload_url,
            log=self.log,
            headers={**auth, "Content-Range": f"bytes */{size}", "Content-Length": "0"},
            expect=(200, 201, RESUME_INCOMPLETE),
        )
        if response.status_code != RESUME_INCOMPLETE:
            return self._published(response), size
        return None, self._received(response)

    @staticmethod
    def _received(response) -> int:
        """The next byte to send, from a 308's `Range: bytes=0-N` (none yet: 0)."""
        header = response.headers.get("Range", "")
        if "-" not in header:
            return 0
        return int(header.rsplit("-", 1)[1]) + 1

    @staticmethod
    def _published(response) -> Published:
        video_id = json_of(response).get("id")
        if not video_id:
            raise PlatformError(TRANSIENT, messages.NO_REMOTE_ID)
        return Published(remote_id=video_id, url=f"https://www.youtube.com/watch?v={video_id}")

    @staticmethod
    def base(account) -> str:
        return settings.SOCIAL_PLATFORMS["youtube"]["api_base"].rstrip("/")
