"""The referral tree: who brought whom, at any depth. Its depth, and the super-connectors (the
referrers whose referees, and their referees in turn, bring the most revenue). Three queries;
the tree is walked in Python from every (referrer, referee) pair.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.conf import settings
from django.db.models import F, Sum

from accounts.models import User
from teams.models import Role

from .models import Referral
from .stats import day_start, kept_payments

TOP_CONNECTORS = 10


def main_currency() -> str:
    """The currency super-connectors are ranked by: the business dashboard's reporting one."""
    return str(getattr(settings, "REPORTING_CURRENCY", "USD")).upper()


def referral_parents(*, until: dt.datetime) -> tuple[dict[int, int], int]:
    """Each referee's referrer, for referrals made before `until`, and how many were left out
    because they would close a loop (A brought B who brought A: applying a code on the page
    could allow it). Oldest first, so the older link of a loop is the one kept."""
    pairs = (
        Referral.objects.filter(created_at__lt=until)
        .order_by("created_at", "pk")
        .values_list("referrer_id", "referee_id")
    )
    parent: dict[int, int] = {}
    loops = 0
    for referrer, referee in pairs.iterator():
        node: int | None = referrer
        # The tree kept so far has no loop, so this walk up from the referrer ends.
        while node is not None and node != referee:
            node = parent.get(node)
        if node == referee:
            loops += 1
            continue
        parent[referee] = referrer
    return parent, loops


def revenue_by_user(*, since: dt.datetime, until: dt.datetime) -> dict[int, Counter]:
    """Money kept (`kept_payments`, net of partial refunds) from payments made in the period
    by workspaces each referee owns, per currency, in minor units."""
    referees = Referral.objects.filter(created_at__lt=until).values("referee_id")
    rows = (
        kept_payments()
        .filter(
            created_at__gte=since,
            created_at__lt=until,
            workspace__memberships__role=Role.OWNER,
            workspace__memberships__user_id__in=referees,
        )
        .values("workspace__memberships__user_id", "currency")
        .annotate(net=Sum(F("amount") - F("refunded_amount")))
    )
    revenue: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        revenue[row["workspace__memberships__user_id"]][row["currency"]] += row["net"]
    return revenue


def subtree_figures(
    parent: dict[int, int], revenue: dict[int, Counter]
) -> dict[int, dict[str, Any]]:
    """For every person in the tree: direct referrals, descendants, the depth below them and
    their descendants' revenue per currency (their own left out)."""
    children: dict[int, list[int]] = defaultdict(list)
    for child, referrer in parent.items():
        children[referrer].append(child)
    roots = [node for node in children if node not in parent]
    order: list[int] = []
    stack = list(roots)
    while stack:  # parents before children; walked backwards, children come first
        node = stack.pop()
        order.append(node)
        stack.extend(children[node])
    figures: dict[int, dict[str, Any]] = {}
    for node in reversed(order):
        below = [figures[child] for child in children[node]]
        money: Counter = Counter()
        for child in children[node]:
            money.update(revenue.get(child, Counter()))
            money.update(figures[child]["revenue"])
        figures[node] = {
            "direct": len(children[node]),
            "descendants": sum(1 + item["descendants"] for item in below),
            "depth": 1 + max(item["depth"] for item in below) if below else 0,
            "revenue": money,
        }
    return figures


def referral_tree_report(*, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The tree's depth (0 without referrals, 1 when nobody referred has referred anyone) over
    the referrals made before the period's end, and the top super-connectors: referrers ranked
    by the revenue of all their descendants in the period in the main currency, then by
    descendants. Other currencies are shown beside it, never converted or added in."""
    since, until = day_start(start), day_start(end)
    parent, loops = referral_parents(until=until)
    figures = subtree_figures(parent, revenue_by_user(since=since, until=until))
    roots = [node for node in figures if node not in parent]
    currency = main_currency()
    ranked = sorted(
        (node for node, item in figures.items() if item["direct"]),
        key=lambda node: (
            -figures[node]["revenue"].get(currency, 0),
            -figures[node]["descendants"],
            node,
        ),
    )[:TOP_CONNECTORS]
    people = User.objects.in_bulk(ranked) if ranked else {}
    connectors = [
        {
            "user": people.get(node),
            "user_id": node,
            **figures[node],
            "main_revenue": figures[node]["revenue"].get(currency, 0),
            "other_revenue": sorted(
                (code, amount)
                for code, amount in figures[node]["revenue"].items()
                if code != currency and amount
            ),
        }
        for node in ranked
    ]
    return {
        "tree_depth": max((figures[root]["depth"] for root in roots), default=0),
        "referrers": sum(1 for item in figures.values() if item["direct"]),
        "loops_left_out": loops,
        "currency": currency,
        "connectors": connectors,
    }
