"""Seeding a history: people in sign-up order, a chunk at a time, each chunk's rows written in
bulk before the next is made; the reference rows (rates, spend, template counters) at the end.
All of it in one transaction: a run that fails leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import Profile, User
from analytics.models import Event, PageView, UserTouch, Visitor
from billing.models import (
    BillingNotice,
    CheckoutSession,
    CouponRedemption,
    Credit,
    DunningNotice,
    Invoice,
    InvoiceLine,
    Payment,
    Subscription,
    SubscriptionChange,
)
from teams.models import Membership, Notification, Team
from videos.models import RenderJob, Video
from videos.publishing.models import PlatformPost, PublishSchedule

from . import catalog, people, reference
from .context import Context
from .subscriptions import billing_story
from .videos import video_story
from .writer import Ids, Writer, analyze

MAX_USERS = 1_000_000
MAX_MONTHS = 120
CHUNK = 2_000
# Parents before the rows that point at them.
MODELS = (
    User, Profile, EmailAddress, Team, Membership, Subscription, Visitor, PageView, UserTouch,
    Video, RenderJob, PublishSchedule, PlatformPost, Notification, CheckoutSession,
    CouponRedemption, Invoice, InvoiceLine, Payment, Credit, SubscriptionChange, BillingNotice,
    DunningNotice, Event,
)  # fmt: skip


class SeededDataExists(Exception):
    """A previous run's people are still there."""


@dataclass
class SeedSummary:
    users: int
    months: int
    seed: int
    start: dt.datetime
    end: dt.datetime
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    dry_run: bool = False

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def seeded_users():
    return User.objects.filter(email__endswith=f"@{catalog.EMAIL_DOMAIN}")


def seeded_data_exists() -> bool:
    return seeded_users().exists()


def check_arguments(*, users: int, months: int) -> None:
    if not 1 <= users <= MAX_USERS:
        raise ValueError(f"--users must be between 1 and {MAX_USERS:,}.")
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"--months must be between 1 and {MAX_MONTHS}.")


def seed_history(
    *,
    users: int,
    months: int,
    seed: int,
    now: dt.datetime | None = None,
    password: str = catalog.DEFAULT_PASSWORD,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> SeedSummary:
    """Write `users` accounts signing up over the `months` before `now` and everything they
    did; the same arguments give the same history. Raises SeededDataExists when a previous
    run's accounts are there (remove them with `seed_reset`)."""
    check_arguments(users=users, months=months)
    now = now or timezone.now()
    started = time.perf_counter()
    summary = SeedSummary(users, months, seed, now - relativedelta(months=months), now)
    # Stored texts (workspace names, invoice lines) in the language of whoever caused them;
    # English where a task did.
    with transaction.atomic(), translation.override("en"):
        if seeded_data_exists():
            raise SeededDataExists(
                f"Seeded accounts (@{catalog.EMAIL_DOMAIN}) already exist: run with --reset to "
                "replace them."
            )
        ctx = _context(now=now, start=summary.start, password=password)
        _people(ctx, seed=seed, users=users, progress=progress)
        reference.template_uses_add(ctx.template_uses)
        summary.rows = ctx.out.counts()
        summary.rows["metrics.FxRate"] = reference.fx_rates_add(
            first=(summary.start - dt.timedelta(days=30)).date(), last=now.date()
        )
        summary.rows["metrics.MarketingSpend"] = reference.marketing_spend_add(
            visits=ctx.visits, seed=seed
        )
        summary.rows["billing.Coupon"] = ctx.coupons_created
        analyze(MODELS)
        if dry_run:
            transaction.set_rollback(True)
    summary.seconds = time.perf_counter() - started
    summary.dry_run = dry_run
    return summary


def _context(*, now: dt.datetime, start: dt.datetime, password: str) -> Context:
    free_plan_id, plans = reference.paid_plans()
    coupons, coupons_created = reference.coupons()
    return Context(
        now=now,
        start=start,
        ids=Ids(),
        out=Writer(MODELS),
        free_plan_id=free_plan_id,
        plans=plans,
        templates=reference.templates(),
        coupons=coupons,
        coupons_created=coupons_created,
        password_hash=make_password(password),
    )


def _people(ctx: Context, *, seed: int, users: int, progress) -> None:
    master = random.Random(seed)
    joined = people.sign_up_times(master, users=users, start=ctx.start, now=ctx.now)
    anonymous = round(users * catalog.ANONYMOUS_VISITORS_PER_SIGN_UP)
    browsing = people.sign_up_times(master, users=anonymous, start=ctx.start, now=ctx.now)
    started, next_browser = time.perf_counter(), 0
    for first in range(0, users, CHUNK):
        last = min(users, first + CHUNK)
        for index in range(first, last):
            rng = random.Random(f"{seed}/{index}")
            person = people.sign_up(ctx, rng, index, joined[index])
            on_pro = billing_story(ctx, rng, person)
            video_story(ctx, rng, person, on_pro)
            people.finish(ctx, rng, person)
        # The browsers that never signed up, up to the same time.
        until = joined[last - 1] if last < users else ctx.now
        while next_browser < anonymous and browsing[next_browser] <= until:
            rng = random.Random(f"{seed}/browser/{next_browser}")
            people.anonymous_visitor(ctx, rng, browsing[next_browser])
            next_browser += 1
        ctx.out.flush()
        if progress is not None:
            written = sum(ctx.out.counts().values())
            progress(
                f"{last:,}/{users:,} people, {written:,} rows, "
                f"{time.perf_counter() - started:.1f} s"
            )
