"""TikTok Content Posting API, direct post from a file upload.

creator_info/query (what this creator may post) → video/init (FILE_UPLOAD, chunked) →
PUT each chunk, in order, to `upload_url` with Content-Range → status/fetch until
PUBLISH_COMPLETE (or FAILED). `publish_id` is saved at init, so a retry only asks for the
status and never posts twice.

Statistics: the Display API's `POST /v2/video/query/` with up to 20 video ids (views, likes,
comments, shares), under the `video.list` scope. An id left out of the answer was deleted
(or made private); without the scope the counters stay None and nothing is asked.
"""

from __future__ import annotations

from django.conf import settings

from .. import messages
from ..http import PERMANENT, TRANSIENT, PlatformError, error_for, json_of, send
from ..models import Platform
from .base import Limits, Published, Publisher
from .statistics import PostStatistics, count, may_use

MIN_CHUNK = 5 * 1024 * 1024
MAX_CHUNK = 64 * 1024 * 1024
PROCESSING = ("PROCESSING_UPLOAD", "PROCESSING_DOWNLOAD", "SEND_TO_USER_INBOX")
STATS_SCOPE = "video.list"
STATS_FIELDS = "id,view_count,like_count,comment_count,share_count"
# A 401 with one of these is a scope the creator did not grant, not an expired token.
SCOPE_ERRORS = ("scope_not_authorized", "scope_permission_missed")


def chunk_plan(size: int, wanted: int) -> tuple[int, int]:
    """(chunk_size, count) within TikTok's rules: 5–64 MB chunks, the last one taking the
    remainder; a file under 5 MB goes whole."""
    if size < MIN_CHUNK:
        return size, 1
    chunk = min(max(wanted, MIN_CHUNK), MAX_CHUNK, size)
    return chunk, max(1, size // chunk)


class TikTokPublisher(Publisher):
    platform = Platform.TIKTOK
    limits = Limits(max_duration=10 * 60, min_duration=3, max_size=4 * 1024**3, max_caption=2200)
    stats_batch_size = 20  # video/query takes at most 20 ids

    def statistics(self, account, token, remote_ids) -> dict[str, PostStatistics]:
        unknown = {remote_id: PostStatistics.unknown(remote_id) for remote_id in remote_ids}
        if not may_use(account, STATS_SCOPE):
            return unknown
        base = settings.SOCIAL_PLATFORMS["tiktok"]["api_base"].rstrip("/")
        response = send(
            "POST",
            f"{base}/v2/video/query/",
            log=self.log,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            params={"fields": STATS_FIELDS},
            json={"filters": {"video_ids": remote_ids}},
            expect=(200, 401, 403),
        )
        data = json_of(response)
        code = (data.get("error") or {}).get("code")
        if code in SCOPE_ERRORS:
            return unknown
        if response.status_code != 200 or code not in (None, "", "ok"):
            raise error_for(response)
        found = {}
        for video in (data.get("data") or {}).get("videos") or []:
            found[str(video.get("id"))] = PostStatistics(
                remote_id=str(video.get("id")),
                views=count(video.get("view_count")),
                likes=count(video.get("like_count")),
                comments=count(video.get("comment_count")),
                shares=count(video.get("share_count")),
            )
        return found

    def publish(self, *, account, token, media, content, progress) -> Published:
        base = settings.SOCIAL_PLATFORMS["tiktok"]["api_base"].rstrip("/")
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        publish_id = progress.get("publish_id")
        if publish_id is None:
            privacy = self._creator_privacy(base, auth, media)
            chunk, count = chunk_plan(media.size, settings.PUBLISH_CHUNK_BYTES)
            response = self._api(
                f"{base}/v2/post/publish/video/init/",
                auth,
                {
                    "post_info": {"title": content.caption, "privacy_level": privacy},
                    "source_info": {
                        "source": "FILE_UPLOAD",
                        "video_size": media.size,
                        "chunk_size": chunk,
                        "total_chunk_count": count,
                    },
                },
            )
            publish_id, upload_url = response.get("publish_id"), response.get("upload_url")
            if not publish_id or not upload_url:
                raise PlatformError(TRANSIENT, messages.NO_UPLOAD_LINK)
            progress.set(
                publish_id=publish_id, upload_url=upload_url, chunk=chunk, count=count, uploaded=0
            )
        self._upload(media, progress)
        return self._wait(base, auth, publish_id, account)

    def _api(self, url, auth, body) -> dict:
        data = json_of(send("POST", url, log=self.log, headers=auth, json=body))
        error = data.get("error") or {}
        if error.get("code") not in (None, "", "ok"):
            raise PlatformError(PERMANENT, error.get("message") or error["code"])
        return data.get("data") or {}

    def _creator_privacy(self, base, auth, media) -> str:
        info = self._api(f"{base}/v2/post/publish/creator_info/query/", auth, {})
        longest = info.get("max_video_post_duration_sec")
        if longest and media.duration > longest:
            raise PlatformError(
                PERMANENT, messages.with_detail(messages.TOO_LONG_FOR_ACCOUNT, f"{longest} s")
            )
        options = info.get("privacy_level_options") or ["SELF_ONLY"]
        return "PUBLIC_TO_EVERYONE" if "PUBLIC_TO_EVERYONE" in options else options[0]

    def _upload(self, media, progress) -> None:
        chunk, count = progress.get("chunk"), progress.get("count")
        for index in range(progress.get("uploaded", 0), count):
            start = index * chunk
            end = media.size if index == count - 1 else start + chunk  # the last takes the rest
            send(
                "PUT",
                progress.get("upload_url"),
                log=self.log,
                data=media.read(start, end),
                headers={
                    "Content-Type": media.content_type,
                    "Content-Range": f"bytes {start}-{end - 1}/{media.size}",
                },
                expect=(200, 201, 206),
            )
            progress.set(uploaded=index + 1)

    def _wait(self, base, auth, publish_id, account) -> Published:
        for _attempt in range(self.poll_limit()):
            data = self._api(
                f"{base}/v2/post/publish/status/fetch/", auth, {"publish_id": publish_id}
            )
            status = data.get("status")
            if status == "PUBLISH_COMPLETE":
                ids = (
                    data.get("publicaly_available_post_id")
                    or data.get("publicly_available_post_id")
                    or []
                )
                post_id = str(ids[0]) if ids else publish_id
                handle = account.handle.lstrip("@")
                url = (
                    f"https://www.tiktok.com/@{handle}/video/{post_id}"
                    if ids and handle
                    else "https://www.tiktok.com/"
                )
                return Published(remote_id=post_id, url=url)
            if status == "FAILED":
                raise PlatformError(
                    PERMANENT,
                    messages.with_detail(messages.TIKTOK_NOT_PUBLISHED, data.get("fail_reason")),
                )
            self.wait()
        raise PlatformError(TRANSIENT, messages.STILL_PROCESSING)
