"""The funnels the business looks at, by key."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from analytics.events import EventName

from .steps import DEFAULT_WINDOW_DAYS


@dataclass(frozen=True)
class FunnelDefinition:
    key: str
    label: str | Promise
    steps: tuple[str, ...]
    window_days: int = DEFAULT_WINDOW_DAYS

    @property
    def step_keys(self) -> list[str]:
        """The steps as the funnel function takes them (plain strings)."""
        return [str(step) for step in self.steps]


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

# Those whose entries the rollup stores (`predefined.funnel_entries_write`): the dashboard's.
STORED_FUNNELS = ("visitor_to_pro",)


def stored_window_days() -> int:
    """The longest window of the stored funnels: how far back an entry's path can still grow."""
    return max((FUNNELS[key].window_days for key in STORED_FUNNELS), default=0)
