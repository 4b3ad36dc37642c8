"""What every publisher shares: the media it sends, the limits it checks, the result."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from ..http import Exchange
from ..models import ConnectedAccount, Platform
from ..services import with_token
from .statistics import PostStatistics, batches


@dataclass
class Media:
    """The video file to publish, wherever it is stored."""

    open: Callable[[], IO[bytes]]
    size: int
    duration: float
    width: int
    height: int
    # A time-limited public link, for platforms that fetch the file themselves (Instagram).
    public_url: Callable[[], str] | None = None
    content_type: str = "video/mp4"
    # Its name in our storage, for the sandbox channel's page (real platforms get the bytes).
    key: str = ""

    def chunks(self, start: int, chunk_size: int) -> Iterator[tuple[int, bytes]]:
        """(offset, bytes) from `start` to the end, `chunk_size` at a time."""
        with self.open() as handle:
            handle.seek(start)
            offset = start
            while offset < self.size:
                data = handle.read(min(chunk_size, self.size - offset))
                if not data:
                    break
                yield offset, data
                offset += len(data)

    def read(self, start: int, end: int) -> bytes:
        """Bytes [start, end)."""
        with self.open() as handle:
            handle.seek(start)
            return handle.read(end - start)


@dataclass
class PostContent:
    title: str
    caption: str
    tags: list[str] = field(default_factory=list)


@dataclass
class Limits:
    max_duration: float
    min_duration: float = 0.0
    max_size: int = 4 * 1024**3
    min_ratio: float | None = None  # width / height
    max_ratio: float | None = None
    max_title: int | None = None
    max_caption: int | None = None


@dataclass
class Published:
    remote_id: str
    url: str


class Progress:
    """A post's saved progress: each step is saved as soon as it is done, so a retry (or
    another worker after a crash) resumes instead of starting over or posting twice."""

    def __init__(self, data: dict[str, Any], save: Callable[[dict[str, Any]], None]) -> None:
        self.data = data
        self._save = save

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def set(self, **values: Any) -> None:
        self.data.update(values)
        self._save(dict(self.data))


def _seconds(value: float) -> str:
    return f"{value:g}"


class Publisher:
    platform: str
    limits: Limits
    # How many posts one statistics request asks about (1: the platform asks one at a time).
    stats_batch_size: int = 1

    def __init__(self, *, log: list[Exchange] | None = None) -> None:
        self.log = log if log is not None else []

    # -- before trying --------------------------------------------------------------------------

    def problems(self, media: Media, content: PostContent) -> list[str]:
        """What does not fit this platform, in words the creator can act on."""
        limits, found = self.limits, []
        if media.duration > limits.max_duration:
            found.append(
                _("The video is %(length)s s long; %(platform)s takes at most %(limit)s s.")
                % {
                    "length": _seconds(round(media.duration, 1)),
                    "platform": self.label,
                    "limit": _seconds(limits.max_duration),
                }
            )
        if media.duration < limits.min_duration:
            found.append(
                _("The video is %(length)s s long; %(platform)s needs at least %(limit)s s.")
                % {
                    "length": _seconds(round(media.duration, 1)),
                    "platform": self.label,
                    "limit": _seconds(limits.min_duration),
                }
            )
        if media.size > limits.max_size:
            found.append(
                _("The file is %(size)s MB; %(platform)s takes at most %(limit)s MB.")
                % {
                    "size": round(media.size / 1024**2),
                    "platform": self.label,
                    "limit": round(limits.max_size / 1024**2),
                }
            )
        ratio = media.width / media.height if media.height else 0
        if (limits.min_ratio and ratio < limits.min_ratio) or (
            limits.max_ratio and ratio > limits.max_ratio
        ):
            found.append(
                _("%(platform)s does not take a %(width)s×%(height)s picture (its aspect ratio).")
                % {"platform": self.label, "width": media.width, "height": media.height}
            )
        if limits.max_title and len(content.title) > limits.max_title:
            found.append(
                _("The title has %(count)s characters; %(platform)s allows %(limit)s.")
                % {"count": len(content.title), "platform": self.label, "limit": limits.max_title}
            )
        if limits.max_caption and len(content.caption) > limits.max_caption:
            found.append(
                _("The caption has %(count)s characters; %(platform)s allows %(limit)s.")
                % {
                    "count": len(content.caption),
                    "platform": self.label,
                    "limit": limits.max_caption,
                }
            )
        return found

    @property
    def label(self) -> str:
        return Platform(self.platform).label

    # -- publishing -----------------------------------------------------------------------------

    def publish(
        self,
        *,
        account: ConnectedAccount,
        token: str,
        media: Media,
        content: PostContent,
        progress: Progress,
    ) -> Published:
        """Publish, resuming from `progress`; raise `PlatformError` on failure."""
        raise NotImplementedError

    @staticmethod
    def wait(seconds: float | None = None) -> None:
        time.sleep(settings.PUBLISH_POLL_SECONDS if seconds is None else seconds)

    @staticmethod
    def poll_limit() -> int:
        return settings.PUBLISH_POLL_LIMIT

    # -- statistics -----------------------------------------------------------------------------

    def fetch_statistics(
        self, *, account: ConnectedAccount, remote_ids: list[str]
    ) -> list[PostStatistics]:
        """The numbers of each post asked, in the order asked, `stats_batch_size` posts a
        request. A 401 refreshes the token once and asks again (as publishing does); a rate
        limit raises `PlatformError(RATE_LIMIT, retry_at=…)`."""
        found: dict[str, PostStatistics] = {}
        for batch in batches(remote_ids, self.stats_batch_size):
            found.update(
                with_token(account, lambda token, ids=batch: self.statistics(account, token, ids))
            )
        asked = [str(remote_id) for remote_id in remote_ids]
        return [found.get(remote_id) or PostStatistics.gone(remote_id) for remote_id in asked]

    def statistics(
        self, account: ConnectedAccount, token: str, remote_ids: list[str]
    ) -> dict[str, PostStatistics]:
        """One request's worth: {remote id: numbers}; an id left out was deleted."""
        raise NotImplementedError
