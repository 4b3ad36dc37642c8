"""Facebook Page video, resumable: start → transfer (the chunks the server asks for) →
finish. The video id is saved at start; a retry after finish asks the video instead of
finishing twice."""

from __future__ import annotations

from django.conf import settings

from .. import messages
from ..http import TRANSIENT, PlatformError, json_of, send
from ..models import Platform
from .base import Limits, Published, Publisher


class FacebookPublisher(Publisher):
    platform = Platform.FACEBOOK
    limits = Limits(
        max_duration=240 * 60,
        min_duration=1,
        max_size=10 * 1024**3,
        max_title=255,
        max_caption=63_000,
    )

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
