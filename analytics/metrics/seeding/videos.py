"""Videos made during visits: created from a template of the library (Pro ones and 1080p only
while the workspace is on Pro), rendered by a worker, sometimes scheduled to platforms and
published there by hand.

Rows and events as `video_create`, `video_render`, the render job's finish (or failure),
`schedule_create` and the manual publishing flow write them, with one difference: nothing is
stored on disk, so a rendered video is `ready` with its render's size, length and frame but no
file and no version (the video page then offers to render it again, as for a video whose file
is gone); `video.rendered` says `version: null` accordingly. Posts are published by hand (no
connected account is needed, and no platform is called): the requester is notified when a post
is due, then marks it published with its link, or skips it.
"""

from __future__ import annotations

import datetime as dt
import random

from django.urls import reverse

from analytics.events import EventName
from integrations.models import Platform
from teams.models import Notification, NotificationKind
from videos.models import RenderJob, RenderJobKind, RenderJobStatus, Template, Video, VideoStatus
from videos.publishing.models import PlatformPost, PostStatus, PublishSchedule
from videos.rendering.media import output_size

from . import catalog
from .context import Context, TemplateRow, after, event, new_uuid, subject_of
from .people import Person

# What the encoder writes per second of video, roughly (H.264 + AAC, yuv420p).
BYTES_PER_SECOND = {720: 320_000, 1080: 640_000}
RENDER_ERRORS = {
    "timeout": "rendering took longer than the time limit",
    "ffmpeg_failed": "ffmpeg exited with status 1",
    "font_missing": "no installed font covers the text",
}
POST_URLS = {
    "youtube": "https://www.youtube.com/shorts/{id}",
    "instagram": "https://www.instagram.com/reel/{id}/",
    "tiktok": "https://www.tiktok.com/@creator/video/{number}",
    "facebook": "https://www.facebook.com/reel/{number}",
    "x": "https://x.com/creator/status/{number}",
}


def _on_pro(on_pro: list[tuple[dt.datetime, dt.datetime]], moment: dt.datetime) -> bool:
    return any(start <= moment < end for start, end in on_pro)


def video_story(
    ctx: Context,
    rng: random.Random,
    person: Person,
    on_pro: list[tuple[dt.datetime, dt.datetime]],
) -> None:
    if person.behaviour is None:
        return
    chance = person.behaviour.video_per_visit
    for visit in person.visits:
        made = 0
        while rng.random() < chance / (2**made):
            created_at = visit + dt.timedelta(minutes=2 + 20 * made + rng.uniform(0, 15))
            if created_at >= ctx.now:
                break
            _video(ctx, rng, person, created_at, pro=_on_pro(on_pro, created_at))
            made += 1


def _template(ctx: Context, rng: random.Random, *, pro: bool) -> TemplateRow:
    pro_templates = [t for t in ctx.templates if t.is_pro]
    if pro and pro_templates and rng.random() < catalog.PRO_TEMPLATE_SHARE_ON_PRO:
        return rng.choice(pro_templates)
    free = [t for t in ctx.templates if not t.is_pro]
    # The first templates of the library are the popular ones.
    return rng.choices(free, weights=[1 / (rank + 1) ** 0.7 for rank in range(len(free))])[0]


def _video(
    ctx: Context, rng: random.Random, person: Person, created_at: dt.datetime, *, pro: bool
) -> None:
    template = _template(ctx, rng, pro=pro)
    seconds = round(rng.triangular(template.min_duration, template.max_duration, template.duration))
    resolution = 1080 if pro and rng.random() < catalog.FULL_HD_SHARE_ON_PRO else 720
    video_id = ctx.ids.take(Video)
    video = {
        "id": video_id,
        "workspace_id": person.team_id,
        "template_id": template.id,
        "title": rng.choice(catalog.TITLES),
        "fields": template.fields,
        "duration_seconds": seconds,
        "resolution": resolution,
        "source_clip": "",
        "status": VideoStatus.DRAFT,
        "progress": 0,
        "error_code": "",
        "error_detail": "",
        "created_by_id": person.user_id,
        "created_at": created_at,
        "updated_at": created_at,
        "rendered_at": None,
    }
    ctx.template_uses[template.id] += 1
    where = {"workspace_id": person.team_id, "actor_id": person.user_id}
    subject = subject_of(Video, video_id)
    event(
        ctx,
        rng,
        EventName.VIDEO_CREATED,
        created_at,
        subject=subject,
        properties={"template": template.key, "duration": seconds, "title": video["title"]},
        **where,
    )
    event(
        ctx,
        rng,
        EventName.TEMPLATE_USED,
        created_at + dt.timedelta(milliseconds=2),
        subject=subject_of(Template, template.id),
        properties={"video": video_id},
        **where,
    )
    requested_at = after(rng, created_at, seconds=1800)
    if rng.random() < catalog.RENDER_SHARE and requested_at < ctx.now:
        _render(ctx, rng, person, template, video, requested_at)
    ctx.out[Video].add(**video)


