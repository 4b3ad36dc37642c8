"""Reads for the board, a request's page, the roadmap, the changelog and the send log; each a
fixed number of queries whatever the size of the board (RICE is in `rice.py`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User

from .models import Comment, FeatureRequest, Status, StatusChange, StatusEmail, Subscription, Vote

TRENDING_DAYS = 14
SIMILAR_LIMIT = 5
ROADMAP_SHIPPED_LIMIT = 20


class Sort:
    TOP, NEW, TRENDING = "top", "new", "trending"
    ALL = (TOP, NEW, TRENDING)


@dataclass(frozen=True)
class BoardFilters:
    q: str = ""
    status: str = ""
    category: str = ""
    sort: str = Sort.TOP


def _trending(since: dt.datetime) -> Coalesce:
    recent = (
        Vote.objects.filter(request=OuterRef("pk"), voted_at__gte=since)
        .values("request")
        .annotate(total=Sum("value"))
        .values("total")
    )
    return Coalesce(Subquery(recent, output_field=IntegerField()), V(0))


def board(*, filters: BoardFilters, now: dt.datetime | None = None) -> QuerySet[FeatureRequest]:
    """The board's requests (merged ones left out), filtered and sorted: top-voted, newest,
    or trending (net votes cast or changed in the last 14 days, then top-voted)."""
    requests = FeatureRequest.objects.exclude(status=Status.MERGED)
    if filters.status:
        requests = requests.filter(status=filters.status)
    if filters.category:
        requests = requests.filter(category=filters.category)
    if filters.q:
        requests = requests.filter(
            Q(title__icontains=filters.q) | Q(description__icontains=filters.q)
        )
    if filters.sort == Sort.NEW:
        return requests.order_by("-created_at", "-id")
    if filters.sort == Sort.TRENDING:
        since = (now or timezone.now()) - dt.timedelta(days=TRENDING_DAYS)
        return requests.annotate(trending=_trending(since)).order_by(
            "-trending", "-vote_score", "-id"
        )
    return requests.order_by("-vote_score", "-id")


def votes_of(*, user: User, request_ids: list[int]) -> dict[int, int]:
    """The user's vote (1 or −1) on each of the requests, by request id (one query)."""
    if not getattr(user, "is_authenticated", False) or not request_ids:
        return {}
    return dict(
        Vote.objects.filter(user=user, request_id__in=request_ids).values_list(
            "request_id", "value"
        )
    )


_WORD = re.compile(r"\w{3,}", re.UNICODE)


def similar(*, title: str, exclude_id: int | None = None) -> list[FeatureRequest]:
    """Requests whose title shares words (of three letters or more) with `title`: most words
    in common first, then top-voted; merged ones left out. One query."""
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(title.replace("\x00", ""))))[:8]
    if not words:
        return []
    matches = sum(
        (Case(When(title__icontains=w, then=V(1)), default=V(0)) for w in words),
        V(0),
    )
    any_word = Q()
    for word in words:
        any_word |= Q(title__icontains=word)
    requests = FeatureRequest.objects.exclude(status=Status.MERGED).filter(any_word)
    if exclude_id is not None:
        requests = requests.exclude(pk=exclude_id)
    return list(
        requests.annotate(matches=matches).order_by("-matches", "-vote_score", "-id")[
            :SIMILAR_LIMIT
        ]
    )


def comments_on(*, feature_request: FeatureRequest, staff: bool) -> list[Comment]:
    """The comments shown on a request's page, oldest first: its own and those of requests
    merged into it (their `request` tells which); hidden ones only for staff."""
    comments = Comment.objects.filter(
        Q(request=feature_request) | Q(request__merged_into=feature_request)
    ).select_related("author", "request")
    if not staff:
        comments = comments.filter(hidden_at__isnull=True)
    return list(comments.order_by("created_at", "id"))


def status_history(*, feature_request: FeatureRequest) -> list[StatusChange]:
    return list(feature_request.status_changes.exclude(to_status=Status.MERGED)[:50])


def is_subscribed(*, feature_request: FeatureRequest, user: User) -> bool:
    return Subscription.objects.filter(request=feature_request, user=user, active=True).exists()


def roadmap() -> dict[str, list[FeatureRequest]]:
    """Planned, in progress and (the latest) shipped requests, top-voted first. One query
    per column."""
    columns = {}
    for status in (Status.PLANNED, Status.IN_PROGRESS):
        columns[status] = list(
            FeatureRequest.objects.filter(status=status).order_by("-vote_score", "-id")
        )
    columns[Status.SHIPPED] = list(
        FeatureRequest.objects.filter(status=Status.SHIPPED).order_by("-shipped_at", "-id")[
            :ROADMAP_SHIPPED_LIMIT
        ]
    )
    return columns


def changelog() -> QuerySet[FeatureRequest]:
    """Shipped requests, newest first, with their note and shipped date."""
    return FeatureRequest.objects.filter(status=Status.SHIPPED, shipped_at__isnull=False).order_by(
        "-shipped_at", "-id"
    )


# -- the send log -----------------------------------------------------------------------------


def status_emails_to_send() -> QuerySet[StatusEmail]:
    """Send-log rows whose recipient still follows the request (an unsubscribe before the
    e-mail went out is honoured)."""
    following = Subscription.objects.filter(
        request_id=OuterRef("change__request_id"), user_id=OuterRef("user_id"), active=True
    )
    return StatusEmail.objects.filter(Exists(following)).select_related(
        "change__request", "user__profile"
    )


def status_emails_unsent(*, change_id: int) -> list[int]:
    """The ids of a status change's send-log rows not sent yet, in order."""
    return list(
        StatusEmail.objects.filter(change_id=change_id, emailed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
