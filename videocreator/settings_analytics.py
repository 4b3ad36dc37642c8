"""Analytics settings, read from the environment like everything in settings.py, which applies
them with `vars().update(analytics_settings(...))` (it has reached the module size limit).
README.md lists each variable."""

from __future__ import annotations

import environ

from videocreator.settings_database import postgres_options


def analytics_settings(env: environ.Env, rest_framework: dict, databases: dict) -> dict:
    # POST /api/v1/events/batch/ (up to 500 events a request): throttle scopes per API token or
    # signed-in user, and per anonymous visitor (analytics/api.py).
    rest_framework["DEFAULT_THROTTLE_RATES"].update(
        events_sender=env.str("EVENTS_THROTTLE_SENDER", default="120/min"),
        events_visitor=env.str("EVENTS_THROTTLE_VISITOR", default="30/min"),
    )
    # Dashboard reads (analytics.metrics.routing.reading_analytics) go to a read replica when
    # one is given; in tests the alias mirrors the test database.
    replica_url = env.str("ANALYTICS_DATABASE_URL", default="")
    if replica_url:
        databases["analytics"] = postgres_options(env, env.db_url_config(replica_url))
        databases["analytics"]["TEST"] = {"MIRROR": "default"}
    return {
        # Business metrics (checked at start-up by analytics/metrics/conf.py): the currency
        # figures are reported in, and the gross margin LTV is computed with.
        "REPORTING_CURRENCY": env.str("REPORTING_CURRENCY", default="USD"),
        "ANALYTICS_GROSS_MARGIN": env.str("ANALYTICS_GROSS_MARGIN", default="0.8"),
        # The share of a funnel step's drop above which the step is flagged.
        "ANALYTICS_FUNNEL_DROP_FLAG": env.float("ANALYTICS_FUNNEL_DROP_FLAG", default=0.20),
        # Django's two finders, and plotly's own plotly.js as vendor/plotly.min.js for the
        # staff dashboards' charts (videocreator/staticfinders.py).
        "STATICFILES_FINDERS": [
            "django.contrib.staticfiles.finders.FileSystemFinder",
            "django.contrib.staticfiles.finders.AppDirectoriesFinder",
            "videocreator.staticfinders.PlotlyFinder",
        ],
        "ANALYTICS_DATABASE_ALIAS": "analytics" if replica_url else None,
        "DATABASE_ROUTERS": ["analytics.metrics.routing.AnalyticsReadRouter"],
        # True: visitors are tracked only after they accept the banner; False: unless they
        # decline, or their browser sends Do Not Track or Global Privacy Control.
        "ANALYTICS_REQUIRE_CONSENT": env.bool("ANALYTICS_REQUIRE_CONSENT", default=False),
    }
