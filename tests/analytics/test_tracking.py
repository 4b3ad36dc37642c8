"""Page views: the visitor cookie, what is counted, consent, bots, UTM capture, the cost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from analytics.consent import CONSENT_COOKIE, VISITOR_COOKIE
from analytics.models import DailyPageCount, PageView, Visitor
from analytics.tracking import clean_text

from .tracking_kit import NOW, analytics_statements, browser, set_clock, visitor_id

HOME = "/"
PRICING = "/billing/pricing/"
YEAR = 365 * 24 * 60 * 60


@pytest.fixture
def clock(monkeypatch):
    return set_clock(monkeypatch)


# -- the cookie ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_sets_a_first_party_visitor_cookie_for_a_year(clock):
    response = browser().get(HOME)
    morsel = response.cookies[VISITOR_COOKIE]
    assert morsel["max-age"] == YEAR
    assert morsel["samesite"] == "Lax"
    assert morsel["httponly"] is True  # no script needs it; the batch API reads it server-side
    assert not morsel["secure"]  # SESSION_COOKIE_SECURE is off in tests
    vid, day = morsel.value.split(".")
    assert day == "20260310"
    visitor = Visitor.objects.get()
    assert (str(visitor.id), visitor.user, visitor.first_seen, visitor.last_seen) == (
        vid,
        None,
        NOW,
        NOW,
    )
    view = PageView.objects.get()
    assert (view.anonymous_id, view.path, view.at, view.user) == (vid, HOME, NOW, None)


@pytest.mark.django_db
def test_the_cookie_is_secure_when_the_session_cookie_is(settings, clock):
    settings.SESSION_COOKIE_SECURE = True
    assert browser().get(HOME).cookies[VISITOR_COOKIE]["secure"] is True


@pytest.mark.django_db
def test_a_returning_visitor_keeps_their_id_and_their_row_is_refreshed_once_a_day(clock):
    client = browser()
    client.get(HOME)
    vid = visitor_id(client)
    clock.advance(hours=1)
    same_day = client.get(PRICING)
    assert VISITOR_COOKIE not in same_day.cookies  # nothing to refresh today
    assert Visitor.objects.get().last_seen == NOW
    clock.advance(days=1)
    next_day = client.get(PRICING)
    assert next_day.cookies[VISITOR_COOKIE].value == f"{vid}.20260311"  # a year from now again
    visitor = Visitor.objects.get()
    assert (str(visitor.id), visitor.first_seen, visitor.last_seen) == (vid, NOW, clock.now)
    assert set(PageView.objects.values_list("anonymous_id", flat=True)) == {vid}
    assert PageView.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ["not-a-visitor", "12345678-1234-1234-1234-123456789012.20260310", "x" * 4000]
)
def test_a_malformed_cookie_gets_a_new_visitor_id(clock, value):
    client = browser()
    client.cookies[VISITOR_COOKIE] = value
    response = client.get(HOME)
    assert response.status_code == 200
    assert response.cookies[VISITOR_COOKIE].value != value
    assert PageView.objects.get().anonymous_id == visitor_id(client)


# -- what counts as a page view -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("get", "/static/css/app.css", {}),
        ("get", "/api/v1/me/", {}),
        ("get", "/api/schema/", {}),
        ("get", "/admin/login/", {}),
        ("get", "/no-such-page/", {}),  # 404
        ("get", "/dashboard/", {}),  # a redirect to sign in
        ("get", HOME, {"HTTP_HX_REQUEST": "true"}),  # an htmx partial
        ("post", reverse("account_login"), {}),
        ("get", "/healthz", {}),  # JSON, not a page
    ],
)
def test_only_full_html_pages_are_counted(clock, method, path, headers):
    response = getattr(browser(), method)(path, **headers)
    assert VISITOR_COOKIE not in response.cookies
    assert not PageView.objects.exists()
    assert not Visitor.objects.exists()
    assert not DailyPageCount.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "agent",
    [
        "",  # no User-Agent at all: a script
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "python-requests/2.32.0",
    ],
)
def test_bots_are_not_counted_at_all(client, clock, agent):
    for headers in ({}, {"HTTP_DNT": "1"}):
        response = client.get(HOME, HTTP_USER_AGENT=agent, **headers)
        assert response.status_code == 200
        assert VISITOR_COOKIE not in response.cookies
        assert b"consent-banner" not in response.content
    assert not PageView.objects.exists()
    assert not Visitor.objects.exists()
    assert not DailyPageCount.objects.exists()


@pytest.mark.django_db
def test_a_signed_in_page_view_carries_the_user(clock, owner):
    client = browser()
    client.force_login(owner)
    assert client.get("/dashboard/").status_code == 200
    view = PageView.objects.get()
    assert (view.user, view.path) == (owner, "/dashboard/")


# -- consent: no cookie, only counts -------------------------------------------------------------


def _untracked(response) -> None:
    assert VISITOR_COOKIE not in response.cookies or response.cookies[VISITOR_COOKIE].value == ""
    assert not PageView.objects.exists()
    assert not Visitor.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["HTTP_DNT", "HTTP_SEC_GPC"])
def test_do_not_track_and_global_privacy_control_leave_only_a_count(clock, header):
    client = browser(**{header: "1"})
    for path in (HOME, HOME, PRICING):
        _untracked(client.get(path))
    counts = dict(DailyPageCount.objects.filter(day=NOW.date()).values_list("path", "count"))
    assert counts == {HOME: 2, PRICING: 1}


@pytest.mark.django_db
def test_dnt_0_is_no_objection(clock):
    assert VISITOR_COOKIE in browser(HTTP_DNT="0").get(HOME).cookies


@pytest.mark.django_db
def test_counts_are_per_utc_day(clock):
    client = browser(HTTP_DNT="1")
    client.get(HOME)
    clock.advance(days=1)
    client.get(HOME)
    assert sorted(DailyPageCount.objects.values_list("day", "count")) == [
        (NOW.date(), 1),
        (NOW.date() + dt.timedelta(days=1), 1),
    ]


@pytest.mark.django_db
def test_declining_leaves_only_a_count_and_drops_an_earlier_cookie(clock):
    client = browser()
    client.get(HOME)
    PageView.objects.all().delete()
    Visitor.objects.all().delete()
    client.cookies[CONSENT_COOKIE] = "declined"
    response = client.get(HOME)
    assert response.cookies[VISITOR_COOKIE].value == ""  # deleted
    assert response.cookies[VISITOR_COOKIE]["max-age"] == 0
    _untracked(response)
    assert DailyPageCount.objects.get().count == 1


@pytest.mark.django_db
def test_when_consent_is_required_nothing_is_tracked_before_accepting(settings, clock):
    settings.ANALYTICS_REQUIRE_CONSENT = True
    client = browser()
    _untracked(client.get(HOME))
    assert DailyPageCount.objects.get().count == 1
    client.cookies[CONSENT_COOKIE] = "accepted"
    response = client.get(HOME)
    assert VISITOR_COOKIE in response.cookies
    assert PageView.objects.count() == 1


@pytest.mark.django_db
def test_do_not_track_wins_over_an_accepted_banner(clock):
    client = browser(HTTP_DNT="1")
    client.cookies[CONSENT_COOKIE] = "accepted"
    _untracked(client.get(HOME))


# -- where the visitor came from ----------------------------------------------------------------


@pytest.mark.django_db
def test_utm_parameters_are_captured_and_the_query_is_not_kept(clock):
    query = (
        "?utm_source=newsletter&utm_medium=email&utm_campaign=spring-launch"
        "&utm_term=video+maker&utm_content=hero&email=ana@example.com"
    )
    browser().get(PRICING + query)
    view = PageView.objects.get()
    assert view.path == PRICING
    assert (
        view.utm_source,
        view.utm_medium,
        view.utm_campaign,
        view.utm_term,
        view.utm_content,
    ) == ("newsletter", "email", "spring-launch", "video maker", "hero")
    assert view.is_touch


@pytest.mark.django_db
def test_another_sites_referrer_is_kept_as_host_and_path(clock):
    client = browser()
    client.get(HOME, HTTP_REFERER="https://News.Example.org:8443/story/42?utm=x#top")
    client.get(PRICING, HTTP_REFERER="http://testserver/")  # our own page: not a referrer
    client.get(PRICING, HTTP_REFERER="javascript:alert(1)")
    client.get(PRICING, HTTP_REFERER="http://[::1")  # malformed
    referrers = list(PageView.objects.order_by("pk").values_list("referrer", "is_touch"))
    assert referrers == [
        ("news.example.org:8443/story/42", True),
        ("", False),
        ("", False),
        ("", False),
    ]


@pytest.mark.django_db
def test_long_values_are_cut_to_their_columns(clock):
    browser().get(HOME + "?utm_source=" + "s" * 1000, HTTP_REFERER="https://a.example/" + "p" * 900)
    view = PageView.objects.get()
    assert view.utm_source == "s" * 200
    assert len(view.referrer) == 500


def test_stored_text_has_no_nul_and_fits():
    assert clean_text(" a\x00b ", 10) == "ab"
    assert clean_text("x" * 20, 5) == "xxxxx"
    assert clean_text(None, 5) == ""


@pytest.mark.django_db
def test_a_nul_in_the_query_is_refused_and_not_counted(clock):
    response = browser().get(HOME + "?utm_source=a%00b")
    assert response.status_code == 400
    assert not PageView.objects.exists()
    assert not DailyPageCount.objects.exists()


# -- the cost of a page view ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_returning_visitors_page_view_is_one_insert(clock):
    client = browser()
    client.get(HOME)
    statements = analytics_statements(lambda: client.get(PRICING))
    assert len(statements) == 1
    assert statements[0].startswith("INSERT INTO") and "analytics_pageview" in statements[0]


@pytest.mark.django_db
def test_a_new_visitor_costs_the_visitor_upsert_and_the_insert(clock):
    statements = analytics_statements(lambda: browser().get(HOME))
    assert [s.split(" (")[0] for s in statements] == [
        'INSERT INTO "analytics_visitor"',
        'INSERT INTO "analytics_pageview"',
    ]


@pytest.mark.django_db
def test_an_untracked_page_view_is_one_upsert(clock):
    client = browser(HTTP_DNT="1")
    client.get(HOME)
    statements = analytics_statements(lambda: client.get(HOME))
    assert len(statements) == 1
    assert "ON CONFLICT" in statements[0]
    assert DailyPageCount.objects.get().count == 2


@pytest.mark.django_db
def test_a_failed_tracking_write_does_not_break_the_page(clock, monkeypatch, caplog):
    from django.db import DatabaseError

    from analytics import tracking

    def broken(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(tracking, "page_view_record", broken)
    assert browser().get(HOME).status_code == 200
    assert "analytics: broken failed" in caplog.text
