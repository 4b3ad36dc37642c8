"""Funnels: how many people go through a sequence of steps, in order, within a window.

The rule is PostHog's ordered funnel. A person enters at an occurrence of the first step in
[start, end); each later step must happen no earlier than the step before it (the same instant
counts: a sign-up and its verification can share one) and no later than `window_days` after
that first step, the edge included. A later step may fall after `end`, so a recent range's
conversion can still rise for `window_days`. One occurrence never serves two steps (a funnel
may repeat a step: "created a video, then another"). Among a person's entries the one that gets
furthest counts, the earliest of those on a tie, and its times give the time to convert.

A step is an event name (an `EventName`, or a client's name added by `register_event_step`)
or a *step source* (`STEP_SOURCES`, `register_step_source`): "visitor" (a first visit; the
visitor tracking plugs in its own table), "first_video" (a person's first `video.created`) and
"pro" (their first paid subscription). A person is a user id, or "visitor:<anonymous id>".

A fixed number of queries whatever the data: one for the event steps, one per step source, one
to link anonymous events to accounts when there are any. The order of each person's steps is
worked out in Python over the occurrences in [start, end + window): the furthest path and a
median are not portable SQL.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypedDict

from django.conf import settings
from django.db.models import Max, Min, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.events import EventName
from analytics.models import Event, Visitor

from .columns import EpochSeconds, UuidText
from .engagement import instant, whole_number

DEFAULT_WINDOW_DAYS = 14
MAX_WINDOW_DAYS = 90
MIN_STEPS = 2
MAX_STEPS = 10
# A step whose drop from the step before exceeds this share is flagged (the seed's 20 %);
# settings.ANALYTICS_FUNNEL_DROP_FLAG overrides it.
DEFAULT_DROP_FLAG = 0.20

Person = int | str
# A step source gives each occurrence's time as a datetime, or as seconds since the epoch.
Occurrences = Iterable[tuple[Person, dt.datetime | float]]


def visitor_person(anonymous_id: str) -> str:
    """The person a visitor is while not linked to an account."""
    return f"visitor:{anonymous_id}"


# -- steps --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepSource:
    """A step that is not one event. `occurrences(since, until)` gives (person, time) pairs
    in [since, until), in one query whatever the data."""

    key: str
    label: str | Promise
    occurrences: Callable[[dt.datetime, dt.datetime], Occurrences]


STEP_SOURCES: dict[str, StepSource] = {}
EVENT_STEPS: set[str] = {str(name) for name in EventName}
STEP_LABELS: dict[str, str | Promise] = {
    EventName.USER_SIGNED_UP: gettext_lazy("Sign-up"),
    EventName.USER_VERIFIED: gettext_lazy("Verified e-mail"),
    EventName.USER_LOGGED_IN: gettext_lazy("Sign-in"),
    EventName.VIDEO_CREATED: gettext_lazy("Video created"),
    EventName.VIDEO_RENDER_REQUESTED: gettext_lazy("Render requested"),
    EventName.VIDEO_RENDERED: gettext_lazy("Video rendered"),
    EventName.VIDEO_SCHEDULED: gettext_lazy("Publishing scheduled"),
    EventName.VIDEO_PUBLISHED: gettext_lazy("Video published"),
    EventName.CHECKOUT_STARTED: gettext_lazy("Checkout started"),
    EventName.SUBSCRIPTION_STARTED: gettext_lazy("Subscribed"),
}


def register_step_source(source: StepSource) -> None:
    """Add a step source, or replace the one with its key; an event's name cannot be one."""
    if source.key in EVENT_STEPS:
        raise ValueError(f"{source.key!r} is an event name, not a step source")
    STEP_SOURCES[source.key] = source


def register_event_step(name: str) -> None:
    """Allow an event name that is not an `EventName` (one recorded by clients) as a step."""
    if name in STEP_SOURCES:
        raise ValueError(f"{name!r} is a step source")
    EVENT_STEPS.add(name)


def step_label(step: str) -> str:
    """A step's name as shown, in the active language; an unlabelled event shows its name."""
    if step in STEP_SOURCES:
        return str(STEP_SOURCES[step].label)
    return str(STEP_LABELS.get(step, step))


def _firsts(name: EventName) -> Callable[[dt.datetime, dt.datetime], Occurrences]:
    """Each person's first event of `name` ever, when it falls in [since, until)."""

    def occurrences(since: dt.datetime, until: dt.datetime) -> Occurrences:
        return (
            Event.objects.filter(name=name, actor__isnull=False)
            .values("actor_id")
            .annotate(first=Min("occurred_at"))
            .filter(first__gte=since, first__lt=until)
            .annotate(at=EpochSeconds("first"))
            .values_list("actor_id", "at")
        )

    return occurrences


