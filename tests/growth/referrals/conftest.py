"""The referral tests' fixtures: a fixed clock, a referrer and a referee, Celery run eagerly
with the on-commit callbacks executed."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.clock import Clock, install_clock
from tests.factories import UserFactory

# Mid-March, so that moving a year on stays within the test's reach of calendar years.
START = dt.datetime(2027, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(monkeypatch, db) -> Clock:
    return install_clock(monkeypatch, START)


@pytest.fixture
def referrer(db):
    return UserFactory(email="rita@example.com", name="Rita Referrer")


@pytest.fixture
def referee(db):
    return UserFactory(email="ed@example.net", name="Ed Referee")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """`with on_commit():` runs what the code queues on commit (Celery is eager in tests)."""

    def capture():
        return django_capture_on_commit_callbacks(execute=True)

    return capture


@pytest.fixture
def stripe_api(settings, httpserver):
    """Stripe against a local server, webhooks signed for real (as in tests/billing)."""
    from tests.billing.conftest import SECRET

    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_API_BASE = httpserver.url_for("").rstrip("/")
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    return httpserver


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def post(client, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(*args, **kwargs)

    return post
