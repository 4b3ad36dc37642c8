"""Outbound webhook settings (integrations.webhooks), read from the environment like everything
in settings.py, which applies them with `vars().update(webhooks_settings(...))`. README.md lists
each variable."""

from __future__ import annotations

import environ


def webhooks_settings(env: environ.Env, *, debug: bool) -> dict:
    return {
        # Off in production (it follows DEBUG): endpoints must be https:// on a public address.
        # On for development and tests, whose receivers listen on loopback over plain http://.
        "WEBHOOKS_ALLOW_PRIVATE_HOSTS": env.bool("WEBHOOKS_ALLOW_PRIVATE_HOSTS", default=debug),
        "WEBHOOKS_TIMEOUT_SECONDS": env.float("WEBHOOKS_TIMEOUT_SECONDS", default=10.0),
        # Requests in flight at once per worker process, and deliveries one claim takes.
        "WEBHOOKS_SEND_CONCURRENCY": env.int("WEBHOOKS_SEND_CONCURRENCY", default=8),
        "WEBHOOKS_SEND_BATCH": env.int("WEBHOOKS_SEND_BATCH", default=128),
        # A delivery "sending" for this long lost its worker and is sent again, under the same id.
        "WEBHOOKS_STALE_SECONDS": env.int("WEBHOOKS_STALE_SECONDS", default=5 * 60),
    }
