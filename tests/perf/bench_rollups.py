"""Rebuilding the daily rollup for 24 months against one hand-written SQL pass.

The data: `manage.py seed_analytics --users BENCH_ROLLUP_USERS (default 100,000) --months 24`
(about a million events). The baseline is one SQL statement per series, written here by hand
for PostgreSQL: daily MRR in the reporting currency (each invoice's period, from its start to
the next invoice or the subscription's end, its recurring amount normalised to a month and
converted at its first day's rate, rounded half up per workspace) and daily active users (DAU,
WAU, MAU over the key actions). The rollup (`rebuild_metrics`) computes those and every other
daily figure through the metric functions, with the per-workspace MRR movements and the
dashboard funnel's entries that the revenue and funnel sections read; both answers are compared
day by day.

Issue 14's targets: the rebuild within 1.5× the baseline's time, and under 60 s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_rollups \\
        .venv/bin/pytest tests/perf/bench_rollups.py -s -p no:cacheprovider \\
        --override-ini="addopts="
"""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from analytics.metrics import rollups
from analytics.metrics.engagement import KEY_ACTIONS
from analytics.metrics.models import DailyMetric
from analytics.metrics.revenue import reporting_currency

USERS = int(os.environ.get("BENCH_ROLLUP_USERS", "100000"))
MONTHS = int(os.environ.get("BENCH_ROLLUP_MONTHS", "24"))

MRR_SQL = """
WITH invoices AS (
    SELECT i.id, i.workspace_id, i.subscription_id, i.period_start, i.issued_at, i.currency,
           CASE p.interval WHEN 'year' THEN 12 ELSE 1 END AS months,
           GREATEST(0, COALESCE(lines.amount, 0)
               - CASE WHEN c.duration IN ('repeating', 'forever') THEN i.discount ELSE 0 END
           ) AS amount,
           LEAD(i.period_start) OVER (
               PARTITION BY i.workspace_id ORDER BY i.period_start, i.issued_at, i.id
           ) AS next_start
    FROM billing_invoice i
    JOIN billing_plan p ON p.id = i.plan_id
    LEFT JOIN billing_coupon c ON c.id = i.coupon_id
    LEFT JOIN (
        SELECT invoice_id, SUM(amount) AS amount FROM billing_invoiceline
        WHERE kind = 'plan' GROUP BY invoice_id
    ) lines ON lines.invoice_id = i.id
    WHERE i.status <> 'void'
), periods AS (
    SELECT inv.workspace_id, inv.period_start, inv.amount, inv.months, inv.currency,
           LEAST(
               COALESCE(inv.next_start, 'infinity'),
               COALESCE((
                   SELECT MIN(sc.created_at) FROM billing_subscriptionchange sc
                   WHERE sc.subscription_id = inv.subscription_id AND sc.kind = 'ended'
                     AND sc.created_at >= inv.issued_at
               ), 'infinity')
           ) AS period_end,
           (SELECT r.rate_per_eur FROM metrics_fxrate r
            WHERE r.currency = inv.currency AND r.day <= (inv.period_start AT TIME ZONE 'UTC')::date
            ORDER BY r.day DESC LIMIT 1) AS source_rate,
           (SELECT r.rate_per_eur FROM metrics_fxrate r
            WHERE r.currency = %(currency)s AND r.day <= (inv.period_start AT TIME ZONE 'UTC')::date
            ORDER BY r.day DESC LIMIT 1) AS target_rate
    FROM invoices inv
), valued AS (
    SELECT period_start, period_end,
           FLOOR(amount::numeric / months
                 * CASE WHEN currency = %(currency)s THEN 1
                        ELSE COALESCE(target_rate, 1) / COALESCE(source_rate, 1) END
                 + 0.5)::bigint AS mrr
    FROM periods
)
SELECT day::date, COALESCE(SUM(v.mrr), 0)
FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS day
LEFT JOIN valued v
  ON v.period_start < (day + interval '1 day') AT TIME ZONE 'UTC'
 AND v.period_end >= (day + interval '1 day') AT TIME ZONE 'UTC'
 AND v.mrr > 0
GROUP BY day ORDER BY day
"""

ACTIVE_SQL = """
WITH active AS (
    SELECT DISTINCT actor_id, (occurred_at AT TIME ZONE 'UTC')::date AS day
    FROM analytics_event
    WHERE name = ANY(%(names)s) AND actor_id IS NOT NULL
      AND occurred_at >= (%(start)s::date - 29) AND occurred_at < (%(end)s::date + 1)
)
SELECT d::date,
       COUNT(DISTINCT a.actor_id) FILTER (WHERE a.day = d::date),
       COUNT(DISTINCT a.actor_id) FILTER (WHERE a.day > d::date - 7),
       COUNT(DISTINCT a.actor_id)
FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS d
LEFT JOIN active a ON a.day <= d::date AND a.day > d::date - 30
GROUP BY d ORDER BY d
"""


def _baseline(start: dt.date, end: dt.date, currency: str) -> tuple[dict, dict]:
    with connection.cursor() as cursor:
        cursor.execute(MRR_SQL, {"currency": currency, "start": start, "end": end})
        mrr = dict(cursor.fetchall())
        cursor.execute(ACTIVE_SQL, {"names": list(KEY_ACTIONS), "start": start, "end": end})
        active = {day: (dau, wau, mau) for day, dau, wau, mau in cursor.fetchall()}
    return mrr, active


@pytest.mark.timeout(3600)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rebuild_against_hand_written_sql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The baseline is PostgreSQL SQL; run with DATABASE_URL set.")
    started = time.perf_counter()
    call_command("seed_analytics", users=USERS, months=MONTHS, seed=14)
    seeded = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    end = timezone.now().date()
    start = (end - dt.timedelta(days=MONTHS * 30.44)).replace(day=1)
    currency = reporting_currency()

    started = time.perf_counter()
    mrr, active = _baseline(start, end, currency)
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    call_command("rebuild_metrics", "--since", start.isoformat(), "--until", end.isoformat())
    rebuild = time.perf_counter() - started

    stored = {
        (day, key): value
        for day, key, value in DailyMetric.objects.filter(
            key__in=["mrr", "dau", "wau", "mau"], currency__in=["", currency]
        ).values_list("day", "key", "value")
    }
    days = (end - start).days + 1
    mismatched = [
        day
        for day in mrr
        if stored[(day, "mrr")] != mrr[day]
        or (stored[(day, "dau")], stored[(day, "wau")], stored[(day, "mau")]) != active[day]
    ]
    print(
        f"\nseed_analytics --users {USERS:,} --months {MONTHS}: {seeded:.1f} s; "
        f"{DailyMetric.objects.count():,} daily figures for {days} days "
        f"({len(rollups.KEYS)} kinds)"
    )
    print(f"hand-written SQL (daily MRR + DAU/WAU/MAU): {baseline:6.1f} s")
    print(f"rebuild_metrics (every rollup):              {rebuild:6.1f} s")
    print("  (the daily figures, each day's MRR movements and the dashboard funnel's entries)")
    print(f"ratio: {rebuild / baseline:.2f}× the baseline (goal ≤ 1.5×); goal < 60 s")
    print(f"days whose MRR or active users differ from the SQL: {len(mismatched)}")
    assert not mismatched, mismatched[:5]
