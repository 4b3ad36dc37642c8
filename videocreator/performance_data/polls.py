"""The poller's schedule as times, for a history written after the fact: when
`videos.publishing.statistics` would have asked for a post's numbers (at publishing, then
hourly for 48 hours, daily until 90 days, weekly after: `videos.performance.next_stats_poll`),
and how to keep fewer of those polls, evenly spread, when a history should be smaller."""

from __future__ import annotations

import datetime as dt

from videos.performance import next_stats_poll


def poll_offsets(*, until: dt.timedelta) -> list[dt.timedelta]:
    """How long after publishing the poller asks for a post's numbers, up to `until` (the
    first poll comes as it is published). The same for every post: it depends on age alone."""
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    offsets, moment = [], epoch
    while moment - epoch <= until:
        offsets.append(moment - epoch)
        moment = next_stats_poll(published_at=epoch, now=moment)
    return offsets


def poll_times(*, published_at: dt.datetime, until: dt.datetime) -> list[dt.datetime]:
    """The poller's times for a post published at `published_at`, up to `until`."""
    return [published_at + offset for offset in poll_offsets(until=until - published_at)]


def kept_polls(*, polls: int, keep: int) -> list[int]:
    """`keep` of a post's `polls` (by index), evenly spread, always the last one."""
    return [(n + 1) * polls // keep - 1 for n in range(keep)]


def apportion(*, polls: list[int], total: int) -> list[int]:
    """How many snapshots each post keeps: at least one (its last) and at most its polls, the
    rest in proportion to its polls beyond the first (largest remainders first)."""
    extra, room = total - len(polls), [count - 1 for count in polls]
    capacity = sum(room)
    if extra < 0 or extra > capacity:
        raise ValueError(f"cannot keep {total} snapshots of {sum(polls)} polls")
    if capacity == 0:
        return [1] * len(polls)
    shares = [divmod(space * extra, capacity) for space in room]
    keep = [1 + whole for whole, _left in shares]
    left = extra - sum(whole for whole, _left in shares)
    by_remainder = sorted(range(len(polls)), key=lambda n: (-shares[n][1], n))
    for n in by_remainder[:left]:
        keep[n] += 1
    return keep
