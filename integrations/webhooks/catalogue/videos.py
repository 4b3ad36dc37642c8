"""The videos' webhook types: made, versioned, rendered, approved, deleted, and batch exports.

Built from the videos app's events only (this app may not import videos).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from analytics.events import Event, EventName

from .base import (
    ACTOR,
    TITLE,
    UUID_PATTERN,
    VIDEO,
    VIDEO_ID,
    Definition,
    EventType,
    actor_id,
    integer,
    number,
    obj,
    properties,
    read_int,
    read_number,
    read_text,
    read_time,
    string,
    subject_of,
    subject_uuid_id,
    time,
    video_fields,
)

EXPORT = "videos.exportjob"
VERSION_NUMBER = integer(
    "The version's number: 1 for the first, then 2, 3…", nullable=True, minimum=1
)
VERSION_ID = integer("The version's id.", nullable=True, minimum=1)


# -- video.created -------------------------------------------------------------------------------


def _created(event: Event) -> dict:
    found = properties(event)
    return video_fields(event) | {
        "template": read_text(found.get("template")),
        "duration": read_int(found.get("duration")),
        "actor_id": actor_id(event),
    }


CREATED = EventType(
    key="video.created",
    log_names=(EventName.VIDEO_CREATED,),
    description=_("A video was created from a template."),
    data_schema=obj(
        {
            "video_id": VIDEO_ID,
            "title": TITLE,
            "template": string("The key of the template it was made from.", nullable=True),
            "duration": integer("The length asked for, in seconds.", nullable=True),
            "actor_id": ACTOR,
        }
    ),
    sample_data={
        "video_id": 12,
        "title": "Spring launch teaser",
        "template": "product-launch",
        "duration": 15,
        "actor_id": 3,
    },
)


# -- video.version_created -----------------------------------------------------------------------


def _version_created(event: Event) -> dict:
    found = properties(event)
    return video_fields(event) | {
        "version_id": read_int(found.get("version"), minimum=1),
        "version": read_int(found.get("number"), minimum=1),
        "kind": read_text(found.get("kind")),
        "size": read_int(found.get("size")),
        "actor_id": actor_id(event),
    }


VERSION_CREATED = EventType(
    key="video.version_created",
    log_names=(EventName.VIDEO_VERSION_CREATED,),
    description=_(
        "A new version of a video was made by a render, a branding, a restore or an upload."
    ),
    data_schema=obj(
        {
            "video_id": VIDEO_ID,
            "title": string("The version's title (the video's when it was made).", nullable=True),
            "version_id": VERSION_ID,
            "version": VERSION_NUMBER,
            "kind": string("How it was made: render, branding, restore or upload.", nullable=True),
            "size": integer("The version's file size in bytes.", nullable=True),
            "actor_id": ACTOR,
        }
    ),
    sample_data={
        "video_id": 12,
        "title": "Spring launch teaser",
        "version_id": 57,
        "version": 2,
        "kind": "render",
        "size": 4816233,
        "actor_id": 3,
    },
)


# -- video.rendered ------------------------------------------------------------------------------


def _rendered(event: Event) -> dict:
    found = properties(event)
    return video_fields(event) | {
        "version": read_int(found.get("version"), minimum=1),
        "duration": read_number(found.get("duration")),
        "width": read_int(found.get("width")),
        "height": read_int(found.get("height")),
        "size": read_int(found.get("size")),
        "brand_kit_id": read_int(found.get("brand_kit"), minimum=1),
        "actor_id": actor_id(event),
    }


RENDERED = EventType(
    key="video.rendered",
    log_names=(EventName.VIDEO_RENDERED,),
    description=_("A video finished rendering and its new file is ready."),
    data_schema=obj(
        {
            "video_id": VIDEO_ID,
            "title": TITLE,
            "version": VERSION_NUMBER,
            "duration": number("The file's length in seconds.", nullable=True),
            "width": integer("The file's width in pixels.", nullable=True),
            "height": integer("The file's height in pixels.", nullable=True),
            "size": integer("The file's size in bytes.", nullable=True),
            "brand_kit_id": integer(
                "The brand kit applied while rendering, if any.", nullable=True, minimum=1
            ),
            "actor_id": ACTOR,
        }
    ),
    sample_data={
        "video_id": 12,
        "title": "Spring launch teaser",
        "version": 2,
        "duration": 15.0,
        "width": 1280,
        "height": 720,
        "size": 4816233,
        "brand_kit_id": None,
        "actor_id": 3,
    },
)


# -- video.approved ------------------------------------------------------------------------------


def _approved(event: Event) -> dict:
    # The reviewer's note is free text of one person to their team: not sent out.
    found = properties(event)
    return video_fields(event) | {
        "version": read_int(found.get("version"), minimum=1),
        "version_id": read_int(found.get("version_id"), minimum=1),
        "actor_id": actor_id(event),
    }


APPROVED = EventType(
    key="video.approved",
    log_names=(EventName.VIDEO_APPROVED,),
    description=_("A reviewer approved a version of a video."),
    data_schema=obj(
        {
            "video_id": VIDEO_ID,
            "title": TITLE,
            "version": VERSION_NUMBER,
            "version_id": VERSION_ID,
            "actor_id": ACTOR,
        }
    ),
    sample_data={
        "video_id": 12,
        "title": "Spring launch teaser",
        "version": 2,
        "version_id": 57,
        "actor_id": 4,
    },
)


# -- video.deleted -------------------------------------------------------------------------------


def _deleted_subject(event: Event) -> str | None:
    # The row is gone, so the event has no subject: its id is in the properties.
    video = read_int(properties(event).get("video"), minimum=1)
    return None if video is None else f"{VIDEO}:{video}"


def _deleted(event: Event) -> dict:
    found = properties(event)
    video = read_int(found.get("video"), minimum=1)
    if video is None:
        raise ValueError(f"Event {event.pk} (video.deleted) does not say which video.")
    return {"video_id": video, "title": read_text(found.get("title")), "actor_id": actor_id(event)}


DELETED = EventType(
    key="video.deleted",
    log_names=(EventName.VIDEO_DELETED,),
    description=_("A video was deleted with all its versions."),
    data_schema=obj({"video_id": VIDEO_ID, "title": TITLE, "actor_id": ACTOR}),
    sample_data={"video_id": 12, "title": "Spring launch teaser", "actor_id": 3},
)


# -- export.ready --------------------------------------------------------------------------------


def _export_ready(event: Event) -> dict:
    found = properties(event)
    return {
        "export_id": subject_uuid_id(event),
        "files": read_int(found.get("files")),
        "size": read_int(found.get("size")),
        "expires_at": read_time(found.get("expires_at")),
        "actor_id": actor_id(event),
    }


EXPORT_READY = EventType(
    key="export.ready",
    log_names=(EventName.EXPORT_READY,),
    description=_("A batch export finished and its ZIP file can be downloaded."),
    data_schema=obj(
        {
            "export_id": string("The export's id.", pattern=UUID_PATTERN),
            "files": integer("How many videos the ZIP file holds.", nullable=True),
            "size": integer("The ZIP file's size in bytes.", nullable=True),
            "expires_at": time("When the ZIP file will be deleted (UTC).", nullable=True),
            "actor_id": ACTOR,
        }
    ),
    sample_data={
        "export_id": "3f2b8c1e-6a4d-4b7e-9c0a-5d1e2f3a4b5c",
        "files": 6,
        "size": 48162330,
        "expires_at": "2026-12-13T10:00:00Z",
        "actor_id": 3,
    },
)


DEFINITIONS = (
    Definition(CREATED, subject_of(VIDEO), _created),
    Definition(VERSION_CREATED, subject_of(VIDEO), _version_created),
    Definition(RENDERED, subject_of(VIDEO), _rendered),
    Definition(APPROVED, subject_of(VIDEO), _approved),
    Definition(DELETED, _deleted_subject, _deleted),
    Definition(EXPORT_READY, subject_of(EXPORT, uuid_key=True), _export_ready),
)
