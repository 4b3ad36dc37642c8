"""The rows the history points at or adds up to: plans and templates (read), the seed's coupons
(made once), exchange rates for every day, marketing spend per paid channel and month, and the
templates' use counters.

Exchange rates follow a mean-reverting random walk that depends only on the currency and the
day, not on the seed, and carry six decimals with a non-zero last one: the ECB publishes at
most five, so `--reset` can tell a generated rate from a loaded one exactly (a generated rate
that was corrected since is kept too). Days that already have a rate keep it.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F

from analytics.metrics.models import FxRate, MarketingSpend
from billing.models import Coupon, Plan, Tier
from billing.services import FREE_PLAN_KEY, plan_name
from videos.fields import clean_fields
from videos.models import Template, TemplateTier

from . import catalog
from .context import CouponRow, PlanRow, TemplateRow

FX_EPOCH = dt.date(1999, 1, 4)  # the euro's first reference rates
FX_CURRENCIES = tuple(catalog.FX_CENTRES)


def paid_plans() -> tuple[int, dict[str, PlanRow]]:
    plans = {}
    for plan in Plan.objects.filter(tier=Tier.PRO).prefetch_related("prices"):
        prices = {price.currency: price.amount for price in plan.prices.all()}
        plans[plan.key] = PlanRow(
            plan.pk, plan.key, plan.name, plan_name(plan), plan.interval, prices
        )
    missing = {"pro-monthly", "pro-annual"} - set(plans)
    if missing:
        raise LookupError(f"The plans {', '.join(sorted(missing))} are missing: run migrate.")
    return Plan.objects.get(key=FREE_PLAN_KEY).pk, plans


def templates() -> list[TemplateRow]:
    rows = []
    for template in Template.objects.filter(is_active=True).order_by("pk"):
        try:
            fields = clean_fields(template, {})
        except ValidationError:  # a required field without a default: left empty
            fields = {field["name"]: field.get("default") for field in template.fields}
        rows.append(
            TemplateRow(
                id=template.pk,
                key=template.key,
                is_pro=template.tier == TemplateTier.PRO,
                duration=template.duration,
                min_duration=template.min_duration,
                max_duration=template.max_duration,
                aspect_ratio=template.aspect_ratio,
                fields=fields,
            )
        )
    if not any(not row.is_pro for row in rows):
        raise LookupError("There is no active free template: run migrate.")
    return rows


def coupons() -> tuple[dict[str, CouponRow], int]:
    """The seed's coupons, made the first time (an edited one is used as it is), and how many
    were made now."""
    rows, made = {}, 0
    for spec in catalog.COUPONS:
        coupon, created = Coupon.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "percent_off": spec.percent_off,
                "amount_off": spec.amount_off,
                "currency": spec.currency,
                "duration": spec.duration,
                "duration_months": spec.duration_months,
            },
        )
        rows[spec.code] = CouponRow(
            coupon.pk,
            coupon.code,
            coupon.duration,
            coupon.percent_off,
            coupon.amount_off,
            coupon.currency,
            coupon.duration_months,
        )
        made += created
    return rows, made


def template_uses_add(uses: Counter) -> None:
    """`video_create` adds one to its template's counter per video."""
    for template_id, count in uses.items():
        Template.objects.filter(pk=template_id).update(usage_count=F("usage_count") + count)


# -- exchange rates ------------------------------------------------------------------------------


_WALKS: dict[str, tuple[random.Random, list[float], list[Decimal]]] = {}


def _walk(currency: str, last: dt.date) -> list[Decimal]:
    """The currency's rates from FX_EPOCH to at least `last`, one per day (computed once)."""
    if currency not in _WALKS:
        _WALKS[currency] = (
            random.Random(f"fx/{currency}"),
            [math.log(catalog.FX_CENTRES[currency])],
            [],
        )
    rng, level, rates = _WALKS[currency]
    centre = math.log(catalog.FX_CENTRES[currency])
    while len(rates) <= (last - FX_EPOCH).days:
        level[0] += catalog.FX_MEAN_REVERSION * (centre - level[0])
        level[0] += rng.gauss(0, catalog.FX_DAILY_VOLATILITY)
        micro = round(math.exp(level[0]) * 1_000_000)
        if micro % 10 == 0:
            micro += 1  # a sixth decimal no ECB rate has
        rates.append(Decimal(micro).scaleb(-6))
    return rates


def generated_rate(currency: str, day: dt.date) -> Decimal:
    """The rate the seed writes for `currency` on `day` (units per euro)."""
    return _walk(currency, day)[(day - FX_EPOCH).days]


def fx_rates_add(*, first: dt.date, last: dt.date) -> int:
    """A rate for every day and currency the history needs, where none is stored yet."""
    stored = set(
        FxRate.objects.filter(
            currency__in=FX_CURRENCIES, day__gte=first, day__lte=last
        ).values_list("currency", "day")
    )
    rows = []
    for currency in FX_CURRENCIES:
        walk = _walk(currency, last)
        day = first
        while day <= last:
            if (currency, day) not in stored:
                rates = walk[(day - FX_EPOCH).days]
                rows.append(FxRate(day=day, currency=currency, rate_per_eur=rates))
            day += dt.timedelta(days=1)
    FxRate.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def is_generated_rate(currency: str, day: dt.date, rate: Decimal) -> bool:
    if currency not in FX_CURRENCIES or day < FX_EPOCH:
        return False
    return generated_rate(currency, day) == rate


# -- marketing spend -----------------------------------------------------------------------------


def marketing_spend_add(*, visits: Counter, seed: int) -> int:
    """What each paid channel cost per month: its visitors of the month at its price per visit,
    give or take a tenth. A channel's month already stored (imported, edited) is kept."""
    rng = random.Random(f"{seed}/spend")
    by_key = {channel.key: channel for channel in catalog.PAID_CHANNELS}
    wanted = sorted((key, month, count) for (key, month), count in visits.items() if key in by_key)
    stored = set(
        MarketingSpend.objects.filter(channel__in=list(by_key)).values_list("channel", "month")
    )
    rows = []
    for key, month, count in wanted:
        noise = rng.uniform(0.9, 1.1)
        if (key, month) in stored:
            continue
        channel = by_key[key]
        rows.append(
            MarketingSpend(
                channel=key,
                month=month,
                amount=round(count * channel.spend_per_visit * noise),
                currency=channel.spend_currency,
                note=f"{catalog.SPEND_NOTE_PREFIX} {channel.spend_label}",
            )
        )
    MarketingSpend.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
