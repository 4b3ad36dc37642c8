"""Every write on the feature-request board: keyword-only, atomic, each recording its event.
Staff-only writes check `is_staff` themselves, whatever called them."""

from .board import (
    comment_delete,
    comment_edit,
    comment_hide,
    feature_request_comment,
    feature_request_create,
    feature_request_subscribe,
    feature_request_unvote,
    feature_request_vote,
    feature_request_vote_on_behalf,
)
from .common import subscribe_quietly
from .staff import (
    feature_request_merge,
    feature_request_set_rice,
    feature_request_set_status,
    status_emails_prepare,
)

__all__ = [
    "comment_delete",
    "comment_edit",
    "comment_hide",
    "feature_request_comment",
    "feature_request_create",
    "feature_request_merge",
    "feature_request_set_rice",
    "feature_request_set_status",
    "feature_request_subscribe",
    "feature_request_unvote",
    "feature_request_vote",
    "feature_request_vote_on_behalf",
    "status_emails_prepare",
    "subscribe_quietly",
]
