"""Writes: loading exchange rates and marketing spend. Idempotent upserts: loading the same
file twice changes nothing the second time; a changed figure replaces the stored one."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from analytics.metrics.models import FxRate, MarketingSpend

from .imports import SpendRow

BATCH_SIZE = 1000


@dataclass(frozen=True, slots=True)
class UpsertSummary:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def fx_rates_upsert(
    *, rates: Sequence[tuple[datetime.date, str, Decimal]], dry_run: bool = False
) -> UpsertSummary:
    """Store ECB reference rates (day, currency, units per euro): new ones are added, changed
    ones replaced. With `dry_run`, count only."""
    if not rates:
        return UpsertSummary(0, 0, 0)
    days = [day for day, _currency, _rate in rates]
    existing = {
        (day, currency): (pk, rate)
        for pk, day, currency, rate in FxRate.objects.select_for_update()
        .filter(currency__in={c for _d, c, _r in rates}, day__gte=min(days), day__lte=max(days))
        .values_list("pk", "day", "currency", "rate_per_eur")
    }
    new, changed, unchanged = [], [], 0
    for day, currency, rate in rates:
        stored = existing.get((day, currency))
        if stored is None:
            new.append(FxRate(day=day, currency=currency, rate_per_eur=rate))
        elif stored[1] != rate:
            changed.append(FxRate(pk=stored[0], day=day, currency=currency, rate_per_eur=rate))
        else:
            unchanged += 1
    if not dry_run:
        FxRate.objects.bulk_create(new, batch_size=BATCH_SIZE)
        FxRate.objects.bulk_update(changed, ["rate_per_eur"], batch_size=BATCH_SIZE)
    return UpsertSummary(len(new), len(changed), unchanged)


@transaction.atomic
def marketing_spend_upsert(*, rows: Sequence[SpendRow], dry_run: bool = False) -> UpsertSummary:
    """Store spend per channel and month: a channel's month already stored is replaced
    (amount, currency, note). With `dry_run`, count only."""
    if not rows:
        return UpsertSummary(0, 0, 0)
    existing = {
        (spend.channel, spend.month): spend
        for spend in MarketingSpend.objects.select_for_update().filter(
            channel__in={row.channel for row in rows},
            month__gte=min(row.month for row in rows),
            month__lte=max(row.month for row in rows),
        )
    }
    new, changed, unchanged = [], [], 0
    for row in rows:
        stored = existing.get((row.channel, row.month))
        if stored is None:
            new.append(
                MarketingSpend(
                    channel=row.channel,
                    month=row.month,
                    amount=row.amount,
                    currency=row.currency,
                    note=row.note,
                )
            )
        elif (stored.amount, stored.currency, stored.note) != (row.amount, row.currency, row.note):
            stored.amount, stored.currency, stored.note = row.amount, row.currency, row.note
            changed.append(stored)
        else:
            unchanged += 1
    if not dry_run:
        MarketingSpend.objects.bulk_create(new, batch_size=BATCH_SIZE)
        MarketingSpend.objects.bulk_update(
            changed, ["amount", "currency", "note"], batch_size=BATCH_SIZE
        )
    return UpsertSummary(len(new), len(changed), unchanged)
