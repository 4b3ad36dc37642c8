"""Instagram Graph API Reels: a container, then publishing it.

POST /{ig-user-id}/media (REELS, video_url: a time-limited public link) → container id
(saved) → GET /{container-id}?fields=status_code until FINISHED (ERROR and EXPIRED fail) →
POST /{ig-user-id}/media_publish?creation_id=… . At most 50 posts per 24 hours
(`content_publishing_limit`). A retry after media_publish asks the container: PUBLISHED
means it went out, and the media is found instead of published again.

Statistics, one media a request (the Graph API has no multi-media insights read; a Graph
batch would still count each media against the rate limit): with `instagram_manage_insights`,
`GET /{media-id}/insights` for the Reel's views, likes, comments, shares, saves and average
watch time; without it (or when Instagram will not show insights yet), the media's own
`like_count` and `comments_count`. A media Instagram no longer has is deleted.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .. import messages
from ..http import PERMANENT, RATE_LIMIT, TRANSIENT, PlatformError, json_of, send
from ..models import Platform
from .base import Limits, Published, Publisher
from .statistics import (
    GraphGone,
    GraphNotPermitted,
    PostStatistics,
    count,
    graph_read,
    insight_values,
    may_use,
)

DAILY_POSTS = 50
INSIGHTS_SCOPE = "instagram_manage_insights"
REEL_METRICS = "views,likes,comments,shares,saved,ig_reels_avg_watch_time"


class InstagramPublisher(Publisher):
    platform = Platform.INSTAGRAM
    limits = Limits(
        max_duration=15 * 60,
        min_duration=3,
        max_size=1024**3,
        min_ratio=0.01,
        max_ratio=10,
        max_caption=2200,
    )
    stats_batch_size = 1

    def statistics(self, account, token, remote_ids) -> dict[str, PostStatistics]:
        base = settings.SOCIAL_PLATFORMS["instagram"]["api_base"].rstrip("/")
        media = remote_ids[0]
        try:
            if may_use(account, INSIGHTS_SCOPE):
                try:
                    return {media: self._insights(base, token, media)}
                except GraphNotPermitted:
                    pass  # not for this media (yet): its public counts still are
            return {media: self._counts(base, token, media)}
        except GraphGone:
            return {}
        except GraphNotPermitted:
            return {media: PostStatistics.unknown(media)}

    def _insights(self, base, token, media) -> PostStatistics:
        values = insight_values(
            graph_read(
                f"{base}/{media}/insights",
                {"metric": REEL_METRICS, "access_token": token},
                log=self.log,
            )
        )
        watch_ms = values.get("ig_reels_avg_watch_time")
        return PostStatistics(
            remote_id=media,
            views=count(values.get("views")),
            likes=count(values.get("likes")),
            comments=count(values.get("comments")),
            shares=count(values.get("shares")),
            saves=count(values.get("saved")),
            average_watch_seconds=float(watch_ms) / 1000 if watch_ms is not None else None,
        )

    def _counts(self, base, token, media) -> PostStatistics:
        data = graph_read(
            f"{base}/{media}",
            {"fields": "like_count,comments_count", "access_token": token},
            log=self.log,
        )
        return PostStatistics(
            remote_id=media,
            views=None,
            likes=count(data.get("like_count")),
            comments=count(data.get("comments_count")),
            shares=None,
        )

    def publish(self, *, account, token, media, content, progress) -> Published:
        base = settings.SOCIAL_PLATFORMS["instagram"]["api_base"].rstrip("/")
        user = account.external_id
        if progress.get("media_id"):
            return self._result(base, token, progress.get("media_id"))
        container = progress.get("container_id")
        if container is None:
            self._check_quota(base, user, token)
            if media.public_url is None:
                raise PlatformError(PERMANENT, messages.NEEDS_PUBLIC_LINK)
            response = send(
                "POST",
                f"{base}/{user}/media",
                log=self.log,
                data={
                    "media_type": "REELS",
                    "video_url": media.public_url(),
                    "caption": content.caption,
                    "share_to_feed": "true",
                    "access_token": token,
                },
            )
            container = json_of(response).get("id")
            if not container:
                raise PlatformError(TRANSIENT, messages.NO_UPLOAD_LINK)
            progress.set(container_id=container)
        status = self._wait_for_container(base, container, token)
        if status == "PUBLISHED":  # a previous attempt published it before we saved that
            media_id = self._find_published(base, user, token, content.caption)
        else:
            progress.set(publishing=True)
            response = send(
                "POST",
                f"{base}/{user}/media_publish",
                log=self.log,
                data={"creation_id": container, "access_token": token},
            )
            media_id = json_of(response).get("id")
        if not media_id:
            raise PlatformError(TRANSIENT, messages.NO_REMOTE_ID)
        progress.set(media_id=media_id)
        return self._result(base, token, media_id)

    def _check_quota(self, base, user, token) -> None:
        response = send(
            "GET",
            f"{base}/{user}/content_publishing_limit",
            log=self.log,
            params={"fields": "quota_usage,config", "access_token": token},
        )
        data = (json_of(response).get("data") or [{}])[0]
        total = (data.get("config") or {}).get("quota_total", DAILY_POSTS)
        if data.get("quota_usage", 0) >= total:
            raise PlatformError(
                RATE_LIMIT,
                messages.with_detail(messages.DAILY_LIMIT, f"{data.get('quota_usage', 0)}/{total}"),
                retry_at=timezone.now() + dt.timedelta(hours=1),
            )

    def _wait_for_container(self, base, container, token) -> str:
        for _attempt in range(self.poll_limit()):
            response = send(
                "GET",
                f"{base}/{container}",
                log=self.log,
                params={"fields": "status_code,status", "access_token": token},
            )
            data = json_of(response)
            code = data.get("status_code")
            if code in ("FINISHED", "PUBLISHED"):
                return code
            if code in ("ERROR", "EXPIRED"):
                detail = data.get("status") or code
                raise PlatformError(
                    PERMANENT, messages.with_detail(messages.INSTAGRAM_NOT_PROCESSED, detail)
                )
            self.wait()
        raise PlatformError(TRANSIENT, messages.STILL_PROCESSING)

    def _find_published(self, base, user, token, caption) -> str | None:
        response = send(
            "GET",
            f"{base}/{user}/media",
            log=self.log,
            params={"fields": "id,caption,timestamp", "limit": 10, "access_token": token},
        )
        for item in json_of(response).get("data", []):
            if (item.get("caption") or "") == caption:
                return item.get("id")
        return None

    def _result(self, base, token, media_id) -> Published:
        response = send(
            "GET",
            f"{base}/{media_id}",
            log=self.log,
            params={"fields": "permalink", "access_token": token},
        )
        url = json_of(response).get("permalink") or "https://www.instagram.com/"
        return Published(remote_id=media_id, url=url)
