"""The funnel itself: each entry's path through the steps, each person's best, and the figures.

The rule is PostHog's ordered funnel. A person enters at an occurrence of the first step in
[start, end); each later step must happen no earlier than the step before it (the same instant
counts: a sign-up and its verification can share one) and no later than `window_days` after
that first step, the edge included. A later step may fall after `end`, so a recent range's
conversion can still rise for `window_days`. One occurrence never serves two steps (a funnel
may repeat a step: "created a video, then another"). Among a person's entries the one that gets
furthest counts, the earliest of those on a tie, and its times give the time to convert.

An entry's path depends on nothing but the person's occurrences in its own window, which is
what lets the dashboard store each entry once (`predefined`) and pick the best per range.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from typing import NamedTuple, TypedDict

from django.utils.translation import gettext as _

from ..engagement import instant, whole_number
from .steps import (
    DEFAULT_WINDOW_DAYS,
    MAX_WINDOW_DAYS,
    Person,
    check_steps,
    drop_flag_share,
    step_label,
    step_times,
)


class Entry(NamedTuple):
    """One entry into a funnel: who, when (seconds since the epoch), and the seconds from each
    step reached to the next one reached (`reached` = len(waits) + 1 steps)."""

    person: Person
    entered: float
    waits: tuple[float, ...]

    @property
    def reached(self) -> int:
        return len(self.waits) + 1


class FunnelStep(TypedDict):
    step: str
    label: str
    count: int
    dropped: int
    conversion_from_previous: float | None
    conversion_from_first: float | None
    median_seconds_to_convert: float | None
    flagged: bool


class Funnel(TypedDict):
    steps: list[FunnelStep]
    start: dt.datetime
    end: dt.datetime
    window_days: int
    drop_flag: float


class FunnelQuery(NamedTuple):
    """A caller's funnel, checked: the steps, the instants [since, until), the window and the
    share of a drop that is flagged."""

    steps: list[str]
    since: dt.datetime
    until: dt.datetime
    window_days: int
    threshold: Fraction


def funnel_query(
    *,
    steps: object,
    start: dt.date | dt.datetime,
    end: dt.date | dt.datetime,
    window_days: object = DEFAULT_WINDOW_DAYS,
    drop_flag: float | None = None,
) -> FunnelQuery:
    """The funnel asked for, or a ValueError with a translated message."""
    checked_steps = check_steps(steps)
    window = whole_number(
        window_days,
        low=1,
        high=MAX_WINDOW_DAYS,
        message=_("The conversion window must be a whole number of days between 1 and %(max)s.")
        % {"max": MAX_WINDOW_DAYS},
    )
    threshold = drop_flag_share(drop_flag)
    since, until = instant(start, end=False), instant(end, end=True)
    if since >= until:
        raise ValueError(_("The start must be before the end."))
    return FunnelQuery(checked_steps, since, until, window, threshold)


def _path(
    chains: list[list[float]], keys: Sequence[str], first_index: int, window: float
) -> list[float]:
    """The times of the steps reached from the entry at `chains[0][first_index]`. `chains[i]`
    are the sorted times of step i (the same list for a repeated step, whose `keys[i]` is the
    same)."""
    first = chains[0][first_index]
    path, used, deadline = [first], {(keys[0], first_index)}, first + window
    for step in range(1, len(chains)):
        times = chains[step]
        index = bisect.bisect_left(times, path[-1])
        while index < len(times) and (keys[step], index) in used:
            index += 1
        if index == len(times) or times[index] > deadline:
            break
        path.append(times[index])
        used.add((keys[step], index))
    return path


def entries(
    *,
    steps: Sequence[str],
    since: dt.datetime,
    until: dt.datetime,
    window_days: int,
    best_only: bool = False,
) -> Iterator[Entry]:
    """The entries in [since, until) with their paths: every one, or only each person's best
    (`best_only`, which stops at a person's first complete path). A fixed number of queries."""
    window = dt.timedelta(days=window_days)
    times = step_times(list(dict.fromkeys(steps)), since, until + window)
    start, end, window_seconds = since.timestamp(), until.timestamp(), window.total_seconds()
    for person, firsts in times[steps[0]].items():
        chains = [times[step].get(person, []) for step in steps]
        best: list[float] = []
        for first_index in range(bisect.bisect_left(firsts, start), len(firsts)):
            if firsts[first_index] >= end:
                break
            path = _path(chains, steps, first_index, window_seconds)
            if not best_only:
                yield _entry(person, path)
            elif len(path) > len(best):
                best = path
                if len(best) == len(chains):
                    break
        if best:
            yield _entry(person, best)


def _entry(person: Person, path: list[float]) -> Entry:
    return Entry(person, path[0], tuple(path[i] - path[i - 1] for i in range(1, len(path))))


def best_entries(found: Iterable[Entry]) -> Iterator[Entry]:
    """Each person's entry that got furthest, the earliest of those on a tie."""
    best: dict[Person, Entry] = {}
    for entry in found:
        held = best.get(entry.person)
        if held is None or (entry.reached, -entry.entered) > (held.reached, -held.entered):
            best[entry.person] = entry
    return iter(best.values())


def figures(found: Iterable[Entry], *, steps: int) -> tuple[list[int], list[float | None]]:
    """How many of the (best) entries reached each step, and the median seconds from the step
    before (None for the first step and for a step nobody reached)."""
    counts = [0] * steps
    waits: list[list[float]] = [[] for _step in range(steps)]
    for entry in found:
        counts[0] += 1
        for index, wait in enumerate(entry.waits, start=1):
            counts[index] += 1
            waits[index].append(wait)
    return counts, [float(statistics.median(each)) if each else None for each in waits]


def funnel_result(
    query: FunnelQuery, counts: Sequence[int], medians: Sequence[float | None]
) -> Funnel:
    """The funnel's figures as the API and the dashboard show them. Medians are rounded to the
    millisecond: the database's median and Python's may differ in the last binary digit."""
    rows: list[FunnelStep] = []
    for index, step in enumerate(query.steps):
        count, previous = counts[index], counts[index - 1] if index else 0
        median = medians[index]
        rows.append(
            {
                "step": step,
                "label": step_label(step),
                "count": count,
                "dropped": previous - count if index else 0,
                "conversion_from_previous": count / previous if previous else None,
                "conversion_from_first": count / counts[0] if counts[0] else None,
                "median_seconds_to_convert": None if median is None else round(median, 3),
                "flagged": bool(previous)
                and Fraction(previous - count, previous) > query.threshold,
            }
        )
    return {
        "steps": rows,
        "start": query.since,
        "end": query.until,
        "window_days": query.window_days,
        "drop_flag": float(query.threshold),
    }


def funnel(
    *,
    steps: Sequence[str],
    start: dt.date | dt.datetime,
    end: dt.date | dt.datetime,
    window_days: int = DEFAULT_WINDOW_DAYS,
    drop_flag: float | None = None,
) -> Funnel:
    """The ordered funnel of `steps` (2 to 10 event names or step sources) for people who
    entered from `start` (included) to `end` (excluded for a datetime; a date is a whole UTC
    day, included), converting within `window_days` (1 to 90) of their first step.

    Each step has the people who reached it (`count`), how many the step before lost
    (`dropped`), its conversion from the step before and from the first (None when there was
    nobody to convert), the median seconds from the step before (None for the first step and
    when nobody reached it), and `flagged` when the drop from the step before exceeds
    `drop_flag` (a share; settings.ANALYTICS_FUNNEL_DROP_FLAG, 0.20 by default).
    """
    query = funnel_query(
        steps=steps, start=start, end=end, window_days=window_days, drop_flag=drop_flag
    )
    return funnel_result(query, *live_figures(query))


def live_figures(query: FunnelQuery) -> tuple[list[int], list[float | None]]:
    """The funnel's counts and medians computed from the event log."""
    best = entries(
        steps=query.steps,
        since=query.since,
        until=query.until,
        window_days=query.window_days,
        best_only=True,
    )
    return figures(best, steps=len(query.steps))
