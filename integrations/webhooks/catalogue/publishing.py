"""Publishing's webhook types: a video published on one platform, and a schedule that finished
with something published.

Built from the videos app's events only (this app may not import videos): the post and schedule
statuses below are the values of `PostStatus` and `ScheduleStatus` in
`videos.publishing.models`, as README.md's event table documents them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from analytics.events import Event, EventName

from .base import (
    ACTOR,
    TITLE,
    VIDEO,
    VIDEO_ID,
    Definition,
    EventType,
    actor_id,
    boolean,
    integer,
    obj,
    properties,
    read_int,
    read_text,
    read_url,
    string,
    subject_id,
    subject_of,
    url,
    video_fields,
)

SCHEDULE = "videos.publishschedule"
PUBLISHED = "published"  # PostStatus.PUBLISHED
# The schedule statuses that mean "something went out" (ScheduleStatus): every post published
# (or left out on purpose), or some published and some failed.
SOMETHING_PUBLISHED = ("published", "partial")
PLATFORM = "youtube, instagram, tiktok, facebook, x, or sandbox (the test channel)"


# -- video.published -----------------------------------------------------------------------------


def _published(event: Event) -> dict:
    found = properties(event)
    return video_fields(event) | {
        "platform": read_text(found.get("platform")),
        "url": read_url(found.get("url")),
        "remote_id": read_text(found.get("remote_id")),
        "schedule_id": read_int(found.get("schedule_id"), minimum=1),
        "post_id": read_int(found.get("post_id"), minimum=1),
        "manual": found.get("manual") is True,
        "actor_id": actor_id(event),
    }


VIDEO_PUBLISHED = EventType(
    key="video.published",
    log_names=(EventName.VIDEO_PUBLISHED,),
    description=_("A video was published on one platform (one event per platform post)."),
    data_schema=obj(
        {
            "video_id": VIDEO_ID,
            "title": TITLE,
            "platform": string(f"Where it was published: {PLATFORM}.", nullable=True),
            "url": url("The post's address on the platform.", nullable=True),
            "remote_id": string("The post's id on the platform.", nullable=True),
            "schedule_id": integer("The schedule it was part of.", nullable=True, minimum=1),
            "post_id": integer("The schedule's post for this platform.", nullable=True, minimum=1),
            "manual": boolean("True when it was published by hand and then marked published."),
            "actor_id": ACTOR,
        }
    ),
    sample_data={
        "video_id": 12,
        "title": "Spring launch teaser",
        "platform": "youtube",
        "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "remote_id": "dQw4w9WgXcQ",
        "schedule_id": 8,
        "post_id": 21,
        "manual": False,
        "actor_id": None,
    },
)


# -- schedule.published --------------------------------------------------------------------------


def _posts(event: Event) -> list[dict]:
    """Each post's platform, status and (when published) link; malformed entries are left out."""
    found = properties(event).get("posts")
    posts = []
    for post in found if isinstance(found, list) else []:
        post = post if isinstance(post, dict) else {}
        platform, status = read_text(post.get("platform")), read_text(post.get("status"))
        if platform and status:
            link = read_url(post.get("url")) if status == PUBLISHED else None
            posts.append({"platform": platform, "status": status, "url": link})
    return posts


def _schedule_status(event: Event) -> str | None:
    status = read_text(properties(event).get("status"), choices=SOMETHING_PUBLISHED)
    posts = _posts(event)
    if status is None and any(post["status"] == PUBLISHED for post in posts):
        # A damaged row: its posts still tell whether everything went out.
        everything = all(post["status"] != "failed" for post in posts)
        status = "published" if everything else "partial"
    return status


def _schedule_published(event: Event) -> dict:
    found = properties(event)
    return {
        "schedule_id": subject_id(event),
        "video_id": read_int(found.get("video_id"), minimum=1),
        "title": read_text(found.get("title")),
        "status": _schedule_status(event),
        "posts": _posts(event),
    }


POST = obj(
    {
        "platform": string(f"The platform: {PLATFORM}."),
        "status": string(
            "How the post ended: published, failed, cancelled, or skipped (a post to publish by "
            "hand that was not)."
        ),
        "url": url("The post's address when it was published, else null.", nullable=True),
    }
)
SCHEDULE_PUBLISHED = EventType(
    key="schedule.published",
    log_names=(EventName.SCHEDULE_FINISHED,),
    description=_(
        "A publishing schedule finished with at least one post published; its data lists every "
        "platform's result."
    ),
    data_schema=obj(
        {
            "schedule_id": integer("The schedule's id.", minimum=1),
            "video_id": integer("The video it published.", nullable=True, minimum=1),
            "title": TITLE,
            "status": string(
                "published when every post went out (or was left out on purpose), partial when "
                "some failed.",
                nullable=True,
                enum=list(SOMETHING_PUBLISHED),
            ),
            "posts": {
                "type": "array",
                "description": "One result per platform, in platform order.",
                "items": POST,
            },
        }
    ),
    sample_data={
        "schedule_id": 8,
        "video_id": 12,
        "title": "Spring launch teaser",
        "status": "partial",
        "posts": [
            {"platform": "tiktok", "status": "failed", "url": None},
            {
                "platform": "youtube",
                "status": "published",
                "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            },
        ],
    },
)


def _something_published(event: Event) -> bool:
    return _schedule_status(event) is not None


DEFINITIONS = (
    Definition(VIDEO_PUBLISHED, subject_of(VIDEO), _published),
    Definition(SCHEDULE_PUBLISHED, subject_of(SCHEDULE), _schedule_published, _something_published),
)
