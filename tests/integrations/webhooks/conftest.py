"""Webhooks test kit: a receiver on loopback (pytest-httpserver) that endpoints may reach,
a clock near the real time (Standard Webhooks' verifier allows five minutes of skew), real
events made through the product's own services, and a workspace's real history that records
one log event of every webhook type (and a few that must produce none)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from jsonschema import Draft202012Validator
from werkzeug import Request, Response

from analytics.models import Event
from billing import services as billing
from billing.models import Plan, Subscription
from integrations.services import connect_sandbox
from integrations.webhooks.catalogue import envelope, envelope_schema, event_data, event_types_for
from teams.services.memberships import membership_add
from teams.services.review import comment_create
from tests.clock import Clock, install_clock
from tests.factories import UserFactory
from tests.integrations.webhooks.transport_kit import (  # noqa: F401 (fixtures registered here)
    allow_private,
    dns,
    keepalive_receiver,
    no_kept_alive_sockets,
    refuse_private,
)
from videos import services as videos
from videos import storage
from videos.models import PlatformPost, RenderJob, Template, Video
from videos.publishing import dispatcher
from videos.publishing.services import schedule_create
from videos.rendering import MediaInfo
from videos.services import jobs, video_create


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return install_clock(monkeypatch, timezone.now().replace(microsecond=0))


@pytest.fixture
def private_hosts(settings):
    """Receivers on loopback over http, as in development."""
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True


class Receiver:
    """Records every request; answers with `status` (a list is used up one per request)."""

    def __init__(self, httpserver) -> None:
        self.server = httpserver
        self.requests: list[Request] = []
        self.status: int | list[int] = 200
        httpserver.expect_request("/hook").respond_with_handler(self._handle)

    @property
    def url(self) -> str:
        return self.server.url_for("/hook")

    def _handle(self, request: Request) -> Response:
        self.requests.append(request)
        status = self.status.pop(0) if isinstance(self.status, list) else self.status
        return Response("ok" if status < 300 else "no", status=status)

    def payloads(self) -> list[dict]:
        return [json.loads(request.get_data()) for request in self.requests]

    def ids(self) -> list[str]:
        return [request.headers["webhook-id"] for request in self.requests]


@pytest.fixture
def receiver(httpserver, private_hosts) -> Receiver:
    return Receiver(httpserver)


def make_videos(workspace, actor, count: int = 1, *, title: str = "Launch") -> list:
    template = Template.objects.filter(is_active=True).order_by("pk").first()
    return [
        video_create(workspace=workspace, template=template, title=f"{title} {n}", actor=actor)
        for n in range(count)
    ]


def record_video_events(workspace, actor, count: int) -> list:
    """`count` videos and their `video.created` events in one transaction, with the properties
    video_create records, without the rest of video_create's work (for big batches)."""
    from django.db import transaction

    from analytics.events import EventName, record
    from videos.models import Video

    template = Template.objects.filter(is_active=True).order_by("pk").first()
    with transaction.atomic():
        videos = Video.objects.bulk_create(
            (
                Video(
                    workspace=workspace,
                    template=template,
                    title=f"Launch {n}",
                    duration_seconds=template.duration,
                    created_by=actor,
                )
                for n in range(count)
            ),
            batch_size=1000,
        )
        for video in videos:
            record(
                EventName.VIDEO_CREATED,
                workspace=workspace,
                actor=actor,
                subject=video,
                properties={
                    "template": template.key,
                    "duration": video.duration_seconds,
                    "title": video.title,
                },
            )
    return videos


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def validator(schema: dict) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def values_in(payload) -> list:
    """Every leaf value (and every key) of a JSON document."""
    if isinstance(payload, dict):
        return [*payload, *(v for value in payload.values() for v in values_in(value))]
    if isinstance(payload, list):
        return [v for value in payload for v in values_in(value)]
    return [payload]


def assert_nothing_private(payload: dict) -> None:
    for value in values_in(payload):
        text = str(value)
        assert not EMAIL.fullmatch(text), f"an e-mail address: {text}"
        assert "token" not in text.lower() and "secret" not in text.lower(), text


def deliver(event: Event) -> dict:
    """The payload a delivery of `event` carries, checked against its type's schemas."""
    [event_type] = event_types_for(event)
    data = event_data(event_type, event)
    validator(event_type.data_schema).validate(data)
    payload = envelope(
        message_id=f"msg_{uuid.uuid4().hex}",
        event_type=event_type.key,
        timestamp=event.occurred_at,
        workspace_id=event.workspace_id,
        sequence=7,
        previous_id=f"msg_{uuid.uuid4().hex}",
        data=data,
    )
    validator(envelope_schema(event_type)).validate(payload)
    assert json.loads(json.dumps(payload)) == payload
    assert_nothing_private(payload)
    return payload


