"""Who buys Pro, when, and what happens to the subscription until today: renewals, coupons
running out, switches between monthly and annual, cancellations (some undone), declined
renewals that recover or end on Free, refunds, and people who come back after churning.

Most of it is drawn at the rates of `catalog`; the first buyers with enough time ahead of
them live the storylines of `catalog.STORYLINES` instead, so that even a small history has
each kind of change (a switch each way with its unused-time credit, a recovered and a failed
dunning, a cancellation undone, a churn, a return, a refund).
"""

from __future__ import annotations

import datetime as dt
import random

from billing.models import PaymentStatus, SubscriptionStatus
from billing.services import RETRY_DAYS

from . import catalog
from .billing_rows import write_ledger
from .catalog import Storyline
from .context import Context, CouponRow, PlanRow, after, between
from .lifecycle import SubscriptionLedger
from .people import Person

MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)
TWO_WEEKS = dt.timedelta(days=14)
# The renewal task runs every 15 minutes, the retry task every hour (videocreator/periodic.py).
RENEWAL_EVERY = 15 * 60
RETRY_EVERY = 60 * 60

Interval = tuple[dt.datetime, dt.datetime]


def billing_story(ctx: Context, rng: random.Random, person: Person) -> list[Interval]:
    """Write the workspace's billing; returns when it was on Pro (end: now if still paid)."""
    ledger = SubscriptionLedger(ctx=ctx, rng=rng, person=person)
    on_pro: list[Interval] = []
    if person.behaviour is not None and person.visits:
        if rng.random() < person.behaviour.upgrade:
            at = _upgrade_moment(rng, person)
            story = None
            if ctx.storylines and at < ctx.now - catalog.STORYLINE_ROOM:
                story = ctx.storylines.pop(0)
            _subscribe(ctx, rng, ledger, at, on_pro, story)
        elif rng.random() < catalog.ABANDONED_CHECKOUT_SHARE:
            at = after(rng, rng.choice(person.visits), seconds=900)
            if at < ctx.now:
                ledger.checkout_abandoned(at, _plan(ctx, rng))
    ledger.wait_for_refunds()
    write_ledger(ledger)
    return on_pro


def _upgrade_moment(rng: random.Random, person: Person) -> dt.datetime:
    early = [visit for visit in person.visits if visit - person.joined_at < TWO_WEEKS]
    visits = early if early and rng.random() < catalog.EARLY_UPGRADE_SHARE else person.visits
    return after(rng, rng.choice(visits), seconds=1200)


def _plan(ctx: Context, rng: random.Random) -> PlanRow:
    return ctx.plans["pro-annual" if rng.random() < catalog.ANNUAL_SHARE else "pro-monthly"]


def _coupon(ctx: Context, rng: random.Random, currency: str) -> CouponRow | None:
    draw = rng.random()
    for spec in catalog.COUPONS:
        if draw < spec.share:
            return _valid(ctx.coupons[spec.code], currency)
        draw -= spec.share
    return None


def _valid(coupon: CouponRow, currency: str) -> CouponRow | None:
    # An amount off is only valid in its own currency (billing refuses it otherwise).
    return coupon if coupon.amount_off is None or coupon.currency == currency else None


def _subscribe(ctx, rng, ledger: SubscriptionLedger, at, on_pro, story: Storyline | None):
    """A checkout (a declined card first, sometimes), then the subscription's life; after a
    churn, maybe a return."""
    first = True
    while True:
        currency = ledger.person.currency
        if story is not None and first:
            plan = ctx.plans[story.plan]
            coupon = _valid(ctx.coupons[story.coupon], currency) if story.coupon else None
            declined = story.declined_checkout
        else:
            plan = _plan(ctx, rng)
            coupon = _coupon(ctx, rng, currency) if first else None
            declined = rng.random() < catalog.CHECKOUT_DECLINED_SHARE
        if declined and at + 10 * MINUTE < ctx.now:
            ledger.checkout_declined(at, plan, coupon)
            at += dt.timedelta(minutes=rng.uniform(5, 30))
        if at + 5 * MINUTE >= ctx.now:
            return
        if ledger.card == "decline":  # set right on the sandbox's payment page before paying
            ledger.card = "ok"
        started = ledger.checkout(at, plan, coupon)
        ended = _live(ctx, rng, ledger, story if first else None)
        on_pro.append((started, ended or ctx.now))
        if story is not None and first and story.refund:
            _refund_half(ctx, rng, ledger)
        if ended is None:
            return
        if story is not None and first and story.returns_after_days is not None:
            at = ended + dt.timedelta(days=story.returns_after_days)
        elif rng.random() < catalog.REACTIVATION_SHARE:
            at = ended + dt.timedelta(days=rng.expovariate(1 / catalog.REACTIVATION_MEAN_DAYS))
        else:
            return
        if at >= ctx.now:
            return
        first = False


