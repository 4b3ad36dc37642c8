"""Generate a business history for the metrics and dashboards (analytics.metrics.seeding)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from analytics.metrics.seeding import (
    DEFAULT_PASSWORD,
    EMAIL_DOMAIN,
    MODELS,
    SeededDataExists,
    analyze,
    check_arguments,
    seed_history,
    seed_reset,
)


def until_day(value: str) -> dt.datetime:
    """The history's last day: it ends at the end of that day (UTC)."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--until: {value!r} is not a date like 2026-12-31.") from None
    if not 2000 <= day.year <= 2999:
        raise CommandError("--until: give a date between 2000 and 2999.")
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)


class Command(BaseCommand):
    help = (
        "Generate a realistic history with bulk inserts: N accounts signing up over M months "
        "from marketing channels (visitors, UTM page views, touches), confirming, coming back, "
        "making, rendering and publishing videos, buying Pro (coupons, monthly and annual, "
        "switches with unused-time credit, cancellations, declined renewals, refunds, churn, "
        "returns), plus exchange rates for every day and marketing spend per channel and month. "
        f"Seeded accounts use the domain @{EMAIL_DOMAIN}; the same --seed gives the same "
        "history. --reset removes a previous run's data first."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--users", type=int, default=2000, help="Accounts (default 2000).")
        parser.add_argument("--months", type=int, default=12, help="Months of history.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--until",
            type=until_day,
            default=None,
            help="Last day of the history (YYYY-MM-DD, UTC; default: up to now).",
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Every seeded account's password (default {DEFAULT_PASSWORD!r}).",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Remove a previous run's data first."
        )
        parser.add_argument(
            "--reset-only", action="store_true", help="Remove a previous run's data and stop."
        )
        parser.add_argument("--dry-run", action="store_true", help="Count, write nothing.")

    def handle(self, *args, users, months, seed, until, password, reset, reset_only, dry_run,
               **options) -> None:  # fmt: skip
        if isinstance(until, str):  # call_command(until="…") skips the parser's conversion
            until = until_day(until)
        try:
            check_arguments(users=users, months=months)
        except ValueError as error:
            raise CommandError(str(error)) from None
        summary = None
        if dry_run:  # everything in one transaction, rolled back
            with transaction.atomic():
                if reset or reset_only:
                    self._report(seed_reset(), dry_run=True)
                if not reset_only:
                    summary = self._seed(users, months, seed, until, password, dry_run=True)
                transaction.set_rollback(True)
        else:
            if reset or reset_only:
                # A transaction of its own, then fresh planner statistics (see seeding.reset).
                with transaction.atomic():
                    self._report(seed_reset(), dry_run=False)
                analyze(MODELS)
            if not reset_only:
                with transaction.atomic():
                    summary = self._seed(users, months, seed, until, password, dry_run=False)
        if summary is None:
            return
        verb = "Would write" if dry_run else "Wrote"
        self.stdout.write(
            f"{verb} {summary.total_rows:,} rows in {summary.seconds:.1f} s: {users:,} accounts "
            f"over {months} months ({summary.start:%Y-%m-%d} to {summary.end:%Y-%m-%d %H:%M} "
            f"UTC), seed {seed}."
        )
        for label, count in sorted(summary.rows.items()):
            self.stdout.write(f"  {label}: {count:,}")
        if not dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Sign in as any seeded account (…@{EMAIL_DOMAIN}) with the password "
                    f"{password!r}; `--reset-only` removes them."
                )
            )

    def _seed(self, users, months, seed, until, password, *, dry_run: bool):
        try:
            return seed_history(
                users=users,
                months=months,
                seed=seed,
                now=until,
                password=password,
                dry_run=dry_run,
                progress=lambda line: self.stdout.write(f"  {line}"),
            )
        except (SeededDataExists, LookupError) as error:  # LookupError: plans or templates gone
            raise CommandError(str(error)) from None

    def _report(self, removed: dict[str, int], *, dry_run: bool) -> None:
        listed = ", ".join(f"{label} {count:,}" for label, count in removed.items())
        verb = "Would remove" if dry_run else "Removed"
        total = sum(removed.values())
        self.stdout.write(f"{verb} {total:,} seeded rows" + (f": {listed}" if listed else "."))
