"""X: chunked media upload, then a post with the media.

POST /2/media/upload command=INIT → APPEND each segment → FINALIZE → STATUS until
`succeeded` → POST /2/tweets with the media id. The media id is saved at INIT and every
appended segment as it goes; before posting we note that we are posting, and a retry that
finds the note looks for the post among the account's latest instead of posting again.

Statistics: `GET /2/tweets?ids=…` (at most 100 ids) with the post's `public_metrics`
(impressions, likes, replies, reposts, quotes, bookmarks) and its video's own `view_count`
through the media expansion. A post X no longer has comes back in `errors`, not `data`.
"""

from __future__ import annotations

from django.conf import settings

from .. import messages
from ..http import PERMANENT, TRANSIENT, PlatformError, json_of, send
from ..models import Platform
from .base import Limits, Published, Publisher
from .statistics import PostStatistics, count

MAX_SEGMENT = 5 * 1024 * 1024


class XPublisher(Publisher):
    platform = Platform.X
    limits = Limits(
        max_duration=140,
        min_duration=0.5,
        max_size=512 * 1024**2,
        min_ratio=1 / 3,
        max_ratio=3,
        max_caption=280,
    )
    stats_batch_size = 100  # GET /2/tweets takes at most 100 ids

    def statistics(self, account, token, remote_ids) -> dict[str, PostStatistics]:
        base = settings.SOCIAL_PLATFORMS["x"]["api_base"].rstrip("/")
        data = json_of(
            send(
                "GET",
                f"{base}/2/tweets",
                log=self.log,
                headers={"Authorization": f"Bearer {token}"},
                params={
                    "ids": ",".join(remote_ids),
                    "tweet.fields": "public_metrics",
                    "expansions": "attachments.media_keys",
                    "media.fields": "public_metrics",
                },
            )
        )
        media_views = {
            media.get("media_key"): count((media.get("public_metrics") or {}).get("view_count"))
            for media in (data.get("includes") or {}).get("media") or []
        }
        found = {}
        for post in data.get("data") or []:
            metrics = post.get("public_metrics") or {}
            views = [
                media_views.get(key)
                for key in (post.get("attachments") or {}).get("media_keys") or []
                if media_views.get(key) is not None
            ]
            reposts, quotes = count(metrics.get("retweet_count")), count(metrics.get("quote_count"))
            shares = None if reposts is None and quotes is None else (reposts or 0) + (quotes or 0)
            found[str(post["id"])] = PostStatistics(
                remote_id=str(post["id"]),
                views=sum(views) if views else None,
                likes=count(metrics.get("like_count")),
                comments=count(metrics.get("reply_count")),
                shares=shares,
                saves=count(metrics.get("bookmark_count")),
                impressions=count(metrics.get("impression_count")),
            )
        return found

    def publish(self, *, account, token, media, content, progress) -> Published:
        base = settings.SOCIAL_PLATFORMS["x"]["api_base"].rstrip("/")
        auth = {"Authorization": f"Bearer {token}"}
        upload = f"{base}/2/media/upload"
        if progress.get("tweet_id"):
            return self._published(account, progress.get("tweet_id"))
        media_id = progress.get("media_id")
        if media_id is None:
            data = json_of(
                send(
                    "POST",
                    upload,
                    log=self.log,
                    headers=auth,
                    data={
                        "command": "INIT",
                        "media_type": media.content_type,
                        "total_bytes": media.size,
                        "media_category": "tweet_video",
                    },
                )
            ).get("data", {})
            media_id = data.get("id") or data.get("media_id_string")
            if not media_id:
                raise PlatformError(TRANSIENT, messages.NO_UPLOAD_LINK)
            progress.set(media_id=media_id, media_key=data.get("media_key", ""), segments=0)
        segment = min(MAX_SEGMENT, settings.PUBLISH_CHUNK_BYTES)
        if not progress.get("finalized"):
            done = progress.get("segments", 0)
            for index, (_offset, chunk) in enumerate(
                media.chunks(done * segment, segment), start=done
            ):
                send(
                    "POST",
                    upload,
                    log=self.log,
                    headers=auth,
                    data={"command": "APPEND", "media_id": media_id, "segment_index": index},
                    files={"media": ("segment", chunk, "application/octet-stream")},
                    expect=(200, 201, 204),
                )
                progress.set(segments=index + 1)
            send(
                "POST",
                upload,
                log=self.log,
                headers=auth,
                data={"command": "FINALIZE", "media_id": media_id},
            )
            progress.set(finalized=True)
        self._wait(upload, auth, media_id)
        if progress.get("posting"):
            found = self._find_post(base, auth, account, progress.get("media_key"))
            if found:
                progress.set(tweet_id=found)
                return self._published(account, found)
        progress.set(posting=True)
        data = json_of(
            send(
                "POST",
                f"{base}/2/tweets",
                log=self.log,
                headers=auth,
                json={"text": content.caption, "media": {"media_ids": [str(media_id)]}},
            )
        ).get("data", {})
        if not data.get("id"):
            raise PlatformError(TRANSIENT, messages.NO_REMOTE_ID)
        progress.set(tweet_id=data["id"])
        return self._published(account, data["id"])

    def _wait(self, upload, auth, media_id) -> None:
        for _attempt in range(self.poll_limit()):
            data = json_of(
                send(
                    "GET",
                    upload,
                    log=self.log,
                    headers=auth,
                    params={"command": "STATUS", "media_id": media_id},
                )
            ).get("data", {})
            info = data.get("processing_info") or {"state": "succeeded"}
            state = info.get("state")
            if state == "succeeded":
                return
            if state == "failed":
                error = info.get("error") or {}
                raise PlatformError(
                    PERMANENT,
                    messages.with_detail(messages.X_NOT_PROCESSED, error.get("message", state)),
                )
            # X says when to ask again; with polling switched off (tests) we don't wait.
            after = min(float(info.get("check_after_secs", 1)), 60.0)
            self.wait(after if settings.PUBLISH_POLL_SECONDS > 0 else 0)
        raise PlatformError(TRANSIENT, messages.STILL_PROCESSING)

    def _find_post(self, base, auth, account, media_key) -> str | None:
        if not media_key:
            return None
        data = json_of(
            send(
                "GET",
                f"{base}/2/users/{account.external_id}/tweets",
                log=self.log,
                headers=auth,
                params={"max_results": 5, "expansions": "attachments.media_keys"},
            )
        )
        for post in data.get("data", []):
            if media_key in (post.get("attachments") or {}).get("media_keys", []):
                return post["id"]
        return None

    @staticmethod
    def _published(account, tweet_id) -> Published:
        handle = account.handle.lstrip("@") or "i"
        return Published(remote_id=str(tweet_id), url=f"https://x.com/{handle}/status/{tweet_id}")
