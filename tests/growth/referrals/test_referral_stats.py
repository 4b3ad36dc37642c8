"""The staff referral figures (growth.referrals.stats, .tree, .report) against a small history
worked out by hand, and the staff page (/referrals/staff/) that shows them.

The history, with the clock at 2026-03-31 12:00 UTC and the period March 2026:

    F joined 2025-12-01, refers nobody.
    A joined 2025-12-10; code made 2025-12-15.
    ├── B joined 01-02 (referral 01-02), first paid 01-05; pays 01-05, 02-05, 03-05 (USD 10)
    │   │   and a disputed USD 3 on 03-20; code made 03-02.
    │   └── D joined 03-06 (referral 03-06), never paid (one failed payment); code 03-15.
    │       └── E joined 03-20 (referral 03-20), never paid.
    ├── G joined 01-03 (referral 01-03), first paid 01-10; paid again 03-10, refunded in full.
    └── C joined 03-05 (referral 03-05), first paid 03-10 (USD 20, 5 refunded); owns a team
        workspace too, which paid EUR 9 on 03-12; code made 03-12, never used.
    A's own payment, USD 50 on 03-01, is nobody's referred revenue.

    Share-link clicks: A's code 02-20, 03-04, 03-05; B's code 03-06.
    E-mail invitations: A → w@ 02-10, x@ and y@ 03-03; D → z@ 03-18.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from billing.models import Payment, PaymentStatus
from growth.referrals.models import (
    ReferralClick,
    ReferralCode,
    ReferralInvitation,
    RewardStatus,
)
from growth.referrals.report import programme_report
from growth.referrals.stats import k_factors, month_windows, period_figures, quality_rate
from growth.referrals.tree import referral_tree_report
from teams.models import Role
from tests.clock import install_clock
from tests.factories import MembershipFactory, PaidInvoiceFactory, TeamFactory, UserFactory
from tests.growth.referrals.kit import earned_reward, referral_made

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
MARCH = {"start": dt.date(2026, 3, 1), "end": dt.date(2026, 4, 1)}


def at(month: int, day: int, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, 10, 0, tzinfo=UTC)


def pay(user, when, amount, currency="USD", *, workspace=None, days=31, **fields) -> Payment:
    """A payment of `user`'s personal workspace (or `workspace`) and the invoice it paid,
    covering `days` from `when`."""
    workspace = workspace or user.teams.get(is_personal=True)
    invoice = PaidInvoiceFactory(
        workspace=workspace,
        total=amount,
        currency=currency,
        paid_at=when,
        period_end=when + dt.timedelta(days=days),
    )
    return Payment.objects.create(
        workspace=workspace,
        invoice=invoice,
        amount=amount,
        currency=currency,
        status=fields.pop("status", PaymentStatus.SUCCEEDED),
        provider="sandbox",
        provider_payment_id=f"sbx_{uuid.uuid4().hex}",
        created_at=when,
        **fields,
    )


def person(joined: dt.datetime):
    return UserFactory(password=None, date_joined=joined)


def code_made(user, when) -> ReferralCode:
    code, _created = ReferralCode.objects.get_or_create(
        user=user, defaults={"code": f"USER-{user.pk:04d}"}
    )
    ReferralCode.objects.filter(pk=code.pk).update(created_at=when)
    return code


@pytest.fixture
def clock(monkeypatch):
    return install_clock(monkeypatch, NOW)


@pytest.fixture
def history(db, clock) -> dict:
    f = person(at(12, 1, 2025))
    a = person(at(12, 10, 2025))
    b, g = person(at(1, 2)), person(at(1, 3))
    c, d, e = person(at(3, 5)), person(at(3, 6)), person(at(3, 20))
    referral_made(referrer=a, referee=b, created_at=at(1, 2), paid_at=at(1, 5))
    referral_made(referrer=a, referee=g, created_at=at(1, 3), paid_at=at(1, 10))
    referral_made(referrer=a, referee=c, created_at=at(3, 5), paid_at=at(3, 10))
    referral_made(referrer=b, referee=d, created_at=at(3, 6))
    referral_made(referrer=d, referee=e, created_at=at(3, 20))
    for user, when in [(a, at(12, 15, 2025)), (b, at(3, 2)), (d, at(3, 15)), (c, at(3, 12))]:
        code_made(user, when)
    for user, when in [(a, at(2, 20)), (a, at(3, 4)), (a, at(3, 5)), (b, at(3, 6))]:
        ReferralClick.objects.create(code=user.referral_code, clicked_at=when)
    for sender, email, when in [
        (a, "w@example.com", at(2, 10)),
        (a, "x@example.com", at(3, 3)),
        (a, "y@example.com", at(3, 3)),
        (d, "z@example.com", at(3, 18)),
    ]:
        ReferralInvitation.objects.create(sender=sender, email=email, created_at=when)
    pay(a, at(3, 1), 5000)
    for when in (at(1, 5), at(2, 5), at(3, 5)):
        pay(b, when, 1000)
    pay(b, at(3, 20), 300, disputed_at=at(3, 25))
    pay(d, at(3, 20), 1000, status=PaymentStatus.FAILED)
    pay(g, at(1, 10), 1000)
    pay(g, at(3, 10), 1000, status=PaymentStatus.REFUNDED, refunded_amount=1000)
    pay(c, at(3, 10), 2000, refunded_amount=500)
    team = TeamFactory(created_by=c)
    MembershipFactory(team=team, user=c, role=Role.OWNER)
    pay(c, at(3, 12), 900, "EUR", workspace=team)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g}


def test_period_figures(history):
    # Codes made in March: B's, C's, D's (A's is from December) = 3. Clicks in March: 3.
    # Sign-ups in March: C, D, E = 3; of them C paid by April 1 → conversion 1/3.
    # First payments in March: C = 1 (B and G paid in January).
    assert period_figures(**MARCH) == {
        "codes": 3,
        "clicks": 3,
        "sign_ups": 3,
        "converted": 1,
        "paying": 1,
        "conversion": pytest.approx(1 / 3),
    }


def test_k_factor_of_the_period(history):
    # Invitations = 3 e-mails (x, y, z) + 3 clicks = 6; users who joined before April 1:
    # F, A, B, G, C, D, E = 7 → i = 6/7. Paying in March: C = 1 → c = 1/6.
    # K = 6/7 × 1/6 = 1/7 ≈ 0.143.
    (march,) = k_factors(windows=[(at(3, 1) - dt.timedelta(hours=10), NOW)])
    assert march["emails"] == 3 and march["clicks"] == 3 and march["invitations"] == 6
    assert march["users"] == 7 and march["paying"] == 1
    assert march["i"] == pytest.approx(6 / 7)
    assert march["c"] == pytest.approx(1 / 6)
    assert march["k"] == pytest.approx(1 / 7)


def test_k_factor_by_month(history):
    rows = k_factors(windows=month_windows(last_day=dt.date(2026, 3, 31)))
    assert [row["start"] for row in rows] == [
        *(dt.date(2025, month, 1) for month in range(4, 13)),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
    ]
    # April–November 2025: no accounts yet → i, c and K undefined.
    assert all(row["i"] is None and row["k"] is None for row in rows[:8])
    # December: users F, A = 2, no invitations → i = 0, c undefined, K undefined.
    assert (rows[8]["users"], rows[8]["i"], rows[8]["c"], rows[8]["k"]) == (2, 0, None, None)
    # January: users F, A, B, G = 4; no invitations; B and G paid → c undefined (÷ 0).
    assert (rows[9]["users"], rows[9]["paying"], rows[9]["c"]) == (4, 2, None)
    # February: 1 e-mail (w) + 1 click = 2; users 4 → i = 0.5; nobody paid → c = 0, K = 0.
    assert (rows[10]["invitations"], rows[10]["i"], rows[10]["c"], rows[10]["k"]) == (2, 0.5, 0, 0)
    # March: as in the period test, K = 1/7.
    assert rows[11]["k"] == pytest.approx(1 / 7)


def test_quality_rate(history):
    # Day 60 falls in March for first payments in [2025-12-31, 2026-01-31) at least 60 days
    # before now: B (01-05, day 60 = 03-06) and G (01-10, day 60 = 03-11) → 2 customers.
    # B's 03-05 payment covers 03-05–04-05, so B still pays; G's 03-10 payment was refunded
    # in full → 1 of 2 = 50 %.
    assert quality_rate(**MARCH, now=NOW) == {"customers": 2, "still_paying": 1, "rate": 0.5}


def test_quality_rate_waits_for_day_60(history):
    # On 03-08 only B's 60th day (03-06) has passed: 1 customer, still paying.
    figures = quality_rate(**MARCH, now=at(3, 8))
    assert figures == {"customers": 1, "still_paying": 1, "rate": 1.0}


def test_tree_depth_and_super_connectors(history):
    # A → B → D → E is the longest chain: depth 3. Revenue in March, kept money only:
    # B 1000 USD (the disputed 300 left out), G 0 (refunded), C 2000 − 500 = 1500 USD plus
    # 900 EUR from the team workspace C owns, D 0 (failed), E 0. A's own 5000 is not counted.
    # A: 1000 + 1500 = 2500 USD and 900 EUR; B (D, E) and D (E) bring nothing.
    report = referral_tree_report(**MARCH)
    assert report["tree_depth"] == 3
    assert report["referrers"] == 3 and report["loops_left_out"] == 0
    rows = [
        (row["user"], row["direct"], row["descendants"], row["depth"], row["main_revenue"])
        for row in report["connectors"]
    ]
    people = history
    assert rows == [
        (people["a"], 3, 5, 3, 2500),
        (people["b"], 1, 2, 2, 0),
        (people["d"], 1, 1, 1, 0),
    ]
    assert report["connectors"][0]["other_revenue"] == [("EUR", 900)]


def test_tree_without_referrals_has_depth_0(db):
    report = referral_tree_report(**MARCH)
    assert (report["tree_depth"], report["connectors"]) == (0, [])


def test_a_loop_is_left_out(history):
    # E refers A (applied later, on the page): A → B → D → E → A would close a loop.
    from growth.referrals.models import Referral

    Referral.objects.filter(referee=history["e"]).delete()
    referral_made(referrer=history["e"], referee=history["a"], created_at=at(3, 25))
    referral_made(referrer=history["d"], referee=history["e"], created_at=at(3, 26))
    report = referral_tree_report(**MARCH)
    # E → A is kept (older), so D → E would close E → A → B → D → E: left out.
    assert report["loops_left_out"] == 1
    assert report["tree_depth"] == 3  # E → A → B → D


def grow(size: int) -> None:
    """`size` chains of three referrals, each with clicks, invitations and payments."""
    for index in range(size):
        root = person(at(1, 2))
        child = person(at(2, 1))
        grandchild = person(at(3, 2))
        referral_made(referrer=root, referee=child, created_at=at(2, 1), paid_at=at(2, 2))
        referral_made(referrer=child, referee=grandchild, created_at=at(3, 2), paid_at=at(3, 3))
        ReferralClick.objects.create(code=root.referral_code, clicked_at=at(3, 4))
        ReferralInvitation.objects.create(
            sender=root, email=f"friend{index}@example.com", created_at=at(3, 4)
        )
        pay(child, at(2, 2), 1000)
        pay(grandchild, at(3, 3), 1000, "EUR")


@pytest.mark.parametrize("size", [1, 12])
def test_report_query_count_is_fixed(db, clock, size, django_assert_max_num_queries):
    grow(size)
    with django_assert_max_num_queries(12):
        report = programme_report(**MARCH, now=NOW)
    assert report["sign_ups"] == size and len(report["connectors"]) == min(size * 2, 10)


# -- the page -------------------------------------------------------------------------------

URL = "/referrals/staff/"


@pytest.fixture
def staff_client(db, clock) -> Client:
    client = Client()
    client.force_login(UserFactory(password=None, is_staff=True))
    return client


def test_url_name():
    assert reverse("referrals:staff") == URL


def test_staff_see_the_figures(history, staff_client):
    response = staff_client.get(URL, {"from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "K-factor by month" in body and history["a"].email in body
    assert "?status__exact=pending_review" in body
    assert response.context["report"]["k"]["k"] == pytest.approx(1 / 8)  # the staff user too
    policy = response["Content-Security-Policy"]
    assert "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='" in policy


def test_the_page_links_to_the_rewards_waiting_for_review(staff_client):
    referrer = UserFactory(password=None)
    for status in (RewardStatus.PENDING_REVIEW, RewardStatus.PENDING_REVIEW, RewardStatus.EARNED):
        earned_reward(referrer=referrer, status=status)
    body = staff_client.get(URL).content.decode()
    link = "/admin/referrals/referralreward/?status__exact=pending_review"
    assert f'<a href="{link}">2 rewards waiting for review</a>' in body


def test_the_default_range_is_the_last_30_days(staff_client):
    response = staff_client.get(URL)
    assert response.status_code == 200
    report = response.context["report"]
    assert (report["start"], report["end"]) == (dt.date(2026, 3, 2), dt.date(2026, 4, 1))


@pytest.mark.parametrize("user", [None, "member"])
def test_everyone_else_gets_404(db, user):
    client = Client()
    if user:
        client.force_login(UserFactory(password=None))
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-03-10", "to": "2026-03-01"},
        {"from": "99999-01-01"},
        {"to": "1500-01-01"},
        {"from": "yesterday"},
    ],
)
def test_a_bad_range_is_refused(staff_client, query):
    response = staff_client.get(URL, query)
    assert response.status_code == 400
    assert response.context["errors"]


def test_a_nul_in_the_range_is_refused(staff_client):
    # The project's middleware refuses it before the view, with a 400 of its own.
    response = staff_client.get(URL, {"from": "2026-03-01\x00"})
    assert response.status_code == 400


@pytest.mark.parametrize("size", [1, 12])
def test_page_query_count_is_fixed(staff_client, size, django_assert_max_num_queries):
    grow(size)
    with django_assert_max_num_queries(15):
        assert staff_client.get(URL).status_code == 200