def _render(ctx, rng, person: Person, template: TemplateRow, video: dict, requested_at) -> None:
    started_at = after(rng, requested_at, seconds=20)
    seconds = video["duration_seconds"] * rng.uniform(0.06, 0.14) + rng.uniform(0.5, 2)
    finished_at = started_at + dt.timedelta(seconds=seconds)
    if finished_at >= ctx.now:
        return  # not rendered yet: a draft
    job_id = new_uuid(rng)
    failed = rng.random() < catalog.RENDER_FAILURE_SHARE
    code = rng.choice(catalog.RENDER_ERROR_CODES) if failed else ""
    ctx.out[RenderJob].add(
        id=job_id,
        video_id=video["id"],
        kind=RenderJobKind.RENDER,
        status=RenderJobStatus.FAILED if failed else RenderJobStatus.DONE,
        brand_kit_id=None,
        requested_by_id=person.user_id,
        attempts=1,
        token=None,
        worker=rng.choice(catalog.RENDER_WORKERS),
        created_at=requested_at,
        started_at=started_at,
        heartbeat_at=started_at + dt.timedelta(seconds=max(0.0, seconds - 1)),
        finished_at=finished_at,
        error_code=code,
        seconds=None if failed else seconds,
    )
    where = {"workspace_id": person.team_id, "actor_id": person.user_id}
    subject = subject_of(Video, video["id"])
    resolution = video["resolution"]
    event(
        ctx,
        rng,
        EventName.VIDEO_RENDER_REQUESTED,
        requested_at,
        subject=subject,
        properties={"job": str(job_id), "resolution": resolution, "brand_kit": None},
        **where,
    )
    if failed:
        video.update(status=VideoStatus.FAILED, error_code=code, error_detail=RENDER_ERRORS[code])
        video["updated_at"] = finished_at
        event(
            ctx,
            rng,
            EventName.VIDEO_RENDER_FAILED,
            finished_at,
            subject=subject,
            properties={"job": str(job_id), "code": code, "kind": RenderJobKind.RENDER},
            idempotency_key=f"video.render_failed:{job_id}",
            **where,
        )
        return
    width, height = output_size(template.aspect_ratio, resolution)
    duration = float(video["duration_seconds"])
    size = int(duration * BYTES_PER_SECOND[resolution] * rng.uniform(0.7, 1.3))
    video.update(
        status=VideoStatus.READY,
        progress=100,
        width=width,
        height=height,
        fps=30.0,
        duration=duration,
        size=size,
        rendered_at=finished_at,
        updated_at=finished_at,
    )
    event(
        ctx,
        rng,
        EventName.VIDEO_RENDERED,
        finished_at,
        subject=subject,
        properties={
            "job": str(job_id),
            "seconds": round(seconds, 2),
            "size": size,
            "duration": duration,
            "width": width,
            "height": height,
            "brand_kit": None,
            "version": None,
            "title": video["title"],
        },
        idempotency_key=f"video.rendered:{job_id}",
        **where,
    )
    scheduled_at = finished_at + dt.timedelta(minutes=rng.uniform(5, 2 * 24 * 60))
    if rng.random() < catalog.SCHEDULE_SHARE and scheduled_at < ctx.now:
        _schedule(ctx, rng, person, video, scheduled_at)


