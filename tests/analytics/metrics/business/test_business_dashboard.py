"""The staff business dashboard /analytics/business/: who may see it, what it shows, its range
picker, its CSV exports and its drill-downs, on the history of conftest.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from analytics.metrics.business_tables import TABLE_SECTIONS
from teams.models import Team

from .conftest import FEBRUARY_QUERY

pytestmark = pytest.mark.django_db

DASHBOARD = "metrics:business"


def dashboard(**query) -> str:
    from urllib.parse import urlencode

    return reverse(DASHBOARD) + ("?" + urlencode(query) if query else "")


def movement(kind: str, **query) -> str:
    from urllib.parse import urlencode

    return reverse("metrics:business_movement", args=[kind]) + "?" + urlencode(query)


def rows_of(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # the byte order mark spreadsheets need
    return list(csv.reader(io.StringIO(text[1:])))


def text_of(response) -> str:
    """The page's text, tags and runs of white space collapsed."""
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


# -- who may see it -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        dashboard(**FEBRUARY_QUERY),
        dashboard(**FEBRUARY_QUERY, format="csv", table="revenue"),
        movement("churn", **FEBRUARY_QUERY),
        movement("churn", **FEBRUARY_QUERY, format="csv"),
    ],
)
def test_everyone_but_staff_gets_404(history, url):
    assert Client().get(url).status_code == 404  # anonymous: not even a sign-in page
    member = Client()
    member.force_login(history.people["alice"])  # a paying customer, not staff
    assert member.get(url).status_code == 404


def test_staff_get_the_page(staff_client):
    response = staff_client.get(dashboard(**FEBRUARY_QUERY))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_posting_is_not_allowed(staff_client):
    assert staff_client.post(dashboard()).status_code == 405


# -- what it shows ------------------------------------------------------------------------------


def test_every_section_with_its_figures(staff_client):
    text = text_of(staff_client.get(dashboard(**FEBRUARY_QUERY)))
    for heading in ["Revenue", "Users", "Content", "Growth trends", "Cohorts", "Funnel"]:
        assert f"{heading} " in text
    # Revenue: MRR 22 USD after +22 new and −12 churn from 12; ARR; ARPU; customers.
    assert "MRR $22.00" in text
    assert "ARR $264.00" in text
    assert "Net new MRR $10.00" in text
    assert "New business $22.00 2" in text and "Churn -$12.00 1" in text
    assert "Paying customers 2" in text
    assert "ARPU (per paying customer) $11.00" in text
    assert "Free-to-paid conversion 50%" in text
    # Users and content.
    assert "Accounts 5" in text
    assert "Active (last 7 days) 2" in text and "Active (last 30 days) 4" in text
    assert "New sign-ups (last 7 days) 1" in text
    assert "days of signing up) 66.7%" in text
    assert "Videos per account 1" in text
    assert "Videos created 5" in text and "Videos created (last 7 days) 1" in text
    assert "Average video length 25 s" in text
    assert "YouTube 2 66.7%" in text
    # Growth: February's sign-ups +2 (200 %), MRR +10 USD (83.3 %).
    assert "3 2 200% $22.00 $10.00 83.3%" in text


def test_ltv_to_cac_below_three_is_flagged(staff_client):
    text = text_of(staff_client.get(dashboard(**FEBRUARY_QUERY)))
    assert "LTV:CAC 0.02 Below the target of 3" in text  # 810 / 50,000


def test_funnel_drops_above_a_fifth_are_flagged(staff_client):
    html = staff_client.get(dashboard(**FEBRUARY_QUERY)).content.decode()
    funnel = html[html.index('id="funnel"') :]
    # Sign-up (3 of 5), Verified (2 of 3) and Pro (1 of 2) lose more than 20 %.
    assert funnel.count("Drop above 20%") == 3


def test_platform_health_is_an_empty_slot(staff_client):
    html = staff_client.get(dashboard(**FEBRUARY_QUERY)).content.decode()
    slot = html[html.index('id="platform-health"') :]
    slot = slot[: slot.index("</section>")]
    assert "later operations issue" in slot
    assert not re.search(r"\d", re.sub(r"<[^>]+>", "", slot))  # no figure at all


