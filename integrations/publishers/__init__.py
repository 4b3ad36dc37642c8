"""One publisher per platform, each speaking the platform's own publishing protocol, and
reading back each post's statistics."""

from ..http import Exchange
from ..models import ConnectedAccount
from .base import Limits, Media, PostContent, Progress, Published, Publisher
from .facebook import FacebookPublisher
from .instagram import InstagramPublisher
from .sandbox import SandboxPublisher
from .statistics import PostStatistics
from .tiktok import TikTokPublisher
from .x import XPublisher
from .youtube import YouTubePublisher

PUBLISHERS: dict[str, type[Publisher]] = {
    publisher.platform: publisher
    for publisher in (
        YouTubePublisher,
        InstagramPublisher,
        TikTokPublisher,
        FacebookPublisher,
        XPublisher,
        SandboxPublisher,
    )
}


# How many posts one statistics request covers, per platform (1: one post a request).
STATS_BATCH_SIZE: dict[str, int] = {
    platform: publisher.stats_batch_size for platform, publisher in PUBLISHERS.items()
}


def publisher_for(platform: str, **kwargs) -> Publisher:
    return PUBLISHERS[platform](**kwargs)


def fetch_statistics(
    account: ConnectedAccount, remote_ids: list[str], *, log: list[Exchange] | None = None
) -> list[PostStatistics]:
    """Each post's numbers on the account's platform, one per id asked, in the same order; see
    `Publisher.fetch_statistics`."""
    publisher = publisher_for(account.platform, log=log)
    return publisher.fetch_statistics(account=account, remote_ids=list(remote_ids))


__all__ = [
    "PUBLISHERS",
    "STATS_BATCH_SIZE",
    "Limits",
    "Media",
    "PostContent",
    "PostStatistics",
    "Progress",
    "Published",
    "Publisher",
    "fetch_statistics",
    "publisher_for",
]