def _schedule(ctx: Context, rng: random.Random, person: Person, video: dict, at) -> None:
    now_flag = rng.random() < catalog.SCHEDULE_NOW_SHARE
    publish_at = at if now_flag else at + dt.timedelta(hours=rng.uniform(1, 5 * 24))
    if publish_at >= ctx.now:
        return  # only what has come due: nothing waits for the dispatcher
    count = rng.choice((1, 1, 1, 2, 2, 3))
    platforms: list[str] = []
    while len(platforms) < count:
        platform = rng.choices(catalog.PLATFORMS, weights=catalog.PLATFORM_WEIGHTS)[0]
        if platform not in platforms:
            platforms.append(platform)
    schedule_id = ctx.ids.take(PublishSchedule)
    where = {"workspace_id": person.team_id, "actor_id": person.user_id}
    subject = subject_of(Video, video["id"])
    event(
        ctx,
        rng,
        EventName.VIDEO_SCHEDULED,
        at,
        subject=subject,
        properties={
            "schedule_id": schedule_id,
            "publish_at": publish_at.isoformat(),
            "platforms": platforms,
            "manual": platforms,
            "now": now_flag,
        },
        **where,
    )
    caption = rng.choice(catalog.CAPTIONS)
    statuses, finished = [], publish_at
    for platform in platforms:
        post_id = ctx.ids.take(PlatformPost)
        due_at = after(rng, publish_at, seconds=60)
        post = {
            "id": post_id,
            "schedule_id": schedule_id,
            "platform": platform,
            "account_id": None,
            "title": video["title"][:200],
            "caption": caption,
            "manual": True,
            "status": PostStatus.AWAITING,
            "attempts": 0,
            "next_attempt_at": publish_at,
            "lease": None,
            "started_at": due_at,
            "progress": {},
            "remote_id": "",
            "remote_url": "",
            "last_error": "",
            "published_at": None,
            "emailed_at": None,
        }
        about = {"platform": platform, "schedule_id": schedule_id, "post_id": post_id}
        if due_at < ctx.now:
            event(
                ctx,
                rng,
                EventName.VIDEO_MANUAL_PUBLISH_DUE,
                due_at,
                subject=subject,
                workspace_id=person.team_id,
                properties=about,
                idempotency_key=f"video.manual_publish_due:{post_id}",
            )
            post["emailed_at"] = min(after(rng, due_at, seconds=30), ctx.now)
        else:
            post["status"], post["started_at"] = PostStatus.SCHEDULED, None
        marked_at = due_at + dt.timedelta(minutes=rng.uniform(2, 8 * 60))
        if post["status"] == PostStatus.AWAITING and marked_at < ctx.now:
            finished = max(finished, marked_at)
            if rng.random() < catalog.POST_SKIPPED_SHARE:
                post["status"] = PostStatus.SKIPPED
                event(
                    ctx,
                    rng,
                    EventName.VIDEO_PUBLISH_SKIPPED,
                    marked_at,
                    subject=subject,
                    properties=about,
                    **where,
                )
            else:
                url = POST_URLS[platform].format(
                    id=new_uuid(rng).hex[:11], number=rng.randrange(10**18, 10**19)
                )
                post.update(status=PostStatus.PUBLISHED, remote_url=url, published_at=marked_at)
                event(
                    ctx,
                    rng,
                    EventName.VIDEO_PUBLISHED,
                    marked_at,
                    subject=subject,
                    properties={
                        **about,
                        "url": url,
                        "remote_id": "",
                        "manual": True,
                        "title": video["title"],
                    },
                    idempotency_key=f"video.published:{post_id}",
                    **where,
                )
        if post["started_at"] is not None:
            _notification(
                ctx, person, video, post, read_at=marked_at if marked_at < ctx.now else None
            )
        statuses.append(post["status"])
        ctx.out[PlatformPost].add(**post)
    done = all(status in (PostStatus.PUBLISHED, PostStatus.SKIPPED) for status in statuses)
    ctx.out[PublishSchedule].add(
        id=schedule_id,
        workspace_id=person.team_id,
        video_id=video["id"],
        version_id=None,
        requested_by_id=person.user_id,
        publish_at=publish_at,
        time_zone=person.time_zone,
        status=PublishSchedule().derived_status(statuses),
        created_at=at,
        finished_at=finished if done else None,
        notified_at=min(after(rng, finished, seconds=30), ctx.now) if done else None,
    )


def _notification(ctx: Context, person: Person, video: dict, post: dict, *, read_at) -> None:
    """What `manual_post_notify` leaves: an in-app notification (its e-mail is the post's own)."""
    ctx.out[Notification].add(
        id=ctx.ids.take(Notification),
        recipient_id=person.user_id,
        kind=NotificationKind.PUBLISHING,
        key=f"manual-post:{post['id']}",
        workspace_id=person.team_id,
        actor_id=None,
        comment_id=None,
        params={"video": video["title"], "platform": str(Platform(post["platform"]).label)},
        url=reverse("videos:post_detail", args=[post["schedule_id"], post["id"]]),
        created_at=post["started_at"],
        read_at=read_at,
        in_app=True,
        email_wanted=False,
        emailed_at=None,
    )