def events(name: str, workspace=None) -> list[Event]:
    found = Event.objects.filter(name=name).order_by("occurred_at", "pk")
    return list(found if workspace is None else found.filter(workspace=workspace))


# -- the history -------------------------------------------------------------------------------


def stored(workspace, kind: str, content: bytes, suffix: str) -> str:
    return default_storage.save(storage.new_key(workspace.pk, kind, suffix), ContentFile(content))


def rendered(video: Video, author) -> Video:
    """The render job's finish, as a worker calls it with the output it stored."""
    body = f"rendered {uuid.uuid4().hex}".encode()
    job = RenderJob.objects.create(video=video, kind="render", requested_by=author)
    claimed = jobs.render_job_claim(job_id=str(job.pk))
    info = MediaInfo(
        duration=2.0,
        width=1280,
        height=720,
        fps=30.0,
        has_audio=False,
        video_codec="h264",
        size=len(body),
        checksum=hashlib.sha256(body).hexdigest(),
    )
    assert jobs.render_job_finish(
        job=claimed,
        info=info,
        file_key=stored(video.workspace, "renders", body, ".mp4"),
        thumb_key=stored(video.workspace, "thumbnails", b"\x89PNG", ".png"),
        kit=None,
        seconds=1.5,
    )
    return Video.objects.get(pk=video.pk)


def new_video(workspace, owner, title: str) -> Video:
    template = Template.objects.filter(tier="free", is_active=True).order_by("pk").first()
    return videos.video_create(workspace=workspace, template=template, title=title, actor=owner)


def sandbox_schedule(video, owner, account, *, caption: str, now: bool):
    later = timezone.now() + dt.timedelta(days=1)
    return schedule_create(
        video=video,
        actor=owner,
        platforms=[{"platform": "sandbox", "account": account.pk, "caption": caption}],
        publish_at=None if now else later,
    )


def publish_due(schedule, times: int = 1) -> None:
    """The dispatcher's runs: claim the schedule's due post and publish it, `times` times."""
    for _ in range(times):
        PlatformPost.objects.filter(schedule=schedule).update(next_attempt_at=timezone.now())
        [(post_id, lease)] = dispatcher.claim_due_posts()
        dispatcher.publish_post(post_id=post_id, lease=lease)


def subscribe(workspace, owner, payment_id: str) -> Subscription:
    session = billing.checkout_start(
        workspace=workspace, plan=Plan.objects.get(key="pro-monthly"), currency="USD", actor=owner
    )
    billing.checkout_complete(session=session, provider_payment_id=payment_id)
    return Subscription.objects.get(workspace=workspace)


@pytest.fixture
def sandbox(workspace, owner):
    return connect_sandbox(workspace=workspace, actor=owner)


@pytest.fixture
def history(workspace, owner, sandbox, django_capture_on_commit_callbacks) -> SimpleNamespace:
    """One event of every webhook type in `workspace`, through the services people use."""
    with django_capture_on_commit_callbacks(execute=True):  # the dispatcher, the export task
        declined = billing.checkout_start(
            workspace=workspace, plan=Plan.objects.get(key="pro-annual"), currency="USD",
            actor=owner,
        )  # fmt: skip
        billing.checkout_fail(
            session=declined, provider_payment_id="sbx_webhooks_1", reason="Card declined."
        )
        subscription = subscribe(workspace, owner, "sbx_webhooks_2")
        ed = UserFactory(email="ed@example.com", name="Ed Editor")
        membership = membership_add(workspace=workspace, user=ed, role="editor", actor=owner)
        video = rendered(new_video(workspace, owner, "Spring launch"), owner)
        version = video.current_version
        comment = comment_create(
            version=version, author=ed, text="Tighter cut here, @Olivia Owner?", time_ms=500
        )
        videos.version_review(version=version, decision="approved", actor=owner)
        schedule = sandbox_schedule(video, owner, sandbox, caption="Out now", now=True)
        export = videos.export_create(workspace=workspace, video_ids=[video.pk], actor=owner)
        doomed = new_video(workspace, owner, "Old draft")
        doomed_id = doomed.pk
        videos.video_delete(video=doomed, actor=owner)
        billing.subscription_cancel(subscription=subscription, actor=owner)
    return SimpleNamespace(
        subscription=subscription,
        membership=membership,
        ed=ed,
        video=video,
        version=version,
        comment=comment,
        schedule=schedule,
        export=export,
        doomed_id=doomed_id,
    )
