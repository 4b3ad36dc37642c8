"""The teams' webhook types: review comments and new members."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from analytics.events import Event, EventName
from teams.models import Role

from .base import (
    ACTOR,
    Definition,
    EventType,
    actor_id,
    boolean,
    integer,
    obj,
    properties,
    read_bool,
    read_int,
    read_text,
    string,
    subject_id,
    subject_of,
)

# -- comment.created -----------------------------------------------------------------------------


def _comment(event: Event) -> dict:
    # The comment's text stays in the app: it is one person's words to their team, and may
    # name or quote anyone. Receivers get where it is and who it mentions, by id.
    found = properties(event)
    # events_forget_person takes a deleted person's id out of this list.
    mentions = found.get("mentions") if isinstance(found.get("mentions"), list) else []
    return {
        "comment_id": subject_id(event),
        "video_id": read_int(found.get("video_id"), minimum=1),
        "version": read_int(found.get("version"), minimum=1),
        "time_ms": read_int(found.get("time_ms")),
        "reply": read_bool(found.get("reply")),
        "mentions": [user for user in mentions if read_int(user, minimum=1) is not None],
        "actor_id": actor_id(event),
    }


COMMENT_CREATED = EventType(
    key="comment.created",
    log_names=(EventName.COMMENT_CREATED,),
    description=_("Someone commented on a version of a video under review."),
    data_schema=obj(
        {
            "comment_id": integer("The comment's id.", minimum=1),
            "video_id": integer("The video commented on.", nullable=True, minimum=1),
            "version": integer("The number of the version commented on.", nullable=True, minimum=1),
            "time_ms": integer(
                "Where in the video, in milliseconds from the start.", nullable=True
            ),
            "reply": boolean("True when it answers another comment.", nullable=True),
            "mentions": {
                "type": "array",
                "description": "The ids of the users it mentions.",
                "items": {"type": "integer", "minimum": 1, "description": "A user's id."},
            },
            "actor_id": ACTOR,
        }
    ),
    sample_data={
        "comment_id": 305,
        "video_id": 12,
        "version": 2,
        "time_ms": 4200,
        "reply": False,
        "mentions": [4],
        "actor_id": 3,
    },
)


# -- member.joined -------------------------------------------------------------------------------


def _joined(event: Event) -> dict:
    found = properties(event)
    return {
        "membership_id": subject_id(event),
        "user_id": read_int(found.get("user_id"), minimum=1),
        "role": read_text(found.get("role"), choices=tuple(Role.values)),
        "actor_id": actor_id(event),
    }


MEMBER_JOINED = EventType(
    key="member.joined",
    log_names=(EventName.TEAM_MEMBER_JOINED,),
    description=_("Someone joined the workspace."),
    data_schema=obj(
        {
            "membership_id": integer("The membership's id.", minimum=1),
            "user_id": integer(
                "The id of the user who joined; null once their account was deleted.",
                nullable=True,
                minimum=1,
            ),
            "role": string(
                "Their role: owner, admin, editor or viewer.", nullable=True, enum=Role.values
            ),
            "actor_id": integer(
                "The id of the user who added or invited them; null when that account was deleted.",
                nullable=True,
                minimum=1,
            ),
        }
    ),
    sample_data={"membership_id": 41, "user_id": 9, "role": "editor", "actor_id": 3},
)


DEFINITIONS = (
    Definition(COMMENT_CREATED, subject_of("teams.comment"), _comment),
    Definition(MEMBER_JOINED, subject_of("teams.membership"), _joined),
)
