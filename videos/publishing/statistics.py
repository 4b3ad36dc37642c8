"""Polling published posts' statistics: each poll leaves a PostSnapshot and keeps the latest
numbers on the post; `next_stats_at` follows `performance.next_stats_poll`.

A run claims due posts (SKIP LOCKED, so racing runs take disjoint sets) and moves them an hour
on before asking, so a run that dies is retried then, and a post is polled once a run. It asks
each account's platform once for all of its posts (`fetch_statistics` batches the request).
When more are due than a run takes, it takes whole batches of each account's posts
(`whole_batches`), so that an account's n due posts cost ⌈n ÷ batch size⌉ requests however
the runs cut them, rather than up to one more per run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict

from django.db import transaction
from django.utils import timezone

from integrations.http import RATE_LIMIT, PlatformError
from integrations.models import ConnectedAccount
from integrations.publishers import STATS_BATCH_SIZE, PostStatistics, fetch_statistics

from ..performance import next_stats_poll
from .models import PlatformPost, PostSnapshot, PostStatus

logger = logging.getLogger(__name__)

# After a failure (or a run that died) the post is asked again this much later.
RETRY_AFTER = dt.timedelta(hours=1)
COUNTERS = (
    "views",
    "likes",
    "comments",
    "shares",
    "saves",
    "average_watch_seconds",
    "impressions",
)
# What a poll leaves on the post.
LATEST = (*COUNTERS, "stats_taken_at", "next_stats_at", "stats_deleted")


def claim_due_for_statistics(*, now: dt.datetime, limit: int) -> list[PlatformPost]:
    """Up to `limit` published posts due a poll, moved `RETRY_AFTER` on, with their accounts."""
    with transaction.atomic():
        posts = list(
            PlatformPost.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=PostStatus.PUBLISHED,
                next_stats_at__lte=now,
                stats_deleted=False,
                account__isnull=False,
            )
            .exclude(remote_id="")
            .order_by("next_stats_at", "pk")[:limit]
        )
        if len(posts) == limit:  # more may be due: the ends of batches wait for the next run
            posts = whole_batches(posts)
        PlatformPost.objects.filter(pk__in=[post.pk for post in posts]).update(
            next_stats_at=now + RETRY_AFTER
        )
    # Each account once (joined, its encrypted tokens would be decrypted for every post); one
    # removed since the claim is not asked.
    accounts = ConnectedAccount.objects.in_bulk({post.account_id for post in posts})
    for post in posts:
        post.account = accounts.get(post.account_id)
    return [post for post in posts if post.account is not None]


def whole_batches(posts: list[PlatformPost]) -> list[PlatformPost]:
    """Of a claim the limit may have cut, each account's posts in whole batches of its
    platform's statistics request (an account with less than one batch keeps them all, so a
    run always takes some); the rest stay due and go with the account's next posts."""
    by_account: dict[int, list[PlatformPost]] = defaultdict(list)
    for post in posts:
        by_account[post.account_id].append(post)
    kept = set()
    for group in by_account.values():
        size = STATS_BATCH_SIZE.get(group[0].platform, 1)
        whole = len(group) - len(group) % size if len(group) >= size else len(group)
        kept.update(post.pk for post in group[:whole])
    return [post for post in posts if post.pk in kept]


def collect_post_statistics(*, now: dt.datetime | None = None, limit: int = 1000) -> dict:
    """Poll the due posts' statistics; returns counts: posts, snapshots, deleted, failed."""
    now = now or timezone.now()
    summary: Counter = Counter()
    by_account: dict[int, list[PlatformPost]] = defaultdict(list)
    for post in claim_due_for_statistics(now=now, limit=limit):
        by_account[post.account_id].append(post)
    for posts in by_account.values():
        summary["posts"] += len(posts)
        account = posts[0].account
        try:
            found = fetch_statistics(account, [post.remote_id for post in posts])
        except PlatformError as error:
            summary["failed"] += len(posts)
            retry = now + RETRY_AFTER
            if error.kind == RATE_LIMIT and error.retry_at:  # never sooner than a minute
                retry = max(error.retry_at, now + dt.timedelta(minutes=1))
            logger.warning(
                "statistics of %s posts on %s account %s: %s (%s)",
                len(posts),
                account.platform,
                account.pk,
                error.kind,
                error.message,
            )
            PlatformPost.objects.filter(pk__in=[post.pk for post in posts]).update(
                next_stats_at=retry
            )
            continue
        summary.update(_record(posts, found, now=now))
    return dict(summary)


@transaction.atomic
def _record(posts: list[PlatformPost], found: list[PostStatistics], *, now) -> Counter:
    counts: Counter = Counter()
    snapshots, seen = [], set()
    for post, numbers in zip(posts, found, strict=True):
        if post.pk in seen:
            continue
        seen.add(post.pk)
        if numbers.deleted:  # its last known numbers stay; it is not asked about again
            post.stats_deleted, post.next_stats_at = True, None
            counts["deleted"] += 1
            continue
        values = {name: getattr(numbers, name) for name in COUNTERS}
        for name, value in values.items():
            # A counter this poll did not report (a scope withdrawn, a platform hiccup) keeps
            # its last known value on the post; the snapshot records what was reported.
            if value is not None:
                setattr(post, name, value)
        post.stats_taken_at = now
        post.next_stats_at = next_stats_poll(published_at=post.published_at, now=now)
        snapshots.append(PostSnapshot(post=post, taken_at=now, **values))
    PostSnapshot.objects.bulk_create(snapshots)
    # One UPDATE a post: bulk_update's CASE expressions cost ~4 s of Python per 1,000 posts.
    for post in {post.pk: post for post in posts if post.pk in seen}.values():
        PlatformPost.objects.filter(pk=post.pk).update(
            **{name: getattr(post, name) for name in LATEST}
        )
    counts["snapshots"] += len(snapshots)
    return counts
