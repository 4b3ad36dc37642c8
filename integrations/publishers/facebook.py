"""Facebook Page video, resumable: start → transfer (the chunks the server asks for) →
finish. The video id is saved at start; a retry after finish asks the video instead of
finishing twice.

Statistics, one video a request: `GET /{video-id}/video_insights` for lifetime views,
average time watched, reactions (by type, summed as likes) and the comments and shares
counted in `total_video_stories_by_action_type`. A video Facebook no longer has is deleted.
"""

from __future__ import annotations

from django.conf import settings

from .. import messages
from ..http import TRANSIENT, PlatformError, json_of, send
from ..models import Platform
from .base import Limits, Published, Publisher
from .statistics import (
    GraphGone,
    GraphNotPermitted,
    PostStatistics,
    count,
    graph_read,
    insight_values,
)

VIDEO_METRICS = (
    "total_video_views,total_video_avg_time_watched,"
    "total_video_reactions_by_type_total,total_video_stories_by_action_type"
)


class FacebookPublisher(Publisher):
    platform = Platform.FACEBOOK
    limits = Limits(
        max_duration=240 * 60,
        min_duration=1,
        max_size=10 * 1024**3,
        max_title=255,
        max_caption=63_000,
    )
    stats_batch_size = 1

    def statistics(self, account, token, remote_ids) -> dict[str, PostStatistics]:
        base = settings.SOCIAL_PLATFORMS["facebook"]["api_base"].rstrip("/")
        video = remote_ids[0]
        try:
            data = graph_read(
                f"{base}/{video}/video_insights",
                {"metric": VIDEO_METRICS, "period": "lifetime", "access_token": token},
                log=self.log,
            )
        except GraphGone:
            return {}
        except GraphNotPermitted:
            return {video: PostStatistics.unknown(video)}
        values = insight_values(data)
        reactions = values.get("total_video_reactions_by_type_total")
        stories = values.get("total_video_stories_by_action_type")
        stories = stories if isinstance(stories, dict) else {}
        watch_ms = values.get("total_video_avg_time_watched")
        return {
            video: PostStatistics(
                remote_id=video,
                views=count(values.get("total_video_views")),
                likes=(
                    sum(count(n) or 0 for n in reactions.values())
                    if isinstance(reactions, dict)
                    else None
                ),
                comments=count(stories.get("comment")),
                shares=count(stories.get("share")),
                average_watch_seconds=float(watch_ms) / 1000 if watch_ms is not None else None,
            )
        }

    def publish(self, *, account, token, media, content, progress) -> Published:
        base = settings.SOCIAL_PLATFORMS["facebook"]["api_base"].rstrip("/")
        page = account.external_id
        endpoint = f"{base}/{page}/videos"
        if progress.get("finishing"):
            done = self._finished(base, progress.get("video_id"), token, page)
            if done:
                return done
        if progress.get("session") is None:
            data = json_of(
                send(
                    "POST",
                    endpoint,
                    log=self.log,
                    data={"upload_phase": "start", "file_size": media.size, "access_token": token},
                )
            )
            if not data.get("upload_session_id"):
                raise PlatformError(TRANSIENT, messages.NO_UPLOAD_LINK)
            progress.set(
                session=data["upload_session_id"],
                video_id=data.get("video_id"),
                start=int(data.get("start_offset", 0)),
                end=int(data.get("end_offset", 0)),
            )
        start, end = progress.get("start"), progress.get("end")
        while start < end:
            data = json_of(
                send(
                    "POST",
                    endpoint,
                    log=self.log,
                    data={
                        "upload_phase": "transfer",
                        "upload_session_id": progress.get("session"),
                        "start_offset": start,
                        "access_token": token,
                    },
                    files={"video_file_chunk": ("chunk", media.read(start, end))},
                )
            )
            start, end = int(data.get("start_offset", end)), int(data.get("end_offset", end))
            progress.set(start=start, end=end)
        progress.set(finishing=True)
        send(
            "POST",
            endpoint,
            log=self.log,
            data={
                "upload_phase": "finish",
                "upload_session_id": progress.get("session"),
                "title": content.title,
                "description": content.caption,
                "access_token": token,
            },
        )
        video_id = progress.get("video_id")
        return Published(
            remote_id=str(video_id), url=f"https://www.facebook.com/{page}/videos/{video_id}"
        )

    def _finished(self, base, video_id, token, page) -> Published | None:
        if not video_id:
            return None
        data = json_of(
            send(
                "GET",
                f"{base}/{video_id}",
                log=self.log,
                params={"fields": "id,permalink_url,status", "access_token": token},
            )
        )
        status = data.get("status") or {}
        publishing = (status.get("publishing_phase") or {}).get("status")
        # Only a finished upload counts: a video that exists but was never finished is not.
        if status.get("video_status") == "ready" or publishing == "complete":
            link = data.get("permalink_url") or f"/{page}/videos/{video_id}"
            url = link if link.startswith("http") else f"https://www.facebook.com{link}"
            return Published(remote_id=str(video_id), url=url)
        return None