def _first_visits(since: dt.datetime, until: dt.datetime) -> Occurrences:
    # A visitor is a browser the tracking counted (`Visitor`, first seen in the range), or an
    # anonymous id that only events carry (sent by an integration), first seen at its earliest
    # event. Either is the account it was linked to, once linked.
    tracked = {
        visitor_id if type(visitor_id) is str else str(visitor_id): (user_id, first)
        for visitor_id, user_id, first in Visitor.objects.filter(
            first_seen__gte=since, first_seen__lt=until
        )
        .annotate(key=UuidText("id"), at=EpochSeconds("first_seen"))
        .values_list("key", "user_id", "at")
    }
    logged = (
        Event.objects.exclude(anonymous_id="")
        .values("anonymous_id")
        .annotate(first=Min("occurred_at"), user_id=Max("actor_id"))
        .filter(first__gte=since, first__lt=until)
        .annotate(at=EpochSeconds("first"))
        .values_list("anonymous_id", "user_id", "at")
    )
    for anon, user_id, first in logged:
        tracked.setdefault(anon, (user_id, first))
    return ((user_id or visitor_person(anon), first) for anon, (user_id, first) in tracked.items())


register_step_source(StepSource("visitor", gettext_lazy("Visitor"), _first_visits))
register_step_source(
    StepSource("first_video", gettext_lazy("First video"), _firsts(EventName.VIDEO_CREATED))
)
# Every subscription that starts is to a paid plan (checkout sells only those); the person is
# who bought it.
register_step_source(
    StepSource("pro", gettext_lazy("Pro"), _firsts(EventName.SUBSCRIPTION_STARTED))
)


def links_from_events(anonymous_ids: QuerySet) -> dict[str, int]:
    """The account each anonymous id belongs to, from the events that carry both (the highest
    user id when several do). Replaced by the visitor tracking's own links."""
    return dict(
        Event.objects.filter(anonymous_id__in=anonymous_ids, actor__isnull=False)
        .values("anonymous_id")
        .annotate(user_id=Max("actor_id"))
        .values_list("anonymous_id", "user_id")
    )


visitor_links: Callable[[QuerySet], dict[str, int]] = links_from_events


def _event_occurrences(
    names: Sequence[str], since: dt.datetime, until: dt.datetime
) -> dict[str, list[tuple[Person, dt.datetime | float]]]:
    """Occurrences of the event steps in [since, until), by name; an event without an actor
    belongs to the account its anonymous id is linked to, else to the visitor."""
    events = Event.objects.filter(name__in=names, occurred_at__gte=since, occurred_at__lt=until)
    rows = list(
        events.filter(Q(actor__isnull=False) | ~Q(anonymous_id=""))
        .annotate(at=EpochSeconds("occurred_at"))
        .values_list("name", "actor_id", "anonymous_id", "at")
    )
    links: dict[str, int] = {}
    if any(actor_id is None for _name, actor_id, _anon, _at in rows):
        links = visitor_links(
            events.filter(actor__isnull=True).exclude(anonymous_id="").values("anonymous_id")
        )
    found: dict[str, list[tuple[Person, dt.datetime | float]]] = defaultdict(list)
    for name, actor_id, anon, at in rows:
        person = actor_id if actor_id is not None else links.get(anon) or visitor_person(anon)
        found[name].append((person, at))
    return found


# -- checks -------------------------------------------------------------------------------------


def _shown(value: object) -> str:
    """A caller's step as it can be quoted back: printable, at most 50 characters."""
    text = "".join(c if c.isprintable() else "?" for c in str(value)[:50])
    return text + ("…" if len(str(value)) > 50 else "")


def _check_steps(steps: object) -> list[str]:
    if isinstance(steps, str) or not isinstance(steps, list | tuple):
        raise ValueError(_("List the funnel's steps."))
    if not MIN_STEPS <= len(steps) <= MAX_STEPS:
        raise ValueError(
            _("A funnel has between %(min)s and %(max)s steps.")
            % {"min": MIN_STEPS, "max": MAX_STEPS}
        )
    for step in steps:
        if not isinstance(step, str) or (step not in EVENT_STEPS and step not in STEP_SOURCES):
            raise ValueError(
                _("“%(step)s” is not a funnel step: give an event name or one of %(sources)s.")
                % {"step": _shown(step), "sources": ", ".join(sorted(STEP_SOURCES))}
            )
    return [str(step) for step in steps]


def _drop_flag(value: float | None) -> Fraction:
    if value is None:
        value = getattr(settings, "ANALYTICS_FUNNEL_DROP_FLAG", DEFAULT_DROP_FLAG)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
        raise ValueError(_("The drop to flag must be a share from 0 up to 1."))
    return Fraction(str(value))


# -- the funnel ---------------------------------------------------------------------------------


