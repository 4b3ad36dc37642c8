"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

The live server runs in this process, so e-mails it sends are in `mail.outbox`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Browser, Page, sync_playwright

from tests.factories import DEFAULT_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE_TIMEOUT_MS = 15_000


@pytest.fixture(autouse=True)
def _allow_orm_next_to_playwright(monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; the ORM calls in the test
    # would otherwise raise SynchronousOnlyOperation.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
            # While Playwright's event loop runs in this thread, Django keeps the test's
            # database connections in a context variable instead of the thread-local that
            # pytest-django cleans up; close them here, or PostgreSQL refuses to drop the
            # test database ("being accessed by other users").
            connections.close_all()


# Every page's console messages about the Content-Security-Policy, for the test to fail on.
CSP_VIOLATIONS: list[str] = []


@pytest.fixture(autouse=True)
def _no_csp_violations():
    """A browser test fails if the page broke the Content-Security-Policy anywhere."""
    CSP_VIOLATIONS.clear()
    yield
    violations, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []
    assert violations == [], "Content-Security-Policy violations in the browser"


def _watch_csp(message) -> None:
    if "Content Security Policy" in message.text:
        CSP_VIOLATIONS.append(f"{message.location.get('url', '')}: {message.text}")


def new_page(browser: Browser) -> Page:
    """A page in a fresh browser context: its own cookies, so its own signed-in person."""
    context = browser.new_context(locale="en-US")
    browser_page = context.new_page()
    browser_page.on("console", _watch_csp)
    browser_page.set_default_timeout(PAGE_TIMEOUT_MS)
    browser_page.set_default_navigation_timeout(PAGE_TIMEOUT_MS)
    return browser_page


@pytest.fixture
def page(browser) -> Iterator[Page]:
    browser_page = new_page(browser)
    try:
        yield browser_page
    finally:
        browser_page.context.close()


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


# -- signing in ---------------------------------------------------------------------------------


def sign_in(page: Page, base_url: str, email: str, *, next_path: str = "") -> None:
    login = reverse("account_login") + (f"?next={next_path}" if next_path else "")
    page.goto(base_url + login)
    form = page.locator("form:has(input[name='password'])")
    form.locator("input[name='login']").fill(email)
    form.locator("input[name='password']").fill(DEFAULT_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def choose_workspace(page: Page, workspace_id: int) -> None:
    """The header's switcher submits itself when changed (app.js)."""
    with page.expect_navigation():
        page.select_option("#workspace-select", str(workspace_id))


# -- a video to review --------------------------------------------------------------------------

from tests.videos.conftest import (  # noqa: E402, F401 - fixtures for the review flow
    ffmpeg,
    first_version,
    make_template,
    media_dir,
    mp4_path,
    ready_video,
    template,
)


@pytest.fixture
def ten_second_version(ready_video, media_dir, workspace, owner):  # noqa: F811
    """Version 1 of a ready video whose MP4 really lasts ten seconds, so a player can seek."""
    from videos import storage

    clip = media_dir / "ten-seconds.mp4"
    if not clip.exists():
        ffmpeg(
            "-f",
            "lavfi",
            "-i",
            "color=c=green:s=64x36:r=5",
            "-t",
            "10",
            "-pix_fmt",
            "yuv420p",
            "-c:v",
            "libx264",
            str(clip),
        )
    video = ready_video(title="Spring launch")
    video.file.name = storage.save_path(clip, workspace_id=workspace.pk, kind="renders")
    video.size = clip.stat().st_size
    video.save(update_fields=["file", "size"])
    return first_version(video, owner, duration=10.0)
