"""In a real browser: events recorded offline wait in localStorage (static/js/track.js) and reach
the event log once, and only once, when the browser is back online."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Page

from analytics.models import Event, EventSource
from tests.e2e.conftest import CSP_VIOLATIONS, PAGE_TIMEOUT_MS

pytestmark = pytest.mark.e2e

# Headless chromium says "HeadlessChrome", which crawlerdetect calls a bot: bots get no visitor
# cookie and no event queue. This is the same browser under an ordinary desktop name.
DESKTOP_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
QUEUE = "vc_events_queue"


def _visitor_page(browser: Browser) -> Page:
    context = browser.new_context(locale="en-US", user_agent=DESKTOP_CHROME)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and CSP_VIOLATIONS.append(message.text)
        ),
    )
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    return page


def _queue(page: Page) -> list[dict]:
    return json.loads(page.evaluate(f"() => localStorage.getItem('{QUEUE}') || '[]'"))


def _wait_until_sent(page: Page) -> None:
    page.wait_for_function(
        f"() => JSON.parse(localStorage.getItem('{QUEUE}') || '[]').length === 0",
        timeout=PAGE_TIMEOUT_MS,
    )


def _stored() -> list[Event]:
    return list(Event.objects.filter(source=EventSource.CLIENT).order_by("properties__step"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_events_recorded_offline_are_stored_once_when_back_online(live_server, browser):
    page = _visitor_page(browser)
    try:
        page.goto(live_server.url + "/")
        page.wait_for_function("() => typeof window.vcTrack === 'function'")
        (cookie,) = [c for c in page.context.cookies() if c["name"] == "vc_vid"]
        visitor_id = cookie["value"].split(".")[0]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

        page.context.set_offline(True)
        page.evaluate(
            "() => { for (let step = 0; step < 5; step++) "
            "vcTrack('e2e.offline_step', {step: step, offline: !navigator.onLine}); }"
        )
        page.wait_for_timeout(300)  # nothing could be sent; nothing was lost
        queued = _queue(page)
        assert [item["properties"] for item in queued] == [
            {"step": step, "offline": True} for step in range(5)
        ]
        assert _stored() == []

        page.context.set_offline(False)  # the `online` event sends the queue
        _wait_until_sent(page)
        stored = _stored()
        assert [str(event.pk) for event in stored] == [item["uuid"] for item in queued]
        assert {(e.name, e.anonymous_id, e.actor_id) for e in stored} == {
            ("e2e.offline_step", visitor_id, None)
        }

        # The answer was lost, say: the same events are queued again and sent on the next
        # page. The server already has them, the queue empties, and each is stored once.
        page.evaluate(
            "(items) => localStorage.setItem('vc_events_queue', items)", json.dumps(queued)
        )
        page.reload()
        _wait_until_sent(page)
        assert len(_stored()) == 5
    finally:
        page.context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_banner_fits_a_phone_and_declining_stops_the_cookie(live_server, browser):
    page = _visitor_page(browser)
    try:
        page.set_viewport_size({"width": 360, "height": 640})
        page.goto(live_server.url + "/")
        banner = page.locator("#consent-banner")
        assert banner.is_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        box = banner.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        banner.get_by_role("button", name="Decline").click()
        page.wait_for_function("() => document.getElementById('consent-banner').hidden")
        names = {c["name"]: c["value"] for c in page.context.cookies()}
        assert names.get("vc_consent") == "declined" and "vc_vid" not in names
        page.reload()
        assert page.locator("#consent-banner").count() == 0
    finally:
        page.context.close()
