"""Our own words in publishing errors, translated when shown.

A failure is stored as text (on the post, its attempts, the account) and shown later to
someone with their own language. Our sentences are catalog entries, kept in English in the
database; the platform's own words are shown as they came. Where we add a platform's
detail, it follows our sentence after ": ". `translate_error` turns a stored text into the
reader's language by that rule.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

NO_ANSWER = gettext_noop("The platform could not be reached")
NEEDS_RECONNECT = gettext_noop("The account needs reconnecting.")
CANNOT_REFRESH = gettext_noop("The platform's token expired and cannot be refreshed.")
NO_ACCESS_TOKEN = gettext_noop("The platform sent no access token.")
VERSION_DELETED = gettext_noop("The video version to publish was deleted.")
WORKER_LOST = gettext_noop("The worker publishing this post stopped; trying again.")
NO_UPLOAD_LINK = gettext_noop("The platform did not return an upload link.")
NO_REMOTE_ID = gettext_noop("The platform did not return the post's id.")
STILL_PROCESSING = gettext_noop("The platform is still processing the video.")
INSTAGRAM_NOT_PROCESSED = gettext_noop("Instagram could not process the video")
X_NOT_PROCESSED = gettext_noop("X could not process the video")
TIKTOK_NOT_PUBLISHED = gettext_noop("TikTok could not publish the video")
NEEDS_PUBLIC_LINK = gettext_noop("Instagram needs a public link to the video.")
DAILY_LIMIT = gettext_noop("This Instagram account has used all its posts for the last 24 hours")
TOO_LONG_FOR_ACCOUNT = gettext_noop("The video is longer than this account may post")
UNKNOWN_ACCOUNT = gettext_noop("The platform did not say which account this is.")

OURS = frozenset(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)


def with_detail(ours: str, detail: object) -> str:
    """Our sentence, then the platform's own words."""
    return f"{ours}: {detail}" if detail not in (None, "") else ours


def translate_error(text: str) -> str:
    """A stored error in the active language: our part translated, the platform's as is."""
    if not text:
        return text
    if text in OURS:
        return gettext(text)
    head, separator, tail = text.partition(": ")
    if separator and head in OURS:
        return f"{gettext(head)}: {tail}"
    return text
