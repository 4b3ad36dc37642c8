"""`manage.py seed_analytics`: a generated history that is deterministic, complete, coherent
for the metrics (the MRR invariant holds on it), usable by its people (they sign in and see
their pages), made in bulk, and removable without touching anything else.

The clock is frozen (conftest's `clock`, 2026-01-05 09:00 UTC), so a seed gives one history.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections import Counter
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.services import api_token_create, user_create
from analytics.metrics import cohorts, engagement, funnels
from analytics.metrics.models import FxRate, MarketingSpend
from analytics.metrics.revenue import (
    marketing_spend,
    mrr_movements,
    mrr_on,
    mrr_series,
    saas_metrics,
)
from analytics.metrics.seeding import EMAIL_DOMAIN, seed_history
from analytics.metrics.seeding.catalog import CHANNELS, PAID_CHANNELS
from analytics.metrics.seeding.run import MODELS
from analytics.models import Event, PageView, UserTouch, Visitor
from analytics.tracking import visitor_refresh
from billing.models import (
    BillingNotice,
    CouponRedemption,
    Credit,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentStatus,
    Subscription,
    SubscriptionChange,
)
from teams.models import Team
from videos.models import Template, Video, VideoStatus
from videos.publishing.models import PlatformPost, PostStatus, PublishSchedule
from videos.services import video_create

from .conftest import START

pytestmark = pytest.mark.django_db

SMALL = {"users": 300, "months": 6, "seed": 7}
TODAY = START.date()
PASSWORD = "seed-analytics"  # the command's default
EVERY_EVENT = [
    "team.workspace_created", "user.signed_up", "user.verified", "user.logged_in",
    "video.created", "template.used", "video.render_requested", "video.rendered",
    "video.render_failed", "video.scheduled", "video.manual_publish_due", "video.published",
    "video.publish_skipped", "checkout.started", "invoice.created", "payment.succeeded",
    "payment.failed", "payment.refunded", "subscription.started", "subscription.switched",
    "subscription.cancel_scheduled", "subscription.resumed", "subscription.past_due",
    "subscription.recovered", "subscription.ended",
]  # fmt: skip


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_analytics", **{**SMALL, **options}, stdout=out)
    return out.getvalue()


def reset() -> str:
    out = io.StringIO()
    call_command("seed_analytics", reset_only=True, stdout=out)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def written_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in [*MODELS, FxRate, MarketingSpend]}


def event_counts() -> Counter:
    return Counter(dict(Event.objects.values_list("name").annotate(n=Count("pk"))))


@pytest.fixture
def history(clock):
    seed()
    return clock


# -- the same seed, the same history -------------------------------------------------------------


def test_the_same_seed_gives_the_same_history_and_another_seed_another(clock):
    assert "Wrote" in seed()
    first = (written_counts(), event_counts(), mrr_on(day=TODAY).mrr)
    assert "Removed" in reset()
    assert User.objects.filter(email__endswith=EMAIL_DOMAIN).count() == 0
    seed()
    assert (written_counts(), event_counts(), mrr_on(day=TODAY).mrr) == first
    reset()
    seed(seed=8)
    assert (written_counts(), event_counts(), mrr_on(day=TODAY).mrr) != first


def seed_until(day: str) -> None:
    call_command("seed_analytics", "--users", "300", "--months", "6", "--until", day,
                 stdout=io.StringIO())  # fmt: skip


def test_until_fixes_the_end_of_the_history_whatever_the_clock(clock):
    seed_until("2025-12-31")
    first = (written_counts(), mrr_on(day=dt.date(2025, 12, 31)).mrr)
    reset()
    clock.advance(days=3)
    seed_until("2025-12-31")
    assert (written_counts(), mrr_on(day=dt.date(2025, 12, 31)).mrr) == first
    assert Event.objects.latest("occurred_at").occurred_at < dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


# -- what it makes -------------------------------------------------------------------------------


def test_every_kind_of_row_and_event_is_made(history):
    assert {label: count for label, count in written_counts().items() if count == 0} == {}
    missing = [name for name in EVERY_EVENT if event_counts()[name] == 0]
    assert missing == []
    assert User.objects.count() == SMALL["users"]
    # Every sign-up has its personal workspace, owner membership and Free-or-paid subscription.
    assert Team.objects.filter(is_personal=True, memberships__role="owner").count() == 300
    assert Subscription.objects.count() == 300


def test_the_ledger_has_every_kind_of_change(history):
    invoices = Invoice.objects.all()
    assert set(invoices.exclude(coupon=None).values_list("coupon__duration", flat=True)) == {
        "once",
        "repeating",
        "forever",
    }
    assert set(invoices.values_list("reason", flat=True)) == {"subscribe", "renewal", "switch"}
    assert set(invoices.values_list("currency", flat=True)) == {"USD", "EUR", "GBP"}
    assert invoices.filter(status="uncollectible").exists()
    assert InvoiceLine.objects.filter(kind="proration", amount__lt=0).exists()
    assert Credit.objects.filter(idempotency_key__startswith="invoice-leftover:").exists()
    assert Invoice.objects.filter(credit_applied__gt=0).exists()
    assert Payment.objects.filter(refunded_amount__gt=0, status=PaymentStatus.SUCCEEDED).exists()
    switches = SubscriptionChange.objects.filter(kind="switched")
    assert {(c.from_plan.key, c.to_plan.key) for c in switches} >= {
        ("pro-monthly", "pro-annual"),
        ("pro-annual", "pro-monthly"),
    }
    returned = (
        SubscriptionChange.objects.filter(kind="subscribed")
        .values("subscription")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert returned.exists()  # a reactivation
    assert CouponRedemption.objects.filter(invoices_applied__gt=0).exists()


def test_visitors_come_from_every_channel_with_their_touches(history):
    sources = set(PageView.objects.values_list("utm_source", flat=True))
    assert {channel.source for channel in CHANNELS} <= sources
    assert Visitor.objects.filter(user=None).count() == 2 * SMALL["users"]
    assert UserTouch.objects.count() == SMALL["users"]
    assert UserTouch.objects.exclude(first_source="").exists()
    assert UserTouch.objects.exclude(first_at=F("latest_at")).exists()  # a second touch
    spent = set(MarketingSpend.objects.values_list("channel", flat=True))
    assert spent == {channel.source for channel in PAID_CHANNELS}
    assert set(MarketingSpend.objects.values_list("currency", flat=True)) == {"USD", "EUR"}


def test_exchange_rates_cover_every_day_of_the_history(history):
    first = (START - relativedelta(months=6) - dt.timedelta(days=30)).date()
    days = (TODAY - first).days + 1
    for currency in ("USD", "GBP"):
        rates = FxRate.objects.filter(currency=currency, day__gte=first, day__lte=TODAY)
        assert rates.count() == days
        assert all(
            Decimal("0.5") < rate < Decimal("2")
            for rate in rates.values_list("rate_per_eur", flat=True)
        )


# -- coherent for the metrics --------------------------------------------------------------------


def test_the_mrr_invariant_holds_on_the_seeded_history(history):
    start = (START - relativedelta(months=6)).date()
    periods = [(start, TODAY)]
    month = start.replace(day=1)
    while month <= TODAY:
        periods.append((max(month, start), min(month + relativedelta(months=1, days=-1), TODAY)))
        month += relativedelta(months=1)
    for first, last in periods:
        movements = mrr_movements(start=first, end=last)
        assert movements.opening_mrr == mrr_on(day=first - dt.timedelta(days=1)).mrr
        assert movements.closing_mrr == mrr_on(day=last).mrr
        assert movements.closing_mrr - movements.opening_mrr == sum(movements.amounts.values())
    whole = mrr_movements(start=start, end=TODAY)
    assert all(whole.counts[kind] > 0 for kind in whole.counts if kind.value != "fx")
    assert mrr_series(start=TODAY, end=TODAY)[-1].mrr == mrr_on(day=TODAY).mrr


def test_paying_workspaces_are_those_billing_says_are_paid(history):
    paying = {row.workspace_id for row in mrr_on(day=TODAY).workspaces}
    paid = {
        s.workspace_id
        for s in Subscription.objects.select_related("plan")
        if s.plan.tier == "pro" and s.status != "canceled"
    }
    assert paying == paid and paying


def test_the_metrics_give_plausible_figures(history):
    start = TODAY - dt.timedelta(days=90)
    figures = saas_metrics(start=start, end=TODAY)
    assert figures.mrr > 0 and figures.paying_customers > 0 and figures.arpu > 0
    assert figures.customers == 300 and figures.new_paying_customers > 0
    assert figures.marketing_spend > 0 and figures.cac > 0
    assert marketing_spend(start=start, end=TODAY).total == figures.marketing_spend
    steps = funnels.predefined_funnel(key="visitor_to_pro", start=start, end=TODAY)["steps"]
    counts = [step["count"] for step in steps]
    assert all(count > 0 for count in counts) and counts == sorted(counts, reverse=True)
    table = cohorts.retention_cohorts(start=start, end=TODAY)
    assert all(row["size"] > 0 and row["retained"][0] > 0 for row in table)
    assert table[0]["retained"][1] > 0
    active = engagement.active_users_series(start=TODAY - dt.timedelta(days=6), end=TODAY)
    assert all(day["mau"] > 0 for day in active) and sum(day["dau"] for day in active) > 0
    assert engagement.activation_rate(start=start, end=TODAY)["rate"] > 0


# -- its people can use the product --------------------------------------------------------------


def test_a_seeded_person_signs_in_and_sees_their_pages(history, client):
    schedule = PublishSchedule.objects.filter(
        posts__status=PostStatus.PUBLISHED, workspace__subscription__plan__key="pro-monthly"
    ).first()
    person = schedule.requested_by
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    ready = Video.objects.filter(workspace=schedule.workspace, status=VideoStatus.READY).first()
    invoice = Invoice.objects.filter(workspace=schedule.workspace).first()
    post = PlatformPost.objects.filter(schedule=schedule).first()
    pages = [
        "/dashboard/", "/videos/", f"/videos/{ready.pk}/", f"/videos/{ready.pk}/history/",
        "/billing/", f"/billing/invoices/{invoice.pk}/", "/schedule/",
        f"/schedules/{schedule.pk}/", f"/schedules/{schedule.pk}/posts/{post.pk}/",
        "/team/notifications/", f"/api/v1/videos/{ready.pk}/",
    ]  # fmt: skip
    assert {page: client.get(page).status_code for page in pages} == dict.fromkeys(pages, 200)
    assert not ready.file and ready.rendered_at is not None  # ready, without a stored file
    failed = Video.objects.filter(status=VideoStatus.FAILED).first()
    client.force_login(failed.created_by)
    assert client.get(f"/videos/{failed.pk}/").status_code == 200


# -- in bulk -------------------------------------------------------------------------------------


def statements_to_seed(users: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        summary = seed_history(users=users, months=6, seed=7)
    return len(queries), summary.total_rows


def test_rows_are_written_in_bulk(clock):
    """A few statements per table and chunk of people (SQLite: one per 500 rows), never one per
    row: twice the people, twice the rows, hardly more statements."""
    small, small_rows = statements_to_seed(150)
    reset()
    large, large_rows = statements_to_seed(300)
    assert large_rows > 1.8 * small_rows
    assert large - small < (large_rows - small_rows) / 200
    assert large < large_rows / 40


# -- run once, reset, refuse ---------------------------------------------------------------------


def test_a_second_run_is_refused_and_changes_nothing(history):
    before = table_counts()
    with pytest.raises(CommandError, match="--reset"):
        seed()
    assert table_counts() == before
    seed(reset=True)
    assert table_counts() == before  # replaced by the same history


def test_a_dry_run_writes_nothing(clock):
    before = table_counts()
    assert "Would write" in seed(dry_run=True)
    assert table_counts() == before


def test_a_dry_run_with_reset_writes_and_removes_nothing(history):
    before = table_counts()
    output = seed(reset=True, dry_run=True)
    assert "Would remove" in output and "Would write" in output
    assert table_counts() == before


@pytest.mark.parametrize(
    "options",
    [
        {"users": 0},
        {"users": 10_000_000},
        {"months": 0},
        {"months": 1000},
        {"until": "2026-13-01"},
        {"until": "1999-12-31"},
        {"until": "2026-01-01\x00"},
    ],
)
def test_bad_arguments_are_refused(clock, options):
    before = table_counts()
    with pytest.raises(CommandError):
        seed(**options)
    assert table_counts() == before


@pytest.mark.parametrize("args", [["--users", "many"], ["--seed", "1.5"], ["--until", "soon"]])
def test_bad_arguments_on_the_command_line_are_refused(clock, args):
    before = table_counts()
    with pytest.raises(CommandError):
        call_command("seed_analytics", *args, stdout=io.StringIO())
    assert table_counts() == before


def test_reset_removes_the_seed_and_nothing_else(clock, ledger, coupons):
    # Someone real, with a Pro plan, an event trail and a video; a browser; an ECB rate on a
    # day the seed covers; spend imported for a channel and month the seed also spends on.
    owner = user_create(email="real@example.com", password="x" * 12)
    workspace = owner.teams.get(is_personal=True)
    ledger.owners[workspace.pk] = owner
    ledger.subscribe(workspace, coupon="QUARTER3")
    template = Template.objects.filter(tier="free").first()
    video_create(workspace=workspace, template=template, title="Mine", actor=owner)
    visitor_refresh(visitor_id=str(uuid.uuid4()), now=START)
    december = dt.date(2025, 12, 1)
    FxRate.objects.create(day=december, currency="USD", rate_per_eur=Decimal("1.1650"))
    MarketingSpend.objects.create(channel="google", month=december, amount=123, currency="USD")
    usage = dict(Template.objects.values_list("pk", "usage_count"))
    before, real_before = table_counts(), own_rows(workspace, owner)

    seed()
    # What the product does to seeded accounts after the seed goes too: a renewal the worker
    # ran, a video and an API token made by one of them.
    ledger.days_pass(40)
    person = User.objects.filter(email__endswith=EMAIL_DOMAIN).first()
    api_token_create(user=person, name="mine")
    video_create(workspace=person.teams.get(is_personal=True), template=template, title="Later",
                 actor=person)  # fmt: skip
    assert table_counts() != before

    output = reset()
    assert "Removed" in output
    after = table_counts()
    # The real workspace's own renewal (40 days passed) is its own and stays: apart from it,
    # every table is as it was before the seed.
    real = own_rows(workspace, owner)
    assert {label: count - real.get(label, 0) for label, count in after.items()} == {
        label: count - real_before.get(label, 0) for label, count in before.items()
    }
    assert real["billing.Invoice"] == 2 and Invoice.objects.count() == 2
    assert User.objects.filter(email="real@example.com").exists()
    assert FxRate.objects.get(day=december, currency="USD").rate_per_eur == Decimal("1.165")
    assert MarketingSpend.objects.get(channel="google", month=december).amount == 123
    assert dict(Template.objects.values_list("pk", "usage_count")) == usage


def own_rows(workspace: Team, owner: User) -> dict[str, int]:
    """The rows of the real workspace that its renewal adds to."""
    return {
        "billing.Invoice": Invoice.objects.filter(workspace=workspace).count(),
        "billing.InvoiceLine": InvoiceLine.objects.filter(invoice__workspace=workspace).count(),
        "billing.Payment": Payment.objects.filter(workspace=workspace).count(),
        "billing.SubscriptionChange": SubscriptionChange.objects.filter(
            subscription__workspace=workspace
        ).count(),
        "billing.BillingNotice": BillingNotice.objects.filter(
            subscription__workspace=workspace
        ).count(),
        "analytics.Event": Event.objects.filter(Q(workspace=workspace) | Q(actor=owner)).count(),
    }
