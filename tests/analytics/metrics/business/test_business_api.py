"""GET /api/v1/analytics/business/ and /api/v1/analytics/funnel/: staff tokens and sessions
only, every figure of the dashboard as JSON, bad parameters a translated 400."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create

from .conftest import FEBRUARY_QUERY

pytestmark = pytest.mark.django_db

BUSINESS, FUNNEL = "api:analytics-business", "api:analytics-funnel"


def token_client(user) -> APIClient:
    _token, key = api_token_create(user=user, name="reports")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def staff_api(history) -> APIClient:
    return token_client(history.staff)


def business(client, **query):
    return client.get(reverse(BUSINESS), {**FEBRUARY_QUERY, **query})


def funnel(client, **query):
    return client.get(reverse(FUNNEL), query)


# -- who may call it ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [BUSINESS, FUNNEL])
def test_refused_without_a_staff_token(history, name):
    url = reverse(name)
    query = {"steps": "visitor,user.signed_up"}
    anonymous = APIClient().get(url, query)
    assert anonymous.status_code == 404
    assert anonymous.json() == {"error": {"code": "not_found", "message": "Not found."}}
    customer = token_client(history.people["alice"]).get(url, query)
    assert customer.status_code == 404
    assert APIClient(HTTP_AUTHORIZATION="Token not-a-token").get(url, query).status_code == 401


def test_a_staff_session_may_call_it(history):
    client = APIClient()
    client.force_login(history.staff)
    assert business(client).status_code == 200


def test_a_revoked_staff_token_is_refused(history):
    from accounts.services import api_token_revoke

    token, key = api_token_create(user=history.staff, name="old")
    api_token_revoke(user=history.staff, token=token)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert business(client).status_code == 401


# -- the business report ------------------------------------------------------------------------


def test_every_figure_of_the_dashboard(staff_api):
    response = business(staff_api)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "start",
        "end",
        "notes",
        "currency",
        "revenue",
        "users",
        "content",
        "growth",
        "cohorts",
        "funnel",
        "platform_health",
    }
    assert (body["start"], body["end"], body["currency"]) == ("2026-02-01", "2026-02-28", "USD")
    assert body["platform_health"] is None and body["notes"] == []
    revenue = body["revenue"]
    # Money: integer minor units of the report's currency.
    assert (revenue["mrr"], revenue["arr"], revenue["arpu"], revenue["ltv"]) == (
        2200,
        26400,
        1100,
        810,
    )
    assert revenue["movements"][0] == {"kind": "new", "amount": 2200, "workspaces": 2}
    assert revenue["movements"][3] == {"kind": "churn", "amount": -1200, "workspaces": 1}
    assert revenue["net_new_mrr"] == 1000
    assert revenue["free_to_paid_conversion"] == 0.5
    assert revenue["ltv_to_cac"] == 0.016191 and revenue["ltv_to_cac_below_target"] is True
    assert revenue["by_currency"] == [
        {"currency": "USD", "mrr": 2200, "reported_mrr": 2200, "paying": 2}
    ]
    assert body["users"]["active_30_days"] == 4
    assert body["users"]["activation"]["rate"] == pytest.approx(2 / 3)
    assert body["content"]["platforms"][0] == {
        "platform": "youtube",
        "label": "YouTube",
        "posts": 2,
        "share": pytest.approx(2 / 3),
    }
    assert body["growth"]["months"][-1]["month"] == "2026-02-01"
    assert body["growth"]["months"][-1]["mrr"] == 2200
    assert len(body["cohorts"]["cohorts"]) == 12
    assert [step["count"] for step in body["funnel"]["steps"]] == [5, 3, 2, 2, 1]


def test_a_far_range_is_shortened_and_says_so(staff_api):
    body = business(staff_api, **{"from": "2001-01-01"}).json()
    assert (body["start"], body["end"]) == ("2025-02-28", "2026-02-28")
    assert body["notes"] == ["A range covers at most 366 days: this one starts on Feb. 28, 2025."]


def test_a_default_start_never_falls_before_2000(staff_api):
    # Found by the fuzzer: the 29 days before 1 January 2000 are outside the dates allowed.
    response = staff_api.get(reverse(BUSINESS), {"to": "2000-01-01"})
    assert response.status_code == 200
    assert (response.json()["start"], response.json()["end"]) == ("2000-01-01", "2000-01-01")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-02-31"}, "from"),
        ({"to": "tomorrow"}, "to"),
        ({"from": "1999-01-01", "to": "2000-01-01"}, "from"),
        ({"from": "2026-02-28", "to": "2026-02-01"}, "from"),
    ],
)
def test_bad_dates_are_a_400_naming_the_parameter(staff_api, query, field):
    response = business(staff_api, **query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == [field]


def test_errors_speak_the_callers_language(staff_api):
    response = staff_api.get(reverse(BUSINESS), {"from": "nope"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["from"] == ["Bitte ein gültiges Datum eingeben."]


# -- any funnel ---------------------------------------------------------------------------------


def test_a_funnel_of_event_names_and_step_sources(staff_api):
    response = funnel(
        staff_api, steps="visitor, user.signed_up,first_video", window_days=14, **FEBRUARY_QUERY
    )
    assert response.status_code == 200
    body = response.json()
    assert body["window_days"] == 14
    assert body["start"] == "2026-02-01T00:00:00Z" and body["end"] == "2026-03-01T00:00:00Z"
    # Without the verification step, carol's first video counts too.
    assert [(s["step"], s["count"]) for s in body["steps"]] == [
        ("visitor", 5),
        ("user.signed_up", 3),
        ("first_video", 3),
    ]
    assert [s["flagged"] for s in body["steps"]] == [False, True, False]  # 40 % lost, then 0


def test_the_window_narrows_the_funnel(staff_api):
    # Bob's first video came 8 days after his sign-up; carol's and dave's within 4 days.
    steps = "user.signed_up,first_video"
    wide = funnel(staff_api, steps=steps, window_days=14, **FEBRUARY_QUERY).json()
    narrow = funnel(staff_api, steps=steps, window_days=7, **FEBRUARY_QUERY).json()
    assert [s["count"] for s in wide["steps"]] == [3, 3]
    assert [s["count"] for s in narrow["steps"]] == [3, 2]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"steps": "visitor"},
        {"steps": "visitor,no.such.event"},
        {"steps": ",".join(["visitor"] * 11)},
        {"steps": "visitor,user.signed_up", "window_days": "0"},
        {"steps": "visitor,user.signed_up", "window_days": "91"},
        {"steps": "visitor,user.signed_up", "window_days": "1e9999"},
        {"steps": "visitor,user.signed_up", "from": "2026-02-30"},
        {"steps": "x" * 5000},
    ],
)
def test_bad_funnel_parameters_are_a_400(staff_api, query):
    response = funnel(staff_api, **query)
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_the_funnels_own_refusal_is_translated(staff_api):
    response = staff_api.get(reverse(FUNNEL), {"steps": "visitor,nope"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "nope" in message and "visitor" in message


def test_the_schema_documents_both(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    business_get = schema["paths"]["/api/v1/analytics/business/"]["get"]
    funnel_get = schema["paths"]["/api/v1/analytics/funnel/"]["get"]
    assert {p["name"] for p in business_get["parameters"]} >= {"from", "to"}
    assert {p["name"] for p in funnel_get["parameters"]} >= {"steps", "window_days", "from", "to"}
    assert "BusinessReport" in str(business_get["responses"]["200"])
