"""Feature adoption: the share of active workspaces that used each feature in the last 30 days.

A workspace is active when a key action was done in it in the window
(`engagement.WORKSPACE_KEY_ACTIONS`: a video created, rendered, scheduled or published). Each
feature is an entry of `FEATURES`: a key, a label and a function that returns, for a window,
the ids of the workspaces that used it, as a query (a `values("…")` queryset of workspace ids)
so that all of them are counted in one SQL query. `register_feature` adds one (outbound
webhooks, when they come).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ApiToken
from analytics.events import EventName
from analytics.models import Event
from teams.models import Membership, Team
from videos.models import Video

from .engagement import WORKSPACE_KEY_ACTIONS, day_start, ratio, whole_number

ADOPTION_DAYS = 30
MAX_ADOPTION_DAYS = 365

# (since, until) → the ids of the workspaces that used the feature in [since, until).
WorkspaceIds = Callable[[dt.datetime, dt.datetime], QuerySet]


@dataclass(frozen=True)
class Feature:
    key: str
    label: str | Promise
    workspaces: WorkspaceIds


def _events(condition: Q) -> WorkspaceIds:
    """A feature used when the workspace recorded an event matching `condition`."""

    def workspaces(since: dt.datetime, until: dt.datetime) -> QuerySet:
        return Event.objects.filter(
            condition, workspace__isnull=False, occurred_at__gte=since, occurred_at__lt=until
        ).values("workspace_id")

    return workspaces


def _custom_uploads(since: dt.datetime, until: dt.datetime) -> QuerySet:
    # No event says a video was made with the creator's own files: the video row does. Its
    # clip, or an image, logo or music field holding a key under the workspace's uploads/.
    return (
        Video.objects.filter(created_at__gte=since, created_at__lt=until)
        .filter(~Q(source_clip="") | Q(fields__icontains="/uploads/"))
        .values("workspace_id")
    )


def _api(since: dt.datetime, until: dt.datetime) -> QuerySet:
    # API tokens are personal and only their latest use is kept (`last_used_at`, to the
    # minute): a workspace used the API when one of its members' tokens was last used in the
    # window. A use followed by a later one outside the window is not seen.
    return Membership.objects.filter(
        user__in=ApiToken.objects.filter(last_used_at__gte=since, last_used_at__lt=until).values(
            "user_id"
        )
    ).values("team_id")


FEATURES: list[Feature] = [
    Feature("templates", gettext_lazy("Templates"), _events(Q(name=EventName.TEMPLATE_USED))),
    Feature("custom_uploads", gettext_lazy("Custom uploads"), _custom_uploads),
    Feature(
        "branding",
        gettext_lazy("Branding"),
        _events(
            Q(
                name__in=[
                    EventName.BRAND_KIT_CREATED,
                    EventName.VIDEO_BRANDING_REQUESTED,
                    EventName.VIDEO_BRANDED,
                ]
            )
            # A render with a brand kit applied (JSON null means "no kit").
            | (
                Q(name=EventName.VIDEO_RENDER_REQUESTED, properties__brand_kit__isnull=False)
                & ~Q(properties__brand_kit=None)
            )
        ),
    ),
    Feature(
        "versions",
        gettext_lazy("Versions"),
        # Every render makes a version: using versions is a second one, or a restore.
        _events(
            Q(name=EventName.VIDEO_VERSION_RESTORED)
            | Q(name=EventName.VIDEO_VERSION_CREATED, properties__number__gte=2)
        ),
    ),
    Feature("exports", gettext_lazy("Exports"), _events(Q(name=EventName.EXPORT_CREATED))),
    Feature(
        "review_comments",
        gettext_lazy("Review comments"),
        _events(Q(name=EventName.COMMENT_CREATED)),
    ),
    Feature("scheduling", gettext_lazy("Scheduling"), _events(Q(name=EventName.VIDEO_SCHEDULED))),
    Feature("api", gettext_lazy("API"), _api),
]


def register_feature(feature: Feature) -> None:
    """Add a feature to the adoption table, or replace the one with its key."""
    for index, existing in enumerate(FEATURES):
        if existing.key == feature.key:
            FEATURES[index] = feature
            return
    FEATURES.append(feature)


def active_workspaces(*, since: dt.datetime, until: dt.datetime) -> QuerySet:
    """The ids of the workspaces with a key action in [since, until), as a query."""
    return Event.objects.filter(
        name__in=WORKSPACE_KEY_ACTIONS,
        workspace__isnull=False,
        occurred_at__gte=since,
        occurred_at__lt=until,
    ).values("workspace_id")


class FeatureAdoption(TypedDict):
    key: str
    label: str
    workspaces: int
    share: float | None


class Adoption(TypedDict):
    day: dt.date
    days: int
    since: dt.datetime
    until: dt.datetime
    active_workspaces: int
    features: list[FeatureAdoption]


def feature_adoption(*, day: dt.date, days: int = ADOPTION_DAYS) -> Adoption:
    """For the `days` UTC days ending with `day` (30 by default), the number of active
    workspaces and, for each feature, how many of them used it and their share of the active
    ones; ranked by share, most adopted first (ties keep `FEATURES`' order). A workspace that
    used a feature without being active does not count. One query."""
    days = whole_number(
        days,
        low=1,
        high=MAX_ADOPTION_DAYS,
        message=_("The period must be a whole number of days between 1 and %(max)s.")
        % {"max": MAX_ADOPTION_DAYS},
    )
    until = day_start(day) + dt.timedelta(days=1)
    since = until - dt.timedelta(days=days)
    features = list(FEATURES)
    counts = Team.objects.filter(pk__in=active_workspaces(since=since, until=until)).aggregate(
        active=Count("pk"),
        **{
            f"feature_{index}": Count("pk", filter=Q(pk__in=feature.workspaces(since, until)))
            for index, feature in enumerate(features)
        },
    )
    active = counts["active"]
    rows: list[FeatureAdoption] = [
        {
            "key": feature.key,
            "label": str(feature.label),
            "workspaces": counts[f"feature_{index}"],
            "share": ratio(counts[f"feature_{index}"], active),
        }
        for index, feature in enumerate(features)
    ]
    rows.sort(key=lambda row: -row["workspaces"])  # stable: ties keep the registry's order
    return {
        "day": day,
        "days": days,
        "since": since,
        "until": until,
        "active_workspaces": active,
        "features": rows,
    }
