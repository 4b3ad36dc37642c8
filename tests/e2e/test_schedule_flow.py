"""In a real browser: schedule a video to two platforms (X and YouTube) with "Publish now",
and see both published by a real Celery worker against local servers that speak the
platforms' protocols."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from integrations.models import ConnectedAccount
from tests.celery_workers import (
    drop_queue,
    reachable_redis,
    start_worker,
    tasks_sent_to,
    wait_for,
)
from tests.e2e.conftest import choose_workspace, new_page, sign_in
from tests.fake_platforms import FakeX, FakeYouTube
from videos.models import PlatformPost, PublishSchedule

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


@pytest.fixture
def broker_queue():
    """The web side (the live server) sends its tasks to Redis, to a queue of this test's."""
    if connection.vendor != "postgresql":
        pytest.skip("A worker process next to the live server needs PostgreSQL.")
    url = reachable_redis()
    name = f"test-schedule-{uuid.uuid4().hex}"
    with tasks_sent_to(url, name):
        yield url, name
    drop_queue(url, name)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_schedule_to_two_platforms_and_see_a_worker_publish(
    live_server, browser, settings, broker_queue, workspace, owner, ten_second_version, tmp_path
):
    redis_url, queue = broker_queue
    video = ten_second_version.video
    with FakeX() as x, FakeYouTube() as youtube:
        credentials = {"client_id": "id", "client_secret": "secret"}
        settings.SOCIAL_PLATFORMS = {
            **settings.SOCIAL_PLATFORMS,
            "x": {**settings.SOCIAL_PLATFORMS["x"], **credentials, "api_base": x.base},
            "youtube": {
                **settings.SOCIAL_PLATFORMS["youtube"],
                **credentials,
                "api_base": youtube.base,
            },
        }
        later = timezone.now() + dt.timedelta(hours=2)
        accounts = {
            platform: ConnectedAccount.objects.create(
                workspace=workspace,
                platform=platform,
                external_id=external_id,
                name=name,
                handle="@acme",
                access_token=f"{platform}-token",
                refresh_token="r",
                expires_at=later,
            )
            for platform, external_id, name in (
                ("x", "42", "Acme on X"),
                ("youtube", "UC1", "Acme TV"),
            )
        }
        worker = start_worker(
            redis_url=redis_url,
            queue=queue,
            log_dir=tmp_path,
            env={
                "X_CLIENT_ID": "id",
                "X_CLIENT_SECRET": "secret",
                "X_API_BASE": x.base,
                "YOUTUBE_CLIENT_ID": "id",
                "YOUTUBE_CLIENT_SECRET": "secret",
                "YOUTUBE_API_BASE": youtube.base,
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                "PUBLISH_POLL_SECONDS": "0",
            },
        )
        try:
            page = new_page(browser)
            sign_in(page, live_server.url, owner.email)
            choose_workspace(page, workspace.pk)
            page.goto(live_server.url + reverse("videos:detail", args=[video.pk]))
            schedule_link = reverse("videos:schedule_new", args=[video.pk])
            with page.expect_navigation():
                page.locator(f"main a[href='{schedule_link}']").click()
            expect(page.locator("main")).to_contain_text("Times are in your time zone")
            for platform, account in accounts.items():
                page.locator(f"input[name=account][value='{account.pk}']").check()
                page.fill(f"#caption-{account.pk}", f"Spring launch on {platform}")
            page.get_by_role("button", name="Publish now").click()
            # The form posts to its own address, then redirects: wait for where it lands.
            page.wait_for_url(re.compile(r"/schedules/\d+/$"))
            schedule = PublishSchedule.objects.get()
            assert page.url.endswith(reverse("videos:schedule_detail", args=[schedule.pk]))

            wait_for(
                lambda: (
                    PlatformPost.objects.filter(schedule=schedule, status="published").count() == 2
                ),
                [worker],
                "both posts to be published by the worker",
                timeout=90,
            )
            page.reload()
            for platform in ("x", "youtube"):
                row = page.locator(f"#post-{platform}")
                expect(row).to_contain_text("Published")
                expect(row.get_by_role("link", name="View the post")).to_be_visible()
            expect(page.locator("main")).to_contain_text(re.compile("Published"))
        finally:
            worker.stop()
            page.context.close()
        assert x.posts == {"Spring launch on x": 1}
        assert youtube.videos == {"Spring launch": 1}  # the title defaults to the video's
    schedule.refresh_from_db()
    assert schedule.status == "published" and schedule.notified_at is not None
