"""Scheduling and publishing through X's protocol on a local server: the connected account,
the ready video, and helpers the publishing tests share."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from werkzeug import Response

from integrations.models import ConnectedAccount
from videos.models import PlatformPost
from videos.publishing import dispatcher, services


@pytest.fixture
def x_server(httpserver, settings):
    base = httpserver.url_for("").rstrip("/")
    settings.SOCIAL_PLATFORMS = {
        **settings.SOCIAL_PLATFORMS,
        "x": {
            "client_id": "x-id",
            "client_secret": "x-secret",
            "authorize_url": f"{base}/i/oauth2/authorize",
            "api_base": base,
        },
    }
    settings.PUBLISH_POLL_SECONDS = 0
    settings.PUBLISH_CHUNK_BYTES = 64 * 1024
    return httpserver


@pytest.fixture
def account(workspace):
    return ConnectedAccount.objects.create(
        workspace=workspace,
        platform="x",
        external_id="42",
        name="Acme",
        handle="@acme",
        access_token="x-access",
        refresh_token="x-refresh",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )


@pytest.fixture
def ready(version):
    """The ready video of `version` (10 s), current version set."""
    video = version.video
    video.current_version = version
    video.save(update_fields=["current_version"])
    return video


def summer_day_in_new_york() -> dt.date:
    """A coming day when New York keeps daylight-saving time (EDT, UTC−4): June 1 or August 1,
    at least a week away and always well within the scheduling horizon."""
    soon = timezone.localdate() + dt.timedelta(days=7)
    candidates = [dt.date(soon.year + n, month, 1) for n in (0, 1) for month in (6, 8)]
    return next(day for day in candidates if day > soon)


def tomorrow():
    return timezone.now() + dt.timedelta(days=1)


def schedule_for(video, owner, account, **kwargs):
    return services.schedule_create(
        video=video,
        actor=owner,
        platforms=[{"platform": "x", "account": account.pk, "caption": "Launch day!"}],
        publish_at=kwargs.pop("publish_at", tomorrow()),
        **kwargs,
    )


def x_protocol(server, *, tweet_status=201):
    """X's media upload and post endpoints, recording what arrives."""
    seen = {"commands": [], "bytes": b"", "tweets": []}

    def upload(request):
        command = request.form.get("command") or request.args.get("command")
        seen["commands"].append(command)
        if command == "INIT":
            body = {"data": {"id": "m1", "media_key": "7_m1"}}
        elif command == "APPEND":
            seen["bytes"] += request.files["media"].read()
            return Response(status=204)
        elif command == "FINALIZE":
            body = {"data": {"id": "m1", "processing_info": {"state": "pending"}}}
        else:  # STATUS
            body = {"data": {"id": "m1", "processing_info": {"state": "succeeded"}}}
        return Response(json.dumps(body), content_type="application/json")

    def tweet(request):
        seen["tweets"].append(json.loads(request.get_data()))
        body = {"data": {"id": "t1", "text": "Launch day!"}}
        return Response(json.dumps(body), status=tweet_status, content_type="application/json")

    server.expect_request("/2/media/upload").respond_with_handler(upload)
    server.expect_request("/2/tweets", method="POST").respond_with_handler(tweet)
    return seen


def claim_one(schedule) -> tuple[int, str]:
    PlatformPost.objects.filter(schedule=schedule).update(next_attempt_at=timezone.now())
    [claimed] = dispatcher.claim_due_posts()
    return claimed


# -- the sandbox test channel and publishing by hand ---------------------------------------------


@pytest.fixture
def sandbox(workspace, owner):
    """The workspace's sandbox test channel, connected by the owner."""
    from integrations.services import connect_sandbox

    return connect_sandbox(workspace=workspace, actor=owner)


def sandbox_schedule(video, owner, sandbox, *, caption="Launch day!", **kwargs):
    return services.schedule_create(
        video=video,
        actor=owner,
        platforms=[{"platform": "sandbox", "account": sandbox.pk, "caption": caption}],
        publish_at=kwargs.pop("publish_at", tomorrow()),
        **kwargs,
    )


def manual_schedule(video, owner, *, platform="tiktok", caption="Out now #launch", **kwargs):
    """A post of the video to publish by hand on `platform` (not connected, not configured)."""
    return services.schedule_create(
        video=video,
        actor=owner,
        platforms=[{"platform": platform, "manual": True, "caption": caption}],
        publish_at=kwargs.pop("publish_at", tomorrow()),
        **kwargs,
    )
