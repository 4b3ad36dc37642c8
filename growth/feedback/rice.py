"""RICE prioritisation (staff): score = Reach × Impact × Confidence ÷ Effort, and the MRR of
the workspaces behind each request's up-voters.

- Reach: net votes (up-votes minus down-votes), each vote counting `paying_weight` when its
  voter belongs to a paying workspace (MRR above zero today) and 1 otherwise; never below 0.
  With `paying_weight=1` (the default) Reach is the request's vote score.
- Impact and Effort: 1–10, set by staff. Confidence: 0–1, set by staff; when unset, 0.8 for a
  request with votes and 0.5 for one without.
- A request without Impact or Effort has no score yet; it is listed after the scored ones.
- MRR behind voters: the sum of today's MRR (analytics.metrics.revenue.mrr_on, in the reporting
  currency) of the paying workspaces that the request's up-voters are members of, each
  workspace counted once per request however many of its members voted.

Five queries whatever the number of requests: the requests, their votes, the voters'
memberships, and MRR (two).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from analytics.metrics.revenue import FxRateMissing, mrr_on
from teams.models import Membership

from .models import ACTIVE_STATUSES, FeatureRequest, Vote

DEFAULT_CONFIDENCE = Decimal("0.8")
DEFAULT_CONFIDENCE_UNVOTED = Decimal("0.5")
MAX_PAYING_WEIGHT = 10


@dataclass(frozen=True)
class RiceRow:
    request: FeatureRequest
    reach: int
    impact: int | None
    confidence: Decimal
    confidence_is_default: bool
    effort: int | None
    score: Decimal | None  # two decimal places, half up; None until Impact and Effort are set
    voters: int
    paying_voters: int
    workspaces: int  # paying workspaces behind the up-voters
    mrr: int | None  # their MRR, minor units of `currency`; None when rates were missing
    currency: str


def rice_score(*, reach: int, impact: int, confidence: Decimal, effort: int) -> Decimal:
    value = Decimal(reach) * Decimal(impact) * confidence / Decimal(effort)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _paying_mrr(day: dt.date) -> tuple[dict[int, int] | None, str]:
    try:
        snapshot = mrr_on(day=day)
    except FxRateMissing:
        return None, ""
    return {row.workspace_id: row.reported_mrr for row in snapshot.workspaces}, snapshot.currency


def prioritized(*, paying_weight: int = 1, day: dt.date | None = None) -> list[RiceRow]:
    """Open, planned and in-progress requests by RICE score, highest first (then by reach)."""
    weight = max(1, min(int(paying_weight), MAX_PAYING_WEIGHT))
    requests = list(
        FeatureRequest.objects.filter(status__in=ACTIVE_STATUSES).order_by("-vote_score", "-id")
    )
    votes = list(
        Vote.objects.filter(request__in=requests).values_list("request_id", "user_id", "value")
    )
    voter_ids = {user_id for _r, user_id, _v in votes}
    teams_of: dict[int, set[int]] = defaultdict(set)
    for user_id, team_id in Membership.objects.filter(user_id__in=voter_ids).values_list(
        "user_id", "team_id"
    ):
        teams_of[user_id].add(team_id)
    mrr_by_workspace, currency = _paying_mrr(day or timezone.now().date())
    paying = set(mrr_by_workspace or ())

    by_request: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for request_id, user_id, value in votes:
        by_request[request_id].append((user_id, value))
    rows = []
    for feature_request in requests:
        reach = 0
        paying_voters = 0
        backing: set[int] = set()
        for user_id, value in by_request[feature_request.pk]:
            pays = bool(teams_of[user_id] & paying)
            paying_voters += pays
            reach += value * (weight if pays else 1)
            if value > 0:
                backing |= teams_of[user_id] & paying
        reach = max(reach, 0)
        voted = bool(by_request[feature_request.pk])
        default = DEFAULT_CONFIDENCE if voted else DEFAULT_CONFIDENCE_UNVOTED
        confidence = feature_request.confidence
        impact, effort = feature_request.impact, feature_request.effort
        score = None
        if impact and effort:
            score = rice_score(
                reach=reach,
                impact=impact,
                confidence=confidence if confidence is not None else default,
                effort=effort,
            )
        rows.append(
            RiceRow(
                request=feature_request,
                reach=reach,
                impact=impact,
                confidence=confidence if confidence is not None else default,
                confidence_is_default=confidence is None,
                effort=effort,
                score=score,
                voters=len(by_request[feature_request.pk]),
                paying_voters=paying_voters,
                workspaces=len(backing),
                mrr=None
                if mrr_by_workspace is None
                else sum(mrr_by_workspace[pk] for pk in backing),
                currency=currency,
            )
        )
    rows.sort(
        key=lambda row: (row.score is not None, row.score or 0, row.reach, row.request.pk),
        reverse=True,
    )
    return rows
