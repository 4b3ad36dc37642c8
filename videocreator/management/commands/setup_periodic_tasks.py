import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import (
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    PeriodicTasks,
)

from videocreator.periodic import MANAGED_PREFIX, PERIODIC_TASKS, PeriodicTaskSpec


def _schedule_fields(spec: PeriodicTaskSpec) -> dict:
    if spec.every_seconds:
        interval, _ = IntervalSchedule.objects.get_or_create(
            every=spec.every_seconds, period=IntervalSchedule.SECONDS
        )
        return {"interval": interval, "crontab": None}
    minute, hour, day_of_month, month_of_year, day_of_week = spec.crontab.split()
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        day_of_week=day_of_week,
        timezone="UTC",
    )
    return {"interval": None, "crontab": crontab}


class Command(BaseCommand):
    help = "Sync the periodic tasks defined in videocreator/periodic.py into django-celery-beat."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Show what would change.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        created = updated = unchanged = disabled = 0
        with transaction.atomic():
            wanted = set()
            for spec in PERIODIC_TASKS:
                name = MANAGED_PREFIX + spec.name
                wanted.add(name)
                fields = {
                    "task": spec.task,
                    "enabled": True,
                    "queue": spec.queue,
                    "kwargs": json.dumps({}),
                    **_schedule_fields(spec),
                }
                task = PeriodicTask.objects.filter(name=name).first()
                if task is None:
                    created += 1
                    self.stdout.write(f"create  {name} → {spec.task}")
                    if not dry_run:
                        PeriodicTask.objects.create(name=name, **fields)
                    continue
                changes = {k: v for k, v in fields.items() if getattr(task, k) != v}
                if not changes:
                    unchanged += 1
                    continue
                updated += 1
                self.stdout.write(f"update  {name}: {', '.join(sorted(changes))}")
                if not dry_run:
                    for key, value in changes.items():
                        setattr(task, key, value)
                    task.save()
            stale = PeriodicTask.objects.filter(
                name__startswith=MANAGED_PREFIX, enabled=True
            ).exclude(name__in=wanted)
            for task in stale:
                disabled += 1
                self.stdout.write(f"disable {task.name} (no longer defined)")
            if not dry_run and disabled:
                stale.update(enabled=False)
                # A bulk update sends no signals; tell beat its schedule changed.
                PeriodicTasks.update_changed()
            if dry_run:
                transaction.set_rollback(True)
        prefix = "Dry run: would have " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{created} created, {updated} updated, {unchanged} unchanged, "
                f"{disabled} disabled."
            )
        )
