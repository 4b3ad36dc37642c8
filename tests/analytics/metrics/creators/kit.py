"""Published posts with chosen snapshots, written as rows: the creators' dashboard reads rows,
and these tests fix every number so the answers can be worked out by hand."""

from __future__ import annotations

import datetime as dt

from teams.models import Team
from tests.factories import VideoFactory
from videos.models import PlatformPost, PostSnapshot, PostStatus, PublishSchedule, Template, Video

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    """'2026-03-05 09:00' in UTC."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def video(workspace: Team, *, created: str, template: Template | None = None, **fields) -> Video:
    template = template or Template.objects.order_by("pk").first()
    return VideoFactory(workspace=workspace, template=template, created_at=at(created), **fields)


def post(
    video: Video,
    platform: str,
    *,
    published: str,
    snapshots: list[tuple[str, dict]] = (),
    latest: dict | None = None,
    status: str = PostStatus.PUBLISHED,
) -> PlatformPost:
    """A post published at `published` with its snapshots (time, counters); its latest counters
    are `latest`, else its last snapshot's."""
    published_at = at(published)
    schedule = PublishSchedule.objects.create(
        workspace=video.workspace, video=video, publish_at=published_at, status="published"
    )
    readings = [(at(taken), counters) for taken, counters in snapshots]
    current = latest if latest is not None else (readings[-1][1] if readings else {})
    made = PlatformPost.objects.create(
        schedule=schedule,
        platform=platform,
        status=status,
        next_attempt_at=published_at,
        published_at=published_at if status == PostStatus.PUBLISHED else None,
        remote_id=f"{platform}-{video.pk}-{published}",
        **current,
    )
    PostSnapshot.objects.bulk_create(
        PostSnapshot(post=made, taken_at=taken, **counters) for taken, counters in readings
    )
    return made


def counters(views, likes, comments, shares, average_watch_seconds=None) -> dict:
    return {
        "views": views,
        "likes": likes,
        "comments": comments,
        "shares": shares,
        "average_watch_seconds": average_watch_seconds,
    }
