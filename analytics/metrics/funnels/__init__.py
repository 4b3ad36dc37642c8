"""Funnels: how many people go through a sequence of steps, in order, within a window.

`steps` says what a step is and where its occurrences come from; `paths` is the rule (PostHog's
ordered funnel) and the figures; `definitions` the funnels the business looks at, and
`predefined` reads them, the dashboard's from the rollup of each entry.

A fixed number of queries whatever the data: one for the event steps, one per step source, one
to link anonymous events to accounts when there are any (one more for a stored funnel). The
order of each person's steps is worked out in Python over the occurrences in
[start, end + window): the furthest path is not portable SQL.
"""

from .definitions import FUNNELS, STORED_FUNNELS, FunnelDefinition, stored_window_days
from .paths import Funnel, FunnelStep, funnel
from .predefined import funnel_entries_write, predefined_funnel
from .steps import (
    DEFAULT_WINDOW_DAYS,
    EVENT_STEPS,
    MAX_STEPS,
    MAX_WINDOW_DAYS,
    STEP_SOURCES,
    StepSource,
    register_event_step,
    register_step_source,
    step_label,
    visitor_person,
)

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "EVENT_STEPS",
    "FUNNELS",
    "MAX_STEPS",
    "MAX_WINDOW_DAYS",
    "STEP_SOURCES",
    "STORED_FUNNELS",
    "Funnel",
    "FunnelDefinition",
    "FunnelStep",
    "StepSource",
    "funnel",
    "funnel_entries_write",
    "predefined_funnel",
    "register_event_step",
    "register_step_source",
    "step_label",
    "stored_window_days",
    "visitor_person",
]
