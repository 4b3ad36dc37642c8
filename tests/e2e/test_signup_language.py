"""In a real browser: sign up, confirm the e-mail, land on the dashboard, switch to Japanese.

Drives Debian's chromium through Playwright against pytest-django's live server,
which runs in this process, so the confirmation e-mail is in `mail.outbox`.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import polib
import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from accounts.models import Profile, User
from analytics.models import Event
from tests.e2e.conftest import path_of as _path

pytestmark = pytest.mark.e2e

PROJECT_DIR = Path(__file__).resolve().parents[2]
JA_PO = PROJECT_DIR / "locale" / "ja" / "LC_MESSAGES" / "django.po"
JA_MO = JA_PO.with_suffix(".mo")
SCREENSHOT = PROJECT_DIR / "var" / "e2e-dashboard-ja.png"
CONFIRM_LINK = re.compile(r"""[^\s"'<>]*/accounts/confirm-email/[^\s"'<>]+""")


def _japanese_for(msgid: str) -> str:
    """The Japanese catalog's translation of msgid, read from the .po (not hard-coded here)."""
    if not JA_PO.exists():
        pytest.fail(f"The Japanese catalog {JA_PO} does not exist yet.")
    if not JA_MO.exists():
        pytest.fail(f"{JA_MO} is missing: run `manage.py compilemessages` after editing the .po.")
    entries = [
        entry
        for entry in polib.pofile(str(JA_PO))
        if entry.msgid == msgid and not entry.msgctxt and not entry.obsolete
    ]
    assert entries, f"{JA_PO} has no entry for msgid {msgid!r}."
    entry = entries[0]
    assert entry.translated(), f"{JA_PO}: {msgid!r} is untranslated or fuzzy."
    return entry.msgstr


def _switch_language(page: Page, language: str) -> None:
    """Use the header's switcher: app.js submits on change; without JS, press its button."""
    form = page.locator("form.language-switcher")
    try:
        with page.expect_navigation(timeout=5_000):
            page.select_option("#language-select", language)
    except PlaywrightTimeoutError:
        pass
    page.wait_for_load_state()
    if page.locator("html").get_attribute("lang") == language:
        return
    page.select_option("#language-select", language)
    button = form.locator("button[type=submit]")
    with page.expect_navigation():
        if button.is_visible():
            button.click()
        else:
            form.evaluate("form => form.submit()")
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sign_up_confirm_and_switch_to_japanese(live_server, page):
    email = f"e2e-{uuid.uuid4().hex[:12]}@example.com"
    password = f"Lantern-{uuid.uuid4().hex[:8]}-orchard"
    signup_path = reverse("account_signup")
    verification_sent_path = reverse("account_email_verification_sent")
    dashboard_path = reverse("dashboard")

    # Sign up.
    page.goto(live_server.url + signup_path)
    signup_form = page.locator("form:has(input[name='password1'])")
    signup_form.locator("input[name='email']").fill(email)
    signup_form.locator("input[name='password1']").fill(password)
    signup_form.locator("input[name='password2']").fill(password)
    with page.expect_navigation():
        signup_form.locator("button[type=submit], input[type=submit]").first.click()
    assert _path(page) == verification_sent_path, (
        f"Expected the 'verification sent' page after sign-up, got {page.url}:\n"
        + page.locator("main").inner_text()
    )

    # The confirmation e-mail, sent by the live server in this process.
    sent = [message for message in mail.outbox if email in message.to]
    assert len(sent) == 1, f"Expected one e-mail to {email}, found {len(sent)}."
    match = CONFIRM_LINK.search(sent[0].body)
    assert match, f"No /accounts/confirm-email/ link in the e-mail:\n{sent[0].body}"
    confirm_url = urljoin(live_server.url + "/", match.group(0))
    assert urlsplit(confirm_url).netloc == urlsplit(live_server.url).netloc, (
        f"The confirmation link {confirm_url} does not point at the live server {live_server.url}."
    )

    # Confirm it; ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION signs the user in.
    page.goto(confirm_url)
    confirm_form = page.locator("main form[method='post' i]").filter(
        has=page.locator("button[type=submit], input[type=submit]")
    )
    with page.expect_navigation():
        confirm_form.first.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_load_state()
    assert _path(page) == dashboard_path, f"Expected the dashboard after confirming, got {page.url}"
    expect(page.locator("details.account-menu")).to_be_visible()

    user = User.objects.get(email=email)
    assert Profile.objects.get(user=user).language != "ja"

    # Switch to Japanese with the header's language switcher.
    _switch_language(page, "ja")
    assert Profile.objects.get(user=user).language == "ja"

    page.goto(live_server.url + dashboard_path)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    videos_ja = _japanese_for("Videos")
    assert videos_ja.strip(), "The Japanese msgstr for 'Videos' is empty."
    assert videos_ja != "Videos", "The Japanese msgstr for 'Videos' is the English text."
    assert any(ord(char) > 127 for char in videos_ja), (
        f"The Japanese msgstr for 'Videos' ({videos_ja!r}) has no non-ASCII character."
    )
    nav = page.locator("nav.main-nav")
    expect(nav.get_by_role("link", name=videos_ja, exact=True)).to_be_visible()
    assert videos_ja in page.locator("body").inner_text()

    # What the flow recorded.
    for name in ("user.signed_up", "user.verified"):
        assert Event.objects.filter(name=name, actor=user).count() == 1, (
            f"Expected one {name!r} event for {email}: "
            f"{list(Event.objects.filter(actor=user).values_list('name', flat=True))}"
        )
