"""One publisher per platform, each speaking the platform's own publishing protocol."""

from .base import Limits, Media, PostContent, Progress, Published, Publisher
from .facebook import FacebookPublisher
from .instagram import InstagramPublisher
from .sandbox import SandboxPublisher
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


def publisher_for(platform: str, **kwargs) -> Publisher:
    return PUBLISHERS[platform](**kwargs)


__all__ = [
    "PUBLISHERS",
    "Limits",
    "Media",
    "PostContent",
    "Progress",
    "Published",
    "Publisher",
    "publisher_for",
]
