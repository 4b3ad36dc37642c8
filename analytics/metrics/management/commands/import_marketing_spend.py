"""Import marketing spend per channel and month from a CSV file into MarketingSpend."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from analytics.metrics.revenue.imports import FileInvalid, parse_spend_csv
from analytics.metrics.revenue.services import marketing_spend_upsert

from .load_fx_rates import read_file


class Command(BaseCommand):
    help = (
        "Import marketing spend from a CSV file with the header channel,month,amount,currency"
        "[,note]: month as 2026-03, amount in major units (1234.56). A channel's month already "
        "stored is replaced; importing a file again changes nothing. A file with any bad line "
        "is refused whole."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Path to the CSV file.")
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, file: str, dry_run: bool = False, **options) -> None:
        try:
            rows = parse_spend_csv(read_file(file))
        except FileInvalid as invalid:
            raise CommandError(f"{file} was not imported:\n" + "\n".join(invalid.errors)) from None
        summary = marketing_spend_upsert(rows=rows, dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        channels = len({row.channel for row in rows})
        self.stdout.write(
            f"{file}: {len(rows)} rows for {channels} channels. {summary.created} {verb} added, "
            f"{summary.updated} {verb} changed, {summary.unchanged} already stored."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
