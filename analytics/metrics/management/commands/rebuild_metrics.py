"""Recompute the daily rollup (analytics.metrics.rollups) for a range of days."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from analytics.metrics import rollups
from analytics.metrics.revenue import FxRateMissing

# Ranges are rebuilt a year at a time: memory stays bounded whatever the history's length.
CHUNK_DAYS = 366


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = (
        "Recompute the daily business figures (MRR, CMRR, movements, paying workspaces, "
        "DAU/WAU/MAU, sign-ups, videos created) and the dashboard funnel's entries from "
        "--since to --until (default today), "
        "replacing what was stored for those days. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--since", required=True, help="First day (YYYY-MM-DD, UTC).")
        parser.add_argument("--until", help="Last day (YYYY-MM-DD, UTC); default today.")
        parser.add_argument("--dry-run", action="store_true", help="Compute, store nothing.")

    def handle(self, *args, since: str, until: str | None, dry_run: bool, **options) -> None:
        start = _date(since)
        end = _date(until) if until else timezone.now().date()
        if end < start:
            raise CommandError("--until is before --since.")
        if (end - start).days > 20 * 366:
            raise CommandError("At most twenty years at a time.")
        started = time.perf_counter()
        written = entries = 0
        chunk_start = start
        try:
            while chunk_start <= end:
                chunk_end = min(end, chunk_start + dt.timedelta(days=CHUNK_DAYS - 1))
                if dry_run:
                    written += len(rollups.daily_figures(start=chunk_start, end=chunk_end))
                else:
                    stored = rollups.rollups_write(start=chunk_start, end=chunk_end)
                    written += stored.figures
                    entries += stored.funnel_entries
                chunk_start = chunk_end + dt.timedelta(days=1)
        except FxRateMissing as missing:
            raise CommandError(str(missing)) from None
        days = (end - start).days + 1
        verb = "computed (dry run, nothing stored)" if dry_run else "stored"
        self.stdout.write(
            f"{written} figures and {entries} funnel entries for {days} days "
            f"({start} to {end}) {verb} "
            f"in {time.perf_counter() - started:.1f} s."
        )