def _refund_half(ctx: Context, rng: random.Random, ledger: SubscriptionLedger) -> None:
    paid = [p for p in ledger.payments if p.status == PaymentStatus.SUCCEEDED and p.amount > 1]
    if paid:
        at = paid[-1].created_at + dt.timedelta(hours=rng.uniform(2, 48))
        if at < ctx.now:
            ledger.refund(at, paid[-1], paid[-1].amount // 2)


def _live(ctx, rng, ledger: SubscriptionLedger, story: Storyline | None) -> dt.datetime | None:
    """Period after period until today; returns when the plan ended (None: still on it)."""
    person = ledger.person
    leaving_decided = story is not None
    period = 0
    while True:
        start, end = ledger.period
        monthly = ledger.plan.interval == "month"
        cancel_at = switch_at = None
        if story is not None:
            if period == story.cancel_in_period:
                cancel_at = between(rng, start, start + (end - start) / 2)
            if period == story.switch_in_period:  # early on: within the storyline's room
                length = end - start
                earliest, latest = min(length / 6, 20 * DAY), min(length / 3, 50 * DAY)
                switch_at = between(rng, start + earliest, start + latest)
            declined = period + 1 == story.declined_renewal
        else:
            if not leaving_decided and person.active_until and person.active_until < end:
                leaving_decided = True  # they stopped using the product: many cancel soon after
                if rng.random() < catalog.CANCEL_WHEN_LEAVING:
                    cancel_at = max(person.active_until, start) + dt.timedelta(
                        days=rng.uniform(0, 7)
                    )
            if cancel_at is None and rng.random() < (
                catalog.CANCEL_PER_MONTH if monthly else catalog.CANCEL_PER_YEAR
            ):
                cancel_at = between(rng, start, end)
            if rng.random() < (
                catalog.SWITCH_TO_ANNUAL_PER_MONTH
                if monthly
                else catalog.SWITCH_TO_MONTHLY_PER_YEAR
            ):
                switch_at = between(rng, start, end)
            declined = rng.random() < catalog.CARD_DECLINES_PER_PERIOD
        period += 1
        if (
            switch_at is not None
            and switch_at < ctx.now
            and not ledger.cancel_at_period_end
            and (cancel_at is None or switch_at < cancel_at)
        ):
            ledger.switch(switch_at, ctx.plans["pro-annual" if monthly else "pro-monthly"])
            continue
        if cancel_at is not None and cancel_at < min(end, ctx.now):
            ledger.cancel(cancel_at)
            resume_at = between(rng, cancel_at, end)
            resume = story.resume if story is not None else rng.random() < catalog.RESUME_SHARE
            if resume and resume_at < ctx.now:
                ledger.resume(resume_at)
        renew_at = end + dt.timedelta(seconds=rng.uniform(1, RENEWAL_EVERY))
        if renew_at >= ctx.now:
            return None  # the current period runs on; the renewal task takes it from here
        if ledger.cancel_at_period_end:
            ledger.end(renew_at, "canceled")
            return renew_at
        if declined:
            ledger.card = "decline"
        ledger.renew(renew_at, declined=declined)
        if ledger.status == SubscriptionStatus.PAST_DUE:
            ended = _dunning(ctx, rng, ledger, story)
            if ended is not None or ledger.status == SubscriptionStatus.PAST_DUE:
                return ended


def _dunning(ctx, rng, ledger: SubscriptionLedger, story: Storyline | None) -> dt.datetime | None:
    """Retries on days 1, 3 and 5: the owner fixes the card before one of them, or the last
    failure moves the workspace to Free (returned: when). None while still retrying, or paid."""
    if story is not None:
        fixed_before = story.fixed_before_retry
    elif rng.random() < catalog.CARD_FIXED_SHARE:
        fixed_before = rng.randrange(len(RETRY_DAYS))
    else:
        fixed_before = None
    for attempt in range(len(RETRY_DAYS)):
        retry_at = ledger.next_retry_at + dt.timedelta(seconds=rng.uniform(1, RETRY_EVERY))
        if retry_at >= ctx.now:
            return None
        if fixed_before is not None and attempt >= fixed_before:
            ledger.card = "ok"
            ledger.retry(retry_at, declined=False)
            return None
        ledger.retry(retry_at, declined=True)
        if ledger.plan is None:
            return retry_at
    return None