def _best_path(
    chains: list[list[float]],
    keys: list[str],
    start: float,
    end: float,
    window: float,
) -> list[float]:
    """The times of the steps a person reached on their furthest path. `chains[i]` are the
    sorted times of step i (the same list for a repeated step, whose `keys[i]` is the same)."""
    best: list[float] = []
    firsts = chains[0]
    for first_index in range(bisect.bisect_left(firsts, start), len(firsts)):
        first = firsts[first_index]
        if first >= end:
            break
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
        if len(path) > len(best):
            best = path
            if len(best) == len(chains):
                break
    return best


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
    steps = _check_steps(steps)
    window_days = whole_number(
        window_days,
        low=1,
        high=MAX_WINDOW_DAYS,
        message=_("The conversion window must be a whole number of days between 1 and %(max)s.")
        % {"max": MAX_WINDOW_DAYS},
    )
    threshold = _drop_flag(drop_flag)
    since, until = instant(start, end=False), instant(end, end=True)
    if since >= until:
        raise ValueError(_("The start must be before the end."))
    window = dt.timedelta(days=window_days)
    read_until = until + window

    keys = list(dict.fromkeys(steps))  # each distinct step read once
    occurrences: dict[str, Iterable[tuple[Person, dt.datetime | float]]] = {}
    event_steps = [key for key in keys if key not in STEP_SOURCES]
    if event_steps:
        occurrences.update(_event_occurrences(event_steps, since, read_until))
    for key in keys:
        if key in STEP_SOURCES:
            occurrences[key] = STEP_SOURCES[key].occurrences(since, read_until)

    times: dict[str, dict[Person, list[float]]] = {}
    for key in keys:
        by_person: dict[Person, list[float]] = defaultdict(list)
        for person, at in occurrences.get(key, ()):
            # Seconds from the database (PostgreSQL), else a datetime.
            by_person[person].append(at if type(at) is float else at.timestamp())
        for person_times in by_person.values():
            person_times.sort()
        times[key] = by_person

    counts = [0] * len(steps)
    waits: list[list[float]] = [[] for _step in steps]
    start_seconds, end_seconds = since.timestamp(), until.timestamp()
    window_seconds = window.total_seconds()
    for person in times[steps[0]]:
        chains = [times[step].get(person, []) for step in steps]
        path = _best_path(chains, steps, start_seconds, end_seconds, window_seconds)
        for index, reached in enumerate(path):
            counts[index] += 1
            if index:
                waits[index].append(reached - path[index - 1])

    rows: list[FunnelStep] = []
    for index, step in enumerate(steps):
        count, previous = counts[index], counts[index - 1] if index else 0
        rows.append(
            {
                "step": step,
                "label": step_label(step),
                "count": count,
                "dropped": previous - count if index else 0,
                "conversion_from_previous": count / previous if previous else None,
                "conversion_from_first": count / counts[0] if counts[0] else None,
                "median_seconds_to_convert": (
                    float(statistics.median(waits[index])) if waits[index] else None
                ),
                "flagged": bool(previous) and Fraction(previous - count, previous) > threshold,
            }
        )
    return {
        "steps": rows,
        "start": since,
        "end": until,
        "window_days": window_days,
        "drop_flag": float(threshold),
    }


# -- the funnels we look at ---------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelDefinition:
    key: str
    label: str | Promise
    steps: tuple[str, ...]
    window_days: int = DEFAULT_WINDOW_DAYS


SIGN_UP, VERIFIED = EventName.USER_SIGNED_UP, EventName.USER_VERIFIED
RENDER_REQUESTED, RENDERED = EventName.VIDEO_RENDER_REQUESTED, EventName.VIDEO_RENDERED
FUNNELS: dict[str, FunnelDefinition] = {
    definition.key: definition
    for definition in [
        # The seed's funnel: from a first visit to paying.
        FunnelDefinition(
            "visitor_to_pro",
            gettext_lazy("Visitor to Pro"),
            ("visitor", SIGN_UP, VERIFIED, "first_video", "pro"),
        ),
        # Do visitors become accounts with a proved address?
        FunnelDefinition("signup", gettext_lazy("Sign-up"), ("visitor", SIGN_UP, VERIFIED)),
        # Does a new account's first video become an MP4?
        FunnelDefinition(
            "first_video",
            gettext_lazy("First video"),
            (SIGN_UP, "first_video", RENDER_REQUESTED, RENDERED),
        ),
        # Does a new account get a video out to a platform, within the 7 days of the
        # activation rate (engagement.ACTIVATION_DAYS)?
        FunnelDefinition(
            "activation",
            gettext_lazy("Activation"),
            (SIGN_UP, "first_video", RENDERED, EventName.VIDEO_SCHEDULED),
            window_days=7,
        ),
    ]
}


def predefined_funnel(
    *,
    key: str,
    start: dt.date | dt.datetime,
    end: dt.date | dt.datetime,
    window_days: int | None = None,
    drop_flag: float | None = None,
) -> Funnel:
    """One of `FUNNELS` by its key, over a range, with its own window unless one is given."""
    definition = FUNNELS.get(key) if isinstance(key, str) else None
    if definition is None:
        raise ValueError(
            _("“%(key)s” is not a funnel: choose one of %(keys)s.")
            % {"key": _shown(key), "keys": ", ".join(FUNNELS)}
        )
    return funnel(
        steps=[str(step) for step in definition.steps],
        start=start,
        end=end,
        window_days=definition.window_days if window_days is None else window_days,
        drop_flag=drop_flag,
    )
