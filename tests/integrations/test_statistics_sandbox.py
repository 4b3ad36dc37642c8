"""The sandbox channel's statistics: made up without a network, the same for the same post
and time, growing as the post ages, different from post to post."""

from __future__ import annotations

import datetime as dt

import pytest

from integrations.models import SandboxPost
from integrations.publishers import fetch_statistics
from integrations.publishers.sandbox import sandbox_statistics
from integrations.services import connect_sandbox

PUBLISHED = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


def _post(account, reference: str) -> SandboxPost:
    return SandboxPost.objects.create(
        account=account, reference=reference, duration=24.0, published_at=PUBLISHED
    )


@pytest.fixture
def channel(workspace, owner):
    return connect_sandbox(workspace=workspace, actor=owner)


@pytest.mark.django_db
def test_the_same_post_at_the_same_time_has_the_same_numbers(channel):
    post = _post(channel, "post-1")
    at = PUBLISHED + dt.timedelta(hours=30)

    first, again = sandbox_statistics(post, at=at), sandbox_statistics(post, at=at)

    assert first == again and first.views > 0
    assert first.average_watch_seconds is not None and 0 < first.average_watch_seconds < 24


@pytest.mark.django_db
def test_the_numbers_grow_with_the_post_age_and_level_off(channel):
    post = _post(channel, "post-1")
    ages = [0, 1, 6, 24, 48, 24 * 7, 24 * 30, 24 * 90]
    series = [sandbox_statistics(post, at=PUBLISHED + dt.timedelta(hours=age)) for age in ages]

    assert series[0].views == 0
    for counter in ("views", "likes", "comments", "shares", "saves", "impressions"):
        values = [getattr(numbers, counter) for numbers in series]
        assert values == sorted(values), counter
    assert series[-1].views > series[1].views
    assert series[-1].views - series[-2].views <= series[3].views - series[1].views
    assert series[-1].likes < series[-1].views


@pytest.mark.django_db
def test_each_post_has_its_own_numbers(channel):
    at = PUBLISHED + dt.timedelta(days=3)
    views = {sandbox_statistics(_post(channel, f"post-{n}"), at=at).views for n in range(5)}

    assert len(views) == 5


@pytest.mark.django_db
def test_fetching_asks_no_network_and_marks_unknown_posts_deleted(channel):
    post = _post(channel, "post-1")
    log = []

    kept, gone = fetch_statistics(channel, [str(post.pk), "999999"], log=log)

    assert kept.remote_id == str(post.pk) and not kept.deleted and kept.views is not None
    assert gone.deleted and gone.views is None
    assert [exchange.url for exchange in log] == ["sandbox:/statistics"]
