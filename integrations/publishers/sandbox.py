"""The sandbox test channel: "publishing" records a SandboxPost, shown on an in-app page.

It runs inside the same dispatcher, lease, retries and report as the real platforms. The
post's reference is saved in its progress before the row is made, and the row is unique per
reference, so a retry after a lost worker finds the first post instead of making a second.
A caption with #fail fails every try with a retryable error, to show the retry path.

Statistics are made up, without a network: each post gets its own audience (seeded from its
reference, so the same post at the same time always has the same numbers) that it reaches
over its first days, so the numbers only grow and level off, as real posts' do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
import re
import time
import uuid

from django.utils import timezone

from accounts.http import absolute_url

from ..http import TRANSIENT, Exchange, PlatformError
from ..models import Platform, SandboxPost
from .base import Limits, Published, Publisher
from .statistics import PostStatistics

FAIL_TAG = re.compile(r"#fail\b", re.IGNORECASE)
# The test channel's own words, shown as they came (as a platform's are): English.
FAILED_ON_PURPOSE = "Sandbox: failed on purpose, as the caption has #fail"


class SandboxPublisher(Publisher):
    platform = Platform.SANDBOX
    limits = Limits(max_duration=60 * 60, max_title=200, max_caption=5000)
    stats_batch_size = 500  # one query

    def fetch_statistics(self, *, account, remote_ids) -> list[PostStatistics]:
        exchange = Exchange("GET", "sandbox:/statistics", status=200)
        self.log.append(exchange)
        asked = [str(remote_id) for remote_id in remote_ids]
        pks = [int(remote_id) for remote_id in asked if remote_id.isdigit()]
        posts = {
            str(post.pk): post for post in SandboxPost.objects.filter(account=account, pk__in=pks)
        }
        now = timezone.now()
        return [
            sandbox_statistics(posts[remote_id], at=now)
            if remote_id in posts
            else PostStatistics.gone(remote_id)
            for remote_id in asked
        ]

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


# Per view: (counter, lowest, highest) — within what short videos commonly see.
STATISTICS_RATES = (
    ("likes", 0.02, 0.09),
    ("comments", 0.001, 0.01),
    ("shares", 0.002, 0.02),
    ("saves", 0.001, 0.015),
    ("impressions", 1.3, 2.5),
)


def sandbox_statistics(post: SandboxPost, *, at: dt.datetime) -> PostStatistics:
    """A sandbox post's made-up numbers at `at`: the same for the same post and time, never
    falling as time goes on."""
    seed = int.from_bytes(hashlib.sha256(f"sandbox:{post.reference}".encode()).digest()[:8])
    draw = random.Random(seed)  # noqa: S311 - demo numbers, not secrets
    audience = draw.randint(300, 60_000)
    pace_hours = draw.uniform(8, 72)  # how soon it reaches most of its audience
    rates = {name: draw.uniform(low, high) for name, low, high in STATISTICS_RATES}
    watched = draw.uniform(0.35, 0.85)  # the share of the video an average view watches
    hours = max((at - post.published_at).total_seconds() / 3600, 0.0)
    views = math.floor(audience * (1 - math.exp(-hours / pace_hours)))
    return PostStatistics(
        remote_id=str(post.pk),
        views=views,
        likes=math.floor(views * rates["likes"]),
        comments=math.floor(views * rates["comments"]),
        shares=math.floor(views * rates["shares"]),
        saves=math.floor(views * rates["saves"]),
        average_watch_seconds=round(post.duration * watched, 1)
        if views and post.duration
        else None,
        impressions=math.floor(views * rates["impressions"]),
    )