def test_charts_come_as_json_data_for_our_script_and_plotly(staff_client):
    html = staff_client.get(dashboard(**FEBRUARY_QUERY)).content.decode()
    blocks = dict(
        re.findall(
            r'<script id="(chart-[\w-]+)" type="application/json">(.*?)</script>', html, re.S
        )
    )
    assert set(blocks) == {
        "chart-movements",
        "chart-growth_signups",
        "chart-growth_mrr",
        "chart-platforms",
        "chart-templates",
        "chart-cohorts",
        "chart-funnel",
    }
    waterfall = json.loads(blocks["chart-movements"])["data"][0]
    assert waterfall["type"] == "waterfall"
    assert waterfall["y"][:3] == [12.0, 22.0, 0.0]  # opening, new, expansion (in dollars)
    for data_id in blocks:
        assert f'data-chart="{data_id}"' in html
    assert "/static/vendor/plotly.min.js" in html and "/static/js/charts.js" in html
    assert "<script>" not in html  # nothing inline to run


def test_every_movement_links_to_its_drill_down(staff_client):
    html = staff_client.get(dashboard(**FEBRUARY_QUERY)).content.decode()
    for kind in ["new", "expansion", "contraction", "churn", "reactivation", "fx"]:
        assert movement(kind, **FEBRUARY_QUERY).replace("&", "&amp;") in html


def test_numbers_money_and_dates_in_the_readers_language(staff_client):
    staff_client.cookies["django_language"] = "de"
    text = text_of(staff_client.get(dashboard(**FEBRUARY_QUERY)))
    assert "22,00 $" in text and "66,7 %" in text
    assert "1. Februar 2026" in text  # the range, in German


def test_the_policy_is_loosened_for_plotly_only_on_the_dashboard(staff_client):
    page = staff_client.get(dashboard(**FEBRUARY_QUERY))["Content-Security-Policy"]
    assert "style-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='" in page
    assert "img-src 'self' data:" in page
    assert "unsafe-inline" not in page and "unsafe-eval" not in page
    other = staff_client.get(reverse("dashboard"))["Content-Security-Policy"]
    assert "sha256-" not in other


# -- the range ----------------------------------------------------------------------------------


def test_the_default_range_is_the_last_30_days(staff_client, clock):
    response = staff_client.get(dashboard())
    assert response.status_code == 200
    # The clock is at 1 March 2026: 31 January to 1 March.
    assert "From Jan. 31, 2026 to March 1, 2026" in text_of(response)


def test_days_after_today_are_cut_off(staff_client):
    response = staff_client.get(dashboard(**{"from": "2026-02-01", "to": "2030-01-01"}))
    assert response.status_code == 200
    text = text_of(response)
    assert "the range ends today" in text and "to March 1, 2026" in text


def test_a_far_range_is_shortened_to_366_days(staff_client):
    response = staff_client.get(dashboard(**{"from": "2001-01-01", "to": "2026-02-28"}))
    assert response.status_code == 200
    assert "this one starts on Feb. 28, 2025" in text_of(response)


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-02-30"},
        {"from": "yesterday"},
        {"to": "99999-01-01"},
        {"from": "1999-12-01", "to": "2000-01-31"},
        {"from": "2026-02-28", "to": "2026-02-01"},
        {"from": ["2026-02-01", "x"]},  # the last value counts, as Django reads it
        {"format": "pdf"},
        {"format": "csv", "table": "everything"},
        {"format": "csv"},
    ],
)
def test_bad_parameters_get_a_400(staff_client, query):
    from urllib.parse import urlencode

    response = staff_client.get(reverse(DASHBOARD) + "?" + urlencode(query, doseq=True))
    assert response.status_code == 400


def test_a_bad_date_is_refused_in_the_readers_language(staff_client):
    staff_client.cookies["django_language"] = "de"
    response = staff_client.get(dashboard(**{"from": "2026-13-01"}))
    assert response.status_code == 400
    assert "Bitte ein gültiges Datum eingeben." in response.content.decode()


def test_a_nul_in_the_range_is_refused(staff_client):
    assert staff_client.get(reverse(DASHBOARD) + "?from=2026-02-01%00").status_code == 400


# -- CSV ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(TABLE_SECTIONS))
def test_every_table_downloads_as_csv(staff_client, name):
    response = staff_client.get(dashboard(**FEBRUARY_QUERY, format="csv", table=name))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="business-{name}-2026-02-01-2026-02-28.csv"'
    )
    assert len(rows_of(response)) >= 2  # a header and rows


def test_the_movements_csv(staff_client):
    rows = rows_of(staff_client.get(dashboard(**FEBRUARY_QUERY, format="csv", table="movements")))
    assert rows == [
        ["Movement", "MRR (USD)", "Workspaces"],
        ["New business", "22.00", "2"],
        ["Expansion", "0.00", "0"],
        ["Contraction", "0.00", "0"],
        ["Churn", "-12.00", "1"],
        ["Reactivation", "0.00", "0"],
        ["FX impact", "0.00", "0"],
        ["Net new MRR", "10.00", ""],
    ]


