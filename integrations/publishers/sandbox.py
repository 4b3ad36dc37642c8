"""The sandbox test channel: "publishing" records a SandboxPost, shown on an in-app page.

It runs inside the same dispatcher, lease, retries and report as the real platforms. The
post's reference is saved in its progress before the row is made, and the row is unique per
reference, so a retry after a lost worker finds the first post instead of making a second.
A caption with #fail fails every try with a retryable error, to show the retry path.
"""

from __future__ import annotations

import re
import time
import uuid

from accounts.http import absolute_url

from ..http import TRANSIENT, Exchange, PlatformError
from ..models import Platform, SandboxPost
from .base import Limits, Published, Publisher

FAIL_TAG = re.compile(r"#fail\b", re.IGNORECASE)
# The test channel's own words, shown as they came (as a platform's are): English.
FAILED_ON_PURPOSE = "Sandbox: failed on purpose, as the caption has #fail"


class SandboxPublisher(Publisher):
    platform = Platform.SANDBOX
    limits = Limits(max_duration=60 * 60, max_title=200, max_caption=5000)

    def publish(self, *, account, token, media, content, progress) -> Published:
        started = time.monotonic()
        exchange = Exchange("POST", "sandbox:/posts")
        self.log.append(exchange)
        if FAIL_TAG.search(content.caption):
            exchange.status = 503
            raise PlatformError(TRANSIENT, FAILED_ON_PURPOSE, status=503)
        reference = progress.get("reference")
        if not reference:
            reference = uuid.uuid4().hex
            progress.set(reference=reference)
        post, _created = SandboxPost.objects.get_or_create(
            account=account,
            reference=reference,
            defaults={
                "title": content.title,
                "caption": content.caption,
                "video_key": media.key,
                "size": media.size,
                "duration": media.duration,
                "width": media.width,
                "height": media.height,
            },
        )
        exchange.status = 201
        exchange.duration_ms = round((time.monotonic() - started) * 1000)
        return Published(remote_id=str(post.pk), url=sandbox_post_url(post))


def sandbox_post_url(post: SandboxPost) -> str:
    """The "post URL" the sandbox gives back: its in-app page (served by the videos app)."""
    return absolute_url("videos:sandbox_post", post.pk)
