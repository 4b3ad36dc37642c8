"""How much of its plan's limits a workspace uses: the figures billing's page shows
(`settings.PLAN_USAGE_READERS` names `plan_usage`) and the checks in this app's services count
with the same definitions. README, *Payments → Usage*, defines each figure.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

from django.db.models import Count, F, Func, IntegerField, OuterRef, QuerySet, Subquery, Sum

from billing import entitlements
from teams.models import Team

from .models import BrandKit, ExportJob, RenderJob, RenderJobKind, RenderJobStatus, VideoVersion


class JSONArrayLength(Func):
    """The length of a JSON list column, on PostgreSQL (jsonb) and SQLite alike."""

    function = "json_array_length"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="jsonb_array_length", **extra)


def minutes_from_seconds(seconds: float | Decimal | None) -> Decimal:
    """Render seconds as minutes with one decimal, rounded up: 136 s is 2.3 minutes, 1 s is 0.1.
    Never shows less than was used, and the check counts exactly what the page shows."""
    tenths = math.ceil(Decimal(str(seconds or 0)) / 6)
    return Decimal(tenths) / 10


def finished_renders(
    workspace_id, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[RenderJob]:
    """Render jobs (not branding passes) that finished in [start, end): the ones that count."""
    return RenderJob.objects.filter(
        video__workspace_id=workspace_id,
        kind=RenderJobKind.RENDER,
        status=RenderJobStatus.DONE,
        finished_at__gte=start,
        finished_at__lt=end,
    )


def render_minutes_used(workspace: Team) -> Decimal:
    """Render minutes of the workspace's current usage month (one query)."""
    start, end = entitlements.usage_period(workspace)
    seconds = finished_renders(workspace.pk, start, end).aggregate(total=Sum("seconds"))["total"]
    return minutes_from_seconds(seconds)


def _per_workspace(queryset: QuerySet, value) -> Subquery:
    """The one-row subquery of `value` computed over `queryset` (already filtered to the
    outer workspace): an aggregate or the first row's value."""
    return Subquery(queryset.values(value)[:1], output_field=IntegerField())


def plan_usage(workspace: Team) -> dict[str, int | Decimal]:
    """Brand kits, the largest batch export and the most versions of one video, and render
    minutes, in one query."""
    start, end = entitlements.usage_period(workspace)
    outer = OuterRef("pk")
    kits = (
        BrandKit.objects.filter(workspace_id=outer)
        .order_by()
        .values("workspace_id")
        .annotate(n=Count("pk"))
    )
    largest_export = (
        ExportJob.objects.filter(workspace_id=outer, created_at__gte=start, created_at__lt=end)
        .annotate(n=JSONArrayLength(F("video_ids")))
        .order_by("-n")
    )
    most_versions = (
        VideoVersion.objects.filter(video__workspace_id=outer)
        .values("video_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    render_seconds = (
        finished_renders(outer, start, end)
        .order_by()
        .values("video__workspace_id")
        .annotate(s=Sum("seconds"))
    )
    row = (
        Team.objects.filter(pk=workspace.pk)
        .annotate(
            kits=_per_workspace(kits, "n"),
            largest_export=_per_workspace(largest_export, "n"),
            most_versions=_per_workspace(most_versions, "n"),
            render_seconds=Subquery(render_seconds.values("s")[:1]),
        )
        .values("kits", "largest_export", "most_versions", "render_seconds")
        .get()
    )
    return {
        "brand_kits": row["kits"] or 0,
        "batch_export_size": row["largest_export"] or 0,
        "versions_per_video": row["most_versions"] or 0,
        "render_minutes_per_month": minutes_from_seconds(row["render_seconds"]),
    }
