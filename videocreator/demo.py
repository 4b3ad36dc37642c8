"""The demo workspace: real renders, a brand kit, versions, a review, an export, schedules,
and two months of posts on the sandbox channel with their statistics.

Everything goes through the same services as the pages, and renders run here rather than on
the worker (the seed runs before the worker starts, and later steps need the files). A task
the worker picks up afterwards finds its job finished and does nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from analytics.events import EventName, record
from integrations.http import Exchange
from integrations.models import Platform, SandboxPost
from integrations.publishers.sandbox import sandbox_post_url, sandbox_statistics
from integrations.services import connect_sandbox
from integrations.webhooks import services as webhooks
from integrations.webhooks.models import Endpoint
from teams.models import Team
from teams.services import review as review_services
from videocreator.performance_data import poll_times, publish_time
from videos import services
from videos.models import BrandKit, ExportJob, RenderJob, Template, Video, VideoStatus
from videos.performance import next_stats_poll
from videos.publishing import dispatcher
from videos.publishing.models import (
    AttemptOutcome,
    PlatformPost,
    PostSnapshot,
    PostStatus,
    PublishAttempt,
    PublishSchedule,
    ScheduleStatus,
)
from videos.publishing.services import schedule_create
from videos.publishing.statistics import COUNTERS

BRAND_KIT_NAME = "Demo Agency"
# The sandbox posts of the past weeks: how many, over how long, and their references.
HISTORY_POSTS, HISTORY_DAYS, HISTORY_SEED = 24, 60, 16
HISTORY_REFERENCE = "demo-history-"
HISTORY_CAPTIONS = (
    "New drop: Aurora Wireless Headphones. #launch #audio",
    "Sound that follows you everywhere 🎧 #aurora",
    "今週の名言 #monday",
    "Quote of the week #motivation",
    "Our year in numbers: up 29 points since January #recap",
    "Behind the numbers #data",
)


@dataclass
class DemoContent:
    """What a seed run added, for the command's summary."""

    created: list[str] = field(default_factory=list)


