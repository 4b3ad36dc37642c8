"""The creators' dashboard page (/analytics/) and its API (/api/v1/analytics/overview/): every
member sees the hand-worked figures of the fixed workspace (conftest), outsiders get 404, bad
input a translated 400, and the number of queries does not grow with the number of posts."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from videos.models import PlatformPost

from .kit import counters, post, video

RANGE = {"from": "2026-03-01", "to": "2026-03-20"}
PAGE = reverse("creators:dashboard")
API = reverse("api:analytics-overview")


def page(user, workspace, **params):
    return client_for(user).get(PAGE, {"workspace": workspace.pk, **RANGE, **params})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["owner", "admin", "editor", "viewer"])
def test_every_member_sees_the_figures(cast, workspace, history, role):
    response = page(cast[role], workspace)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3,500" in html  # views gained in the range
    assert "9.1%" in html  # engagement: 320 ÷ 3,500
    assert "Launch teaser" in html and "Quote of the week" in html
    assert 'data-chart="chart-activity"' in html


@pytest.mark.django_db
def test_outsiders_get_404_on_the_page_and_the_api(cast, workspace, history):
    outsider = client_for(cast["outsider"])
    assert outsider.get(PAGE, {"workspace": workspace.pk}).status_code == 404
    assert outsider.get(API, {"workspace": workspace.pk}).status_code == 404
    assert outsider.get(PAGE, {"workspace": 10**30}).status_code == 404
    assert outsider.get(PAGE, {"workspace": "9" * 5000}).status_code == 404


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(workspace):
    from django.test import Client

    response = Client().get(PAGE, {"workspace": workspace.pk})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().get(API, {"workspace": workspace.pk}).status_code in (401, 403)


@pytest.mark.django_db
def test_the_page_in_german(cast, workspace, history):
    client = client_for(cast["owner"])
    response = client.get(PAGE, {"workspace": workspace.pk, **RANGE}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="de"' in html
    assert "3.500" in html  # German groups with a dot


@pytest.mark.django_db
def test_csv_of_the_platforms_table(cast, workspace, history):
    response = page(cast["owner"], workspace, format="csv", table="platforms")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Platform"
    by_platform = {row[0]: row for row in rows[1:]}
    assert by_platform["YouTube"][3] == "2000"  # views, unformatted
    assert by_platform["TikTok"][7] == "0.25"  # engagement rate


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-13-01"},
        {"from": "2026-03-05", "to": "2026-03-01"},
        {"from": "2026-03-01\x00"},
        {"to": "9999-12-31"},
        {"format": "csv", "table": "nope"},
        {"format": "xml"},
    ],
)
def test_bad_input_is_a_400(cast, workspace, params):
    response = client_for(cast["owner"]).get(PAGE, {"workspace": workspace.pk, **params})
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_api_returns_the_dashboards_figures(cast, workspace, history):
    client = client_for(cast["viewer"])
    data = client.get(API, {"workspace": workspace.pk, **RANGE}).json()
    assert data["workspace"] == workspace.pk
    assert (data["start"], data["end"]) == ("2026-03-01", "2026-03-20")
    assert data["overview"]["views"] == 3500
    assert data["overview"]["engagement_rate"] == pytest.approx(320 / 3500)
    assert data["overview"]["average_watch_seconds"] == pytest.approx(26.0)
    assert [row["platform"] for row in data["platforms"]] == ["youtube", "x", "tiktok"]
    assert data["top_videos"][0]["title"] == "Launch teaser"
    assert data["growth"]["views"]["trend"] == "up"
    assert len(data["activity"]) == 7
    assert data["insights"]["enough"] is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"workspace": "abc"},
        {"workspace": "1\x00"},
        {"workspace": 10**30},
        {"workspace": -1},
        {"from": "2026-02-30"},
        {"from": "2026-03-05", "to": "2026-03-01"},
    ],
)
def test_the_api_refuses_bad_input(cast, workspace, params):
    client = client_for(cast["owner"])
    query = {"workspace": workspace.pk, **params} if "workspace" not in params else params
    if params == {}:
        query = {}
    response = client.get(API, query)
    assert response.status_code == 400, response.content


def _grow(workspace, count: int) -> None:
    for number in range(count):
        made = video(workspace, created="2026-02-01 08:00", title=f"Extra {number}")
        for platform in ("youtube", "tiktok"):
            post(
                made,
                platform,
                published=f"2026-02-{1 + number % 27:02d} {number % 24:02d}:00",
                snapshots=[
                    (f"2026-02-{1 + number % 27:02d} 23:30", counters(10, 1, 0, 0, 5.0)),
                    ("2026-03-10 12:00", counters(50 + number, 2, 1, 1, 6.0)),
                ],
            )


def _queries(client, workspace, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"workspace": workspace.pk, **RANGE})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [PAGE, API])
def test_the_query_count_does_not_grow_with_the_posts(cast, workspace, history, url):
    client = client_for(cast["owner"])
    _grow(workspace, 3)
    few = _queries(client, workspace, url)
    _grow(workspace, 60)
    assert PlatformPost.objects.filter(schedule__workspace=workspace).count() > 120
    assert _queries(client, workspace, url) == few
