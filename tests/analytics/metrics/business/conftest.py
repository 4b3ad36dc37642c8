"""A small fixed history for the business dashboard, its CSV exports and its API, built through
billing's real services on the controlled clock (../conftest.py: `clock`, `ledger`), with the
figures of February 2026 worked out by hand in the tests.

Accounts (UTC): staff (joined 1 Jun 2025, never active); alice (5 Jan, Pro monthly 12 USD from
5 Jan, cancels on 20 Jan, so it ends on 5 Feb); bob (2 Feb 10:00, Pro monthly from 10 Feb);
carol (14 Feb, Pro annual 120 USD from 15 Feb: 10 USD a month); dave (22 Feb 08:00, free);
erin (1 Mar, after the range). Marketing spend: 1,000 USD on ads in February.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client

from analytics.events import EventName, record
from analytics.metrics.models import MarketingSpend
from teams.models import Team
from tests.factories import UserFactory, VideoFactory
from videos.models import Template

FEBRUARY = {"start": dt.date(2026, 2, 1), "end": dt.date(2026, 2, 28)}
FEBRUARY_QUERY = {"from": "2026-02-01", "to": "2026-02-28"}
PAGE_VIEW = "page.viewed"  # what the visitor tracking records; any anonymous event is a visit


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def did(name, user, at, **kwargs):
    return record(name, actor=user, occurred_at=at, **kwargs)


def visit(anonymous_id: str, at: dt.datetime):
    return record(PAGE_VIEW, anonymous_id=anonymous_id, occurred_at=at)


@dataclass
class History:
    staff: object
    people: dict[str, object]
    workspaces: dict[str, Team]
    templates: list[Template]


def _until(ledger, when: dt.datetime) -> None:
    """Days go by (renewals and dunning running daily) up to `when`."""
    while ledger.clock.now + dt.timedelta(days=1) <= when:
        ledger.days_pass(1)
    ledger.clock.now = when


def _make_video(workspace: Team, template: Template, user, at: dt.datetime, seconds: int) -> None:
    VideoFactory(workspace=workspace, template=template, created_at=at, duration_seconds=seconds)
    did(EventName.VIDEO_CREATED, user, at, workspace=workspace)
    did(EventName.TEMPLATE_USED, user, at, workspace=workspace, subject=template)


@pytest.fixture
def history(ledger, clock) -> History:
    first, second = list(Template.objects.order_by("pk")[:2])
    staff = UserFactory(is_staff=True, password=None, date_joined=utc(2025, 6, 1))
    MarketingSpend.objects.create(
        channel="ads", month=dt.date(2026, 2, 1), amount=100_000, currency="USD"
    )

    alice_ws = ledger.workspace()  # 5 Jan 09:00
    alice = ledger.owners[alice_ws.pk]
    visit("anon-alice", utc(2026, 1, 5, 8))
    did(EventName.USER_SIGNED_UP, alice, utc(2026, 1, 5, 9), anonymous_id="anon-alice")
    ledger.subscribe(alice_ws)
    _make_video(alice_ws, second, alice, utc(2026, 1, 10), 100)
    record(
        EventName.VIDEO_PUBLISHED, properties={"platform": "youtube"}, occurred_at=utc(2026, 1, 10)
    )
    _until(ledger, utc(2026, 1, 20, 9))
    ledger.cancel(alice_ws)

    _until(ledger, utc(2026, 2, 2, 10))
    bob_ws = ledger.workspace()
    bob = ledger.owners[bob_ws.pk]
    visit("anon-bob", utc(2026, 2, 2, 9))
    did(EventName.USER_SIGNED_UP, bob, utc(2026, 2, 2, 10), anonymous_id="anon-bob")
    did(EventName.USER_VERIFIED, bob, utc(2026, 2, 2, 11))
    _make_video(bob_ws, first, bob, utc(2026, 2, 10, 9), 10)
    _until(ledger, utc(2026, 2, 10, 12))
    ledger.subscribe(bob_ws)
    record(
        EventName.VIDEO_PUBLISHED, properties={"platform": "youtube"}, occurred_at=utc(2026, 2, 11)
    )

    _until(ledger, utc(2026, 2, 14, 9))
    carol_ws = ledger.workspace()
    carol = ledger.owners[carol_ws.pk]
    visit("anon-carol", utc(2026, 2, 14, 8))
    did(EventName.USER_SIGNED_UP, carol, utc(2026, 2, 14, 9), anonymous_id="anon-carol")
    _make_video(carol_ws, first, carol, utc(2026, 2, 15, 10), 20)
    _until(ledger, utc(2026, 2, 15, 12))
    ledger.subscribe(carol_ws, plan="pro-annual")
    _make_video(carol_ws, second, carol, utc(2026, 2, 16, 10), 30)
    record(
        EventName.VIDEO_PUBLISHED, properties={"platform": "youtube"}, occurred_at=utc(2026, 2, 17)
    )
    record(
        EventName.VIDEO_PUBLISHED, properties={"platform": "tiktok"}, occurred_at=utc(2026, 2, 18)
    )
    visit("anon-x", utc(2026, 2, 20))
    visit("anon-y", utc(2026, 2, 21))

    _until(ledger, utc(2026, 2, 22, 8))
    dave_ws = ledger.workspace()
    dave = ledger.owners[dave_ws.pk]
    visit("anon-dave", utc(2026, 2, 22, 7))
    did(EventName.USER_SIGNED_UP, dave, utc(2026, 2, 22, 8), anonymous_id="anon-dave")
    did(EventName.USER_VERIFIED, dave, utc(2026, 2, 22, 9))
    did(EventName.USER_LOGGED_IN, dave, utc(2026, 2, 25))
    _make_video(dave_ws, first, dave, utc(2026, 2, 26), 40)
    did(EventName.USER_LOGGED_IN, alice, utc(2026, 2, 28, 12))

    _until(ledger, utc(2026, 3, 1, 9))
    erin_ws = ledger.workspace()
    erin = ledger.owners[erin_ws.pk]
    _make_video(erin_ws, first, erin, utc(2026, 3, 1, 10), 50)
    ledger.subscribe(erin_ws)
    return History(
        staff=staff,
        people={"alice": alice, "bob": bob, "carol": carol, "dave": dave, "erin": erin},
        workspaces={"alice": alice_ws, "bob": bob_ws, "carol": carol_ws, "dave": dave_ws},
        templates=[first, second],
    )


@pytest.fixture
def staff_client(history) -> Client:
    client = Client()
    client.force_login(history.staff)
    return client