def logo_upload() -> SimpleUploadedFile:
    """A small transparent PNG logo drawn here, so the seed needs no asset files."""
    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), fill=(255, 61, 127, 255))
    draw.rectangle((80, 70, 100, 170), fill=(255, 255, 255, 255))
    draw.polygon([(110, 70), (170, 120), (110, 170)], fill=(255, 255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("demo-agency-logo.png", buffer.getvalue(), "image/png")


def render_now(job: RenderJob) -> None:
    services.render_job_run(job_id=str(job.pk))


def demo_video(
    *, workspace: Team, actor, key: str, title: str, fields: dict, content: DemoContent
) -> Video:
    """The workspace's video called `title`, created and rendered once."""
    video = Video.objects.filter(workspace=workspace, title=title).first()
    if video is None:
        template = Template.objects.get(key=key)
        video = services.video_create(
            workspace=workspace,
            template=template,
            title=title,
            actor=actor,
            fields=fields,
            duration=template.min_duration,
        )
        content.created.append(f"video {title!r}")
    if video.status == VideoStatus.DRAFT:
        render_now(services.video_render(video=video, actor=actor))
        video.refresh_from_db()
    return video


def demo_brand_kit(*, workspace: Team, actor, content: DemoContent) -> BrandKit:
    kit = BrandKit.objects.filter(workspace=workspace, name=BRAND_KIT_NAME).first()
    if kit is None:
        kit = services.brand_kit_create(
            workspace=workspace,
            actor=actor,
            name=BRAND_KIT_NAME,
            logo=logo_upload(),
            position="top-right",
            opacity=90,
            scale=0.12,
            margin=24,
            is_default=True,
        )
        content.created.append(f"brand kit {BRAND_KIT_NAME}")
    return kit


def demo_versions(*, video: Video, kit: BrandKit, actor, content: DemoContent) -> None:
    """Three versions: the first render, an edit rendered again, the brand kit applied."""
    if video.versions.count() >= 3:
        return
    fields = {**video.fields, "tagline": "Sound that follows you everywhere"}
    video = services.video_update(video=video, actor=actor, fields=fields)
    render_now(services.video_render(video=video, actor=actor))
    video.refresh_from_db()
    render_now(services.video_apply_branding(video=video, brand_kit=kit, actor=actor))
    content.created.append(f"versions 2 and 3 of {video.title!r} (edited, then branded)")


def demo_review(*, video: Video, owner, editor, viewer, content: DemoContent) -> None:
    """A review thread on the current version: questions, a reply, a mention, one resolved."""
    video.refresh_from_db()
    version = video.current_version
    if version is None or version.comments.exists():
        return
    first = review_services.comment_create(
        version=version,
        author=editor,
        text="The logo covers the price at the start: can it come in after two seconds?",
        time_ms=1200,
        end_ms=3400,
    )
    review_services.comment_create(
        version=version,
        author=owner,
        text=f"Good catch. @{viewer.display_name}, does the client want the price shown at all?",
        parent=first,
    )
    resolved = review_services.comment_create(
        version=version, author=viewer, text="Love the new tagline.", time_ms=6000
    )
    review_services.comment_resolve(comment=resolved, actor=owner)
    content.created.append(f"a review thread on {video.title!r}")


def demo_export(*, workspace: Team, videos: list[Video], actor, content: DemoContent) -> None:
    if ExportJob.objects.filter(workspace=workspace).exists():
        return
    export = services.export_create(
        workspace=workspace, video_ids=[video.pk for video in videos], actor=actor
    )
    services.export_run(export_id=str(export.pk))
    content.created.append(f"an export of {len(videos)} videos")


def demo_schedules(*, workspace: Team, videos: list[Video], actor, content: DemoContent) -> None:
    """The sandbox test channel, a video published to it now (through the dispatcher, as the
    worker would) and two waiting: one on the channel in three days, one to post by hand."""
    if PublishSchedule.objects.filter(workspace=workspace).exists():
        return
    channel = connect_sandbox(workspace=workspace, actor=actor)
    caption = "New drop: Aurora Wireless Headphones. #launch #audio"
    schedule_create(
        video=videos[0],
        actor=actor,
        platforms=[{"account": channel.pk, "caption": caption}],
    )
    for post_id, lease in dispatcher.claim_due_posts():
        dispatcher.publish_post(post_id=post_id, lease=lease)
    later = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
    schedule_create(
        video=videos[1],
        actor=actor,
        publish_at=later,
        time_zone="Asia/Tokyo",
        platforms=[
            {"account": channel.pk, "caption": "今週の名言 #monday"},
            {"manual": True, "platform": "instagram", "caption": "Quote of the week #monday"},
        ],
    )
    content.created.append("the sandbox test channel, one post published to it, two waiting")


def demo_performance(
    *, workspace: Team, videos: list[Video], actor, content: DemoContent, now=None
) -> None:
    """Two months of posts of the demo videos on the sandbox channel, at varied weekdays and
    hours, each with its snapshots at the times the poller would have taken them (the
    channel's own numbers for those times), its latest numbers, and its next poll due, so the
    beat task carries on from there. Written as the dispatcher and the poller leave them
    (post, sandbox post, attempt, `video.published` event at its time), not through them:
    they publish and poll now, and these happened in the past."""
    channel = connect_sandbox(workspace=workspace, actor=actor)
    done = SandboxPost.objects.filter(account=channel, reference__startswith=HISTORY_REFERENCE)
    if done.exists():
        return
    now = now or timezone.now()
    rng = random.Random(HISTORY_SEED)  # noqa: S311 - demo data
    start = now - dt.timedelta(days=HISTORY_DAYS)
    moments = sorted(publish_time(rng, start=start, now=now) for _ in range(HISTORY_POSTS))
    snapshots: list[PostSnapshot] = []
    with transaction.atomic():
        for number, published_at in enumerate(moments):
            video = videos[rng.choices(range(len(videos)), weights=(3, 2, 2)[: len(videos)])[0]]
            post, sandbox = history_post(
                channel=channel,
                video=video,
                actor=actor,
                reference=f"{HISTORY_REFERENCE}{number:02d}",
                caption=rng.choice(HISTORY_CAPTIONS),
                published_at=published_at,
            )
            snapshots += history_snapshots(post=post, sandbox=sandbox, now=now)
        PostSnapshot.objects.bulk_create(snapshots, batch_size=1000)
    content.created.append(
        f"{HISTORY_POSTS} posts on the sandbox channel over the past {HISTORY_DAYS} days "
        f"with {len(snapshots):,} statistics snapshots"
    )


def history_post(
    *, channel, video: Video, actor, reference: str, caption: str, published_at
) -> tuple[PlatformPost, SandboxPost]:
    """A post of `video` published on the sandbox channel at `published_at`, as publishing it
    then would have left it."""
    version = video.current_version
    schedule = PublishSchedule.objects.create(
        workspace=channel.workspace,
        video=video,
        version=version,
        requested_by=actor,
        publish_at=published_at,
        status=ScheduleStatus.PUBLISHED,
        created_at=published_at - dt.timedelta(hours=20),
        finished_at=published_at,
        notified_at=published_at,
    )
    sandbox = SandboxPost.objects.create(
        account=channel,
        reference=reference,
        title=video.title,
        caption=caption,
        video_key=version.file.name,
        size=version.size,
        duration=version.duration,
        width=version.width,
        height=version.height,
        published_at=published_at,
    )
    post = PlatformPost.objects.create(
        schedule=schedule,
        platform=Platform.SANDBOX,
        account=channel,
        title=video.title,
        caption=caption,
        status=PostStatus.PUBLISHED,
        attempts=1,
        next_attempt_at=published_at,
        started_at=published_at,
        remote_id=str(sandbox.pk),
        remote_url=sandbox_post_url(sandbox),
        published_at=published_at,
    )
    exchange = Exchange("POST", "sandbox:/posts", status=201, duration_ms=12)
    PublishAttempt.objects.create(
        post=post,
        number=1,
        started_at=published_at,
        duration_ms=15,
        outcome=AttemptOutcome.PUBLISHED,
        requests=[exchange.summary()],
        response_status=201,
    )
    record(
        EventName.VIDEO_PUBLISHED,
        workspace=channel.workspace,
        subject=video,
        properties={
            "platform": post.platform,
            "url": post.remote_url,
            "remote_id": post.remote_id,
            "schedule_id": schedule.pk,
            "post_id": post.pk,
            "title": video.title,
        },
        occurred_at=published_at,
        idempotency_key=f"video.published:{post.pk}",
    )
    return post, sandbox


def history_snapshots(*, post: PlatformPost, sandbox: SandboxPost, now) -> list[PostSnapshot]:
    """The post's snapshots at the poller's times up to `now` (unsaved), its latest numbers
    kept on it as the poller keeps them, and its next poll."""
    snapshots = []
    for moment in poll_times(published_at=post.published_at, until=now):
        numbers = sandbox_statistics(sandbox, at=moment)
        values = {name: getattr(numbers, name) for name in COUNTERS}
        for name, value in values.items():
            if value is not None:  # as the poller: an unreported counter keeps its last value
                setattr(post, name, value)
        snapshots.append(PostSnapshot(post=post, taken_at=moment, **values))
    post.stats_taken_at = snapshots[-1].taken_at
    post.next_stats_at = next_stats_poll(published_at=post.published_at, now=post.stats_taken_at)
    post.save(update_fields=[*COUNTERS, "stats_taken_at", "next_stats_at"])
    return snapshots


DEMO_RECEIVER_PATH = "/demo/webhook-receiver/"


def demo_webhooks(*, workspace: Team, actor, content: DemoContent) -> None:
    """An endpoint for every event and a Zapier-style REST hook, both posting to the demo
    receiver this server runs in DEBUG (the worker delivers the demo's events to them). Made
    first, so the videos, review, export and schedule that follow are delivered."""
    url = settings.SITE_URL + DEMO_RECEIVER_PATH
    if Endpoint.objects.filter(workspace=workspace, url=url).exists():
        return
    try:
        webhooks.endpoint_create(
            workspace=workspace,
            actor=actor,
            url=url,
            description="Demo receiver: every event",
            headers={"X-Demo": "video-creator"},
        )
        webhooks.hook_subscribe(
            workspace=workspace, actor=actor, target_url=url, event="video.published"
        )
    except ValidationError:
        return  # not on a private host allowed (production settings): no demo endpoint
    content.created.append("a webhook endpoint and a REST hook posting to the demo receiver")