def test_the_revenue_csv_names_the_currency_of_money_rows(staff_client):
    rows = rows_of(staff_client.get(dashboard(**FEBRUARY_QUERY, format="csv", table="revenue")))
    assert rows[0] == ["Figure", "Value", "Currency"]
    by_figure = {row[0]: row[1:] for row in rows[1:]}
    assert by_figure["MRR"] == ["22.00", "USD"]
    assert by_figure["Paying customers"] == ["2", ""]
    assert by_figure["Free-to-paid conversion"] == ["0.5", ""]
    assert by_figure["LTV:CAC"] == ["0.016191", ""]


def test_the_funnel_and_growth_csv(staff_client):
    funnel = rows_of(staff_client.get(dashboard(**FEBRUARY_QUERY, format="csv", table="funnel")))
    assert [row[:3] for row in funnel[1:]] == [
        ["Visitor", "5", "0"],
        ["Sign-up", "3", "2"],
        ["Verified e-mail", "2", "1"],
        ["First video", "2", "0"],
        ["Pro", "1", "1"],
    ]
    growth = rows_of(staff_client.get(dashboard(**FEBRUARY_QUERY, format="csv", table="growth")))
    assert growth[-1] == ["2026-02", "3", "2", "2", "22.00", "10.00", "0.833333"]


def test_a_csv_cell_never_starts_a_formula(staff_client, history):
    Team.objects.filter(pk=history.workspaces["carol"].pk).update(
        name='=HYPERLINK("http://evil.example","x")', named_after="", is_personal=False
    )
    rows = rows_of(staff_client.get(movement("new", **FEBRUARY_QUERY, format="csv")))
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)


# -- drill-downs --------------------------------------------------------------------------------


def test_the_churn_drill_down_page_lists_the_workspace_and_amount(staff_client, history):
    response = staff_client.get(movement("churn", **FEBRUARY_QUERY))
    assert response.status_code == 200
    text = text_of(response)
    assert history.workspaces["alice"].display_name in text
    assert "-$12.00" in text
    assert "In all: -$12.00, from 1 workspace." in text


def test_the_drill_down_csv(staff_client, history):
    rows = rows_of(staff_client.get(movement("new", **FEBRUARY_QUERY, format="csv")))
    assert rows[0] == [
        "Workspace",
        "Workspace id",
        "MRR (USD)",
        "Days with this movement",
        "First day",
        "Last day",
    ]
    assert [row[1:] for row in rows[1:]] == [
        [str(history.workspaces["bob"].pk), "12.00", "1", "2026-02-10", "2026-02-10"],
        [str(history.workspaces["carol"].pk), "10.00", "1", "2026-02-15", "2026-02-15"],
    ]


def test_an_unknown_movement_is_404(staff_client):
    assert staff_client.get(movement("growth", **FEBRUARY_QUERY)).status_code == 404


def test_a_missing_exchange_rate_is_said_on_the_page(staff_client, ledger):
    from .conftest import utc

    ledger.clock.now = utc(2026, 2, 20, 12)
    ledger.subscribe(ledger.workspace(), currency="EUR")
    response = staff_client.get(dashboard(**FEBRUARY_QUERY))
    assert response.status_code == 200
    assert "the exchange rate of USD on or before Feb. 20, 2026 is missing" in text_of(response)
    assert "chart-movements" not in response.content.decode()


@pytest.mark.parametrize("language", ["en", "es", "fr", "de", "pt", "ja", "ko", "zh-hans", "hi"])
def test_every_language_renders_its_own_money_and_dates(staff_client, language):
    from django.utils import formats, translation

    from billing.money import format_money

    staff_client.cookies["django_language"] = language
    response = staff_client.get(dashboard(**FEBRUARY_QUERY))
    assert response.status_code == 200
    text = text_of(response)
    with translation.override(language):
        money = format_money(2200, "USD")  # MRR
        day = formats.date_format(dt.date(2026, 2, 28), "DATE_FORMAT")
    for expected in (money, day):
        assert re.sub(r"\s+", " ", expected) in text  # the page's spaces are collapsed


def test_staff_find_it_in_their_menu_and_others_do_not(staff_client, history):
    assert f'href="{reverse(DASHBOARD)}"' in staff_client.get(reverse("dashboard")).content.decode()
    member = Client()
    member.force_login(history.people["alice"])
    assert reverse(DASHBOARD) not in member.get(reverse("dashboard")).content.decode()
