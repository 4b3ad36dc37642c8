"""Analytics settings, read from the environment like everything in settings.py, which applies
them with `vars().update(analytics_settings(env, REST_FRAMEWORK))` (it has reached the module
size limit). README.md lists each variable."""

from __future__ import annotations

import environ


def analytics_settings(env: environ.Env, rest_framework: dict) -> dict:
    # POST /api/v1/events/batch/ (up to 500 events a request): throttle scopes per API token or
    # signed-in user, and per anonymous visitor (analytics/api.py).
    rest_framework["DEFAULT_THROTTLE_RATES"].update(
        events_sender=env.str("EVENTS_THROTTLE_SENDER", default="120/min"),
        events_visitor=env.str("EVENTS_THROTTLE_VISITOR", default="30/min"),
    )
    return {
        # True: visitors are tracked only after they accept the banner; False: unless they
        # decline, or their browser sends Do Not Track or Global Privacy Control.
        "ANALYTICS_REQUIRE_CONSENT": env.bool("ANALYTICS_REQUIRE_CONSENT", default=False),
    }
