"""Generate a workspace's publishing history at scale (videocreator.performance_data)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.services import user_create
from teams.models import Team
from teams.services.workspaces import workspace_create
from videocreator.performance_data import (
    PerformanceDataExists,
    PerformanceSummary,
    check_arguments,
    performance_seed,
)

OWNER_DOMAIN = "perf.example"  # reserved (RFC 2606): no real person has such an address
DEFAULT_PASSWORD = "seed-performance"  # noqa: S105 (a documented demo password)


class Command(BaseCommand):
    help = (
        "Generate, in one workspace, a few hundred videos from the starter templates published "
        "N times to YouTube, Instagram, TikTok, Facebook and X over the last days, with "
        "statistics snapshots at the poller's times (thinned to --snapshots), for the creators' "
        "dashboard and its benchmark. Without --workspace, a new workspace and owner are made. "
        "The same --seed gives the same history; a workspace takes one history only."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workspace", type=int, help="Workspace id (default: a new one).")
        parser.add_argument("--posts", type=int, default=10_000, help="Published posts.")
        parser.add_argument(
            "--snapshots", type=int, default=1_000_000, help="Statistics snapshots in all."
        )
        parser.add_argument("--days", type=int, default=365, help="Days of history (365).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"A new workspace's owner's password (default {DEFAULT_PASSWORD!r}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Generate, then roll back.")

    def handle(self, *args, workspace=None, posts, snapshots, days, seed, password,
               dry_run=False, **options) -> None:  # fmt: skip
        try:
            check_arguments(posts=posts, snapshots=snapshots, days=days)
        except ValueError as error:
            raise CommandError(str(error)) from None
        started = time.perf_counter()
        with transaction.atomic():
            team, owner = self._workspace(workspace, password)
            try:
                summary = performance_seed(
                    workspace=team,
                    posts=posts,
                    snapshots=snapshots,
                    days=days,
                    seed=seed,
                    progress=lambda line: self.stdout.write(f"  {line}"),
                )
            except (PerformanceDataExists, ValueError, LookupError) as error:
                raise CommandError(str(error)) from None
            if dry_run:
                transaction.set_rollback(True)
        self._report(summary, team, seconds=time.perf_counter() - started, dry_run=dry_run)
        if owner is not None and not dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Workspace {team.pk}: sign in as {owner.email} / {password} "
                    f"(the creators' dashboard: /analytics/?workspace={team.pk})"
                )
            )

    def _workspace(self, workspace_id: int | None, password: str) -> tuple[Team, User | None]:
        if workspace_id is not None:
            team = Team.objects.filter(pk=workspace_id).first()
            if team is None:
                raise CommandError(f"--workspace: there is no workspace {workspace_id}.")
            return team, None
        number = User.objects.filter(email__endswith=f"@{OWNER_DOMAIN}").count() + 1
        while User.objects.filter(email=f"owner{number}@{OWNER_DOMAIN}").exists():
            number += 1
        owner = user_create(email=f"owner{number}@{OWNER_DOMAIN}", password=password)
        return workspace_create(owner=owner, name=f"Performance Studio {number}"), owner

    def _report(
        self, summary: PerformanceSummary, team: Team, *, seconds: float, dry_run: bool
    ) -> None:
        rows = sum(summary.rows.values())
        verb = "Would write" if dry_run else "Wrote"
        platforms = ", ".join(
            f"{platform} {count:,}" for platform, count in sorted(summary.posts_by_platform.items())
        )
        self.stdout.write(
            f"{verb} {rows:,} rows into workspace {team.pk} ({team.name}) in {seconds:.1f} s "
            f"(generation and writing {summary.seconds:.1f} s, {rows / summary.seconds:,.0f} "
            f"rows/s): posts published {summary.start:%Y-%m-%d %H:%M} to "
            f"{summary.now:%Y-%m-%d %H:%M} UTC ({platforms}), videos from {summary.templates} "
            f"templates, {summary.polls:,} polls on the poller's schedule of which "
            f"{summary.rows['videos.PostSnapshot']:,} kept as snapshots."
        )
        for label, count in sorted(summary.rows.items()):
            self.stdout.write(f"  {label}: {count:,}")
