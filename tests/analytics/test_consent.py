"""The consent banner and its answer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from analytics.consent import CONSENT_COOKIE, VISITOR_COOKIE
from analytics.models import PageView

from .tracking_kit import BROWSER, browser, set_clock, visitor_id

HOME = "/"
PRICING = "/billing/pricing/"
CONSENT = reverse("analytics:consent")


@pytest.fixture
def clock(monkeypatch):
    return set_clock(monkeypatch)


@pytest.mark.django_db
def test_a_new_visitor_sees_the_banner_with_its_own_style_and_script(clock):
    page = browser().get(HOME).content.decode()
    assert 'id="consent-banner"' in page
    assert f'action="{CONSENT}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'value="accepted"' in page and 'value="declined"' in page
    assert "/static/css/consent.css" in page and "/static/js/consent.js" in page
    assert "<script>" not in page  # nothing inline: the Content-Security-Policy forbids it


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [{"HTTP_DNT": "1"}, {"HTTP_SEC_GPC": "1"}, {"HTTP_USER_AGENT": "Googlebot/2.1"}],
)
def test_no_banner_when_the_browser_already_said_no_or_for_bots(clock, headers):
    page = browser(**headers).get(HOME).content.decode()
    assert "consent-banner" not in page
    assert "consent.css" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("choice", ["accepted", "declined"])
def test_no_banner_once_answered(clock, choice):
    client = browser()
    client.cookies[CONSENT_COOKIE] = choice
    assert "consent-banner" not in client.get(HOME).content.decode()


@pytest.mark.django_db
def test_accepting_remembers_the_answer_for_a_year_and_returns_to_the_page(clock):
    client = browser()
    response = client.post(CONSENT, {"choice": "accepted", "next": PRICING + "?a=1"})
    assert response.status_code == 302
    assert response["Location"] == PRICING + "?a=1"
    morsel = response.cookies[CONSENT_COOKIE]
    assert (morsel.value, morsel["max-age"], morsel["samesite"]) == ("accepted", 31536000, "Lax")
    assert morsel["httponly"] is True


@pytest.mark.django_db
def test_declining_drops_the_visitor_cookie_and_stops_tracking(clock):
    client = browser()
    client.get(HOME)
    assert visitor_id(client)
    response = client.post(CONSENT, {"choice": "declined", "next": HOME})
    assert response.cookies[CONSENT_COOKIE].value == "declined"
    assert response.cookies[VISITOR_COOKIE].value == ""
    client.get(PRICING)
    assert not PageView.objects.filter(path=PRICING).exists()
    assert visitor_id(client) is None


@pytest.mark.django_db
def test_the_script_gets_an_empty_answer(clock):
    response = browser().post(CONSENT, {"choice": "accepted"}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 204
    assert response.cookies[CONSENT_COOKIE].value == "accepted"


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", ""])
def test_it_never_redirects_off_the_site(clock, target):
    response = browser().post(CONSENT, {"choice": "accepted", "next": target})
    assert response["Location"] == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"choice": "maybe"}, {"choice": "accepted\x00"}])
def test_a_bad_answer_is_a_400_and_sets_nothing(clock, data):
    response = browser().post(CONSENT, data)
    assert response.status_code == 400
    assert CONSENT_COOKIE not in response.cookies


@pytest.mark.django_db
def test_the_answer_needs_the_csrf_token(clock):
    from django.test import Client

    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)
    assert client.post(CONSENT, {"choice": "accepted"}).status_code == 403


@pytest.mark.django_db
def test_only_post(clock):
    assert browser().get(CONSENT).status_code == 405


@pytest.mark.django_db
def test_the_event_queue_script_is_on_pages_that_may_send_events(clock, owner):
    endpoint = 'data-endpoint="/api/v1/events/batch/"'
    assert endpoint in browser().get(HOME).content.decode()
    assert endpoint not in browser(HTTP_DNT="1").get(HOME).content.decode()
    signed_in = browser(HTTP_DNT="1")
    signed_in.force_login(owner)
    assert endpoint in signed_in.get("/dashboard/").content.decode()
