"""RICE: score = Reach × Impact × Confidence ÷ Effort, ordered against hand-computed scores,
with and without paying voters weighted; the MRR behind each request's up-voters."""

from decimal import Decimal

import pytest
from django.urls import reverse

from billing import services as billing_services
from billing.models import Plan, PlanPrice
from growth.feedback import services
from growth.feedback.models import Status
from growth.feedback.rice import prioritized
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def paying(workspace, owner):
    """The cast's workspace on Pro monthly in USD (sandbox checkout); its MRR is the price."""
    plan = Plan.objects.get(key="pro-monthly")
    session = billing_services.checkout_start(
        workspace=workspace, plan=plan, currency="USD", actor=owner
    )
    billing_services.checkout_complete(session=session, provider_payment_id="sbx_rice")
    return PlanPrice.objects.get(plan=plan, currency="USD").amount


@pytest.fixture
def board(paying, make_request, voters, owner, admin_user, staff):
    free = voters(10, prefix="free")
    a = make_request("A: paying customers want it")
    b = make_request("B: many free voters")
    c = make_request("C: no votes yet")
    d = make_request("D: not assessed")
    e = make_request("E: shipped already")
    for user in (owner, admin_user, free[0]):  # owner and admin: one paying workspace
        services.feature_request_vote(feature_request=a, user=user, value=1)
    for user in free[:4]:
        services.feature_request_vote(feature_request=b, user=user, value=1)
    services.feature_request_vote(feature_request=b, user=free[4], value=-1)
    for user in free:
        services.feature_request_vote(feature_request=d, user=user, value=1)
    services.feature_request_vote(feature_request=e, user=owner, value=1)
    rice = services.feature_request_set_rice
    rice(feature_request=a, actor=staff, impact=6, confidence=Decimal("0.5"), effort=3)
    rice(feature_request=b, actor=staff, impact=4, confidence=None, effort=2)
    rice(feature_request=c, actor=staff, impact=10, confidence=None, effort=1)
    rice(feature_request=e, actor=staff, impact=10, confidence=Decimal("1"), effort=1)
    services.feature_request_set_status(
        feature_request=e, actor=staff, status=Status.SHIPPED, note=""
    )
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "price": paying}


def _table(rows):
    return [(row.request.title[0], row.reach, row.score) for row in rows]


def test_unweighted_order_and_scores(board):
    # A: 3 × 6 × 0.5 ÷ 3 = 3.00; B: (4 − 1) × 4 × 0.8 (default, voted) ÷ 2 = 4.80;
    # C: 0 × 10 × 0.5 (default, no votes) ÷ 1 = 0.00; D: no Impact/Effort, last; E shipped: out.
    assert _table(prioritized()) == [
        ("B", 3, Decimal("4.80")),
        ("A", 3, Decimal("3.00")),
        ("C", 0, Decimal("0.00")),
        ("D", 10, None),
    ]


def test_paying_voters_weighted_twice_put_a_first(board):
    # A: owner and admin pay (2 + 2) + one free voter (1) = 5 → 5 × 6 × 0.5 ÷ 3 = 5.00.
    assert _table(prioritized(paying_weight=2))[:2] == [
        ("A", 5, Decimal("5.00")),
        ("B", 3, Decimal("4.80")),
    ]


def test_mrr_behind_voters_counts_each_workspace_once(board):
    rows = {row.request.title[0]: row for row in prioritized()}
    assert (rows["A"].workspaces, rows["A"].mrr, rows["A"].paying_voters) == (1, board["price"], 2)
    assert (rows["B"].workspaces, rows["B"].mrr) == (0, 0)
    assert rows["A"].currency == "USD"
    assert rows["B"].confidence == Decimal("0.8") and rows["B"].confidence_is_default
    assert rows["C"].confidence == Decimal("0.5")


def test_the_staff_page_and_api_show_the_same_order(board, staff):
    page = client_for(staff).get(reverse("feedback:prioritized"), {"paying_weight": 2})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("A: paying customers") < html.index("B: many free voters")
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staff)
    data = api.get(reverse("api:feature-requests-prioritized")).json()
    assert [(r["title"][0], r["score"]) for r in data["results"]] == [
        ("B", "4.80"),
        ("A", "3.00"),
        ("C", "0.00"),
        ("D", None),
    ]
    assert data["results"][1]["mrr"] == board["price"]


def test_rice_values_are_checked(board, staff):
    from django.core.exceptions import ValidationError

    for impact, confidence, effort in [
        (0, None, 1),
        (11, None, 1),
        (1, Decimal("1.5"), 1),
        (1, None, 0),
    ]:
        with pytest.raises(ValidationError):
            services.feature_request_set_rice(
                feature_request=board["a"],
                actor=staff,
                impact=impact,
                confidence=confidence,
                effort=effort,
            )


@pytest.mark.parametrize("weight", ["0", "11", "x", "9" * 30])
def test_a_bad_weight_is_refused_with_the_form_error(board, staff, weight):
    page = client_for(staff).get(reverse("feedback:prioritized"), {"paying_weight": weight})
    assert page.status_code == 400
    assert page.context["form"].errors["paying_weight"]
