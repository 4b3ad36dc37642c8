"""A funnel's steps: event names and step sources, where their occurrences come from, and the
checks on a caller's steps.

A step is an event name (an `EventName`, or a client's name added by `register_event_step`)
or a *step source* (`STEP_SOURCES`, `register_step_source`): "visitor" (a first visit; the
visitor tracking plugs in its own table), "first_video" (a person's first `video.created`) and
"pro" (their first paid subscription). A person is a user id, or "visitor:<anonymous id>".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.db.models import Max, Min, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.events import EventName
from analytics.models import Event, Visitor

from ..columns import EpochSeconds, UuidText

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
        # Only a person with such an event in the range can have their first there: asking
        # only them keeps a day's funnel from grouping every such event ever recorded.
        in_range = Event.objects.filter(
            name=name, actor__isnull=False, occurred_at__gte=since, occurred_at__lt=until
        ).values("actor_id")
        return (
            Event.objects.filter(name=name, actor_id__in=in_range)
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


def step_times(
    keys: Sequence[str], since: dt.datetime, until: dt.datetime
) -> dict[str, dict[Person, list[float]]]:
    """{step: {person: sorted seconds since the epoch}} of the occurrences of each of `keys`
    (distinct steps) in [since, until)."""
    occurrences: dict[str, Iterable[tuple[Person, dt.datetime | float]]] = {}
    event_steps = [key for key in keys if key not in STEP_SOURCES]
    if event_steps:
        occurrences.update(_event_occurrences(event_steps, since, until))
    for key in keys:
        if key in STEP_SOURCES:
            occurrences[key] = STEP_SOURCES[key].occurrences(since, until)
    times: dict[str, dict[Person, list[float]]] = {}
    for key in keys:
        by_person: dict[Person, list[float]] = defaultdict(list)
        for person, at in occurrences.get(key, ()):
            # Seconds from the database (PostgreSQL), else a datetime.
            by_person[person].append(at if type(at) is float else at.timestamp())
        for person_times in by_person.values():
            person_times.sort()
        times[key] = by_person
    return times


# -- checks -------------------------------------------------------------------------------------


def shown(value: object) -> str:
    """A caller's step as it can be quoted back: printable, at most 50 characters."""
    text = "".join(c if c.isprintable() else "?" for c in str(value)[:50])
    return text + ("…" if len(str(value)) > 50 else "")


def check_steps(steps: object) -> list[str]:
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
                % {"step": shown(step), "sources": ", ".join(sorted(STEP_SOURCES))}
            )
    return [str(step) for step in steps]


def drop_flag_share(value: float | None) -> Fraction:
    if value is None:
        value = getattr(settings, "ANALYTICS_FUNNEL_DROP_FLAG", DEFAULT_DROP_FLAG)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
        raise ValueError(_("The drop to flag must be a share from 0 up to 1."))
    return Fraction(str(value))
