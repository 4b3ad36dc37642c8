"""Load the ECB's euro reference rates into FxRate (both of the ECB's CSV formats)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from analytics.metrics.revenue.imports import FileInvalid, parse_ecb_csv
from analytics.metrics.revenue.services import fx_rates_upsert

# An ECB history file is about 2 MB; anything far larger is not one.
MAX_BYTES = 50 * 1024 * 1024


def read_file(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path}: no such file.")
    if file.stat().st_size > MAX_BYTES:
        raise CommandError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB.")
    return file.read_bytes()


class Command(BaseCommand):
    help = (
        "Load euro reference rates from an ECB CSV file: eurofxref.csv (one day) or "
        "eurofxref-hist.csv (every day since 1999), from "
        "https://www.ecb.europa.eu/stats/eurofxref/. New rates are added, changed ones "
        "replaced; loading a file again changes nothing. A file with any bad line is refused "
        "whole."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Path to eurofxref.csv or eurofxref-hist.csv.")
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, file: str, dry_run: bool = False, **options) -> None:
        try:
            parsed = parse_ecb_csv(read_file(file))
        except FileInvalid as invalid:
            raise CommandError(f"{file} was not loaded:\n" + "\n".join(invalid.errors)) from None
        summary = fx_rates_upsert(rates=parsed.rates, dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{file}: {len(parsed.rates)} rates for {len(parsed.currencies)} currencies on "
            f"{parsed.days} days ({parsed.not_quoted} not quoted, N/A). "
            f"{summary.created} {verb} added, {summary.updated} {verb} changed, "
            f"{summary.unchanged} already stored."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
