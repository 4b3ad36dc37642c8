"""What a workspace uses of each limit of its plan, for the billing page.

The figures of other apps come from the readers named in `settings.PLAN_USAGE_READERS`
(`videos.usage.plan_usage`, `integrations.usage.plan_usage`): billing may not import those apps,
and each app's own checks count with the same functions, so the page shows what is enforced.
README, *Payments → Usage*, defines every figure.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.utils import formats
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from teams.models import Membership, Team

from . import entitlements

logger = logging.getLogger(__name__)

# At or above this share of a limit, its row says it is near.
NEAR_SHARE = Decimal("0.8")

DEFINITIONS = {
    "brand_kits": _("Brand kits in this workspace."),
    "team_seats": _("Members of this workspace, owners included."),
    "batch_export_size": _("Videos in the largest batch export requested this month."),
    "versions_per_video": _(
        "Versions kept by the video that keeps the most. Each night the oldest beyond the limit "
        "are deleted, except the current one and ones still in review, export or scheduling."
    ),
    "scheduling_platforms": _(
        "Platforms with a connected account (disconnected accounts do not count)."
    ),
    "render_minutes_per_month": _(
        "Time spent rendering this month, in minutes rounded up to a tenth; branding is free."
    ),
}

STATES = {
    "near": _("Near the limit"),
    "at": _("At the limit"),
    "over": _("Over the limit"),
}


def usage_figures(workspace: Team) -> dict[str, int | Decimal]:
    """Every figure the readers measure, and the seats; one query per reader."""
    figures: dict[str, int | Decimal] = {
        "team_seats": Membership.objects.filter(team=workspace).count()
    }
    for path in getattr(settings, "PLAN_USAGE_READERS", []):
        figures.update(import_string(path)(workspace))
    return figures


def _number(value: int | Decimal) -> str:
    if isinstance(value, Decimal):
        return formats.number_format(value, decimal_pos=1, use_l10n=True)
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _state(used: int | Decimal, allowed: int | None) -> str:
    if allowed is None:
        return "ok"
    if used > allowed:
        return "over"
    if used == allowed:
        return "at"
    return "near" if used >= allowed * NEAR_SHARE else "ok"


def usage_row(key: str, used: int | Decimal | None, allowed: int | None) -> dict:
    """One row of the usage table: the figure, the limit and the state, as shown."""
    state = "ok" if used is None else _state(used, allowed)
    return {
        "key": key,
        "label": entitlements.LIMITS[key].label,
        "definition": DEFINITIONS.get(key, ""),
        "used": used,
        "used_text": "—" if used is None else _number(used),
        "allowed": allowed,
        "allowed_text": _("Unlimited") if allowed is None else _number(allowed),
        # <meter> attributes: plain numbers, never localized.
        "meter_value": str(min(used, allowed)) if used is not None and allowed else None,
        "meter_max": str(allowed) if allowed else None,
        "meter_high": str(allowed * NEAR_SHARE) if allowed else None,
        "state": state,
        "state_label": STATES.get(state, ""),
        "over": state == "over",
    }


def usage_rows(*, workspace: Team) -> list[dict]:
    """Each limit of the plan with what the workspace uses of it."""
    figures = usage_figures(workspace)
    missing = set(entitlements.LIMITS) - set(figures)
    if missing:
        logger.warning("no usage reader measures %s", ", ".join(sorted(missing)))
    return [
        usage_row(key, figures.get(key), entitlements.limit_for(workspace, key))
        for key in entitlements.LIMITS
    ]
