"""Review tests need a real video version (its fixtures live with the videos tests); the
notification tests share a commenting helper, two mentions and the bell's reading; the
invitation tests read the token from the e-mail."""

import re

import pytest
from django.utils import translation

from teams.models import Notification, NotificationKind
from teams.services.notifications import notification_mark_read
from teams.services.review import comment_create
from tests.videos.conftest import (  # noqa: F401 - fixtures for tests/teams
    make_template,
    media_dir,
    mp4_path,
    ready_video,
    template,
    version,
)

# -- notifications ------------------------------------------------------------------------------

ALL_KINDS = set(NotificationKind.values)


@pytest.fixture
def english():
    """Messages are asserted in English unless a test says otherwise."""
    with translation.override("en"):
        yield


@pytest.fixture
def say(version, django_capture_on_commit_callbacks):  # noqa: F811 - the fixture above
    """`say(author, text, time_ms=…, parent=…)` → a comment made through the service, with the
    e-mails its commit would queue sent (Celery runs tasks eagerly in tests)."""

    def make(author, text, *, time_ms=None, parent=None):
        with django_capture_on_commit_callbacks(execute=True):
            return comment_create(
                version=version, author=author, text=text, time_ms=time_ms, parent=parent
            )

    return make


@pytest.fixture
def two_mentions(version, owner, editor, say):  # noqa: F811 - the fixture above
    """Two mentions of the editor: at 0:01 (read) and 0:02 (unread)."""
    first = say(owner, "@Edith Editor first", time_ms=1000)
    second = say(owner, "@Edith Editor second", time_ms=2000)
    read = Notification.objects.get(recipient=editor, comment=first)
    unread = Notification.objects.get(recipient=editor, comment=second)
    notification_mark_read(notification=read, user=editor)
    return read, unread


FIRST = "Olivia Owner mentioned you on “Launch teaser” (version 1, at 0:01)"
SECOND = "Olivia Owner mentioned you on “Launch teaser” (version 1, at 0:02)"


def set_language(user, language: str) -> None:
    user.profile.language = language
    user.profile.save()


def bell(html: str) -> str:
    match = re.search(r'<a class="notification-bell" id="notification-bell".*?</a>', html, re.S)
    assert match, "the bell is in the header"
    return match.group(0)


def bell_count(response) -> int | None:
    match = re.search(
        r'<span class="bell-count" data-unread="(\d+)">', bell(response.content.decode())
    )
    return int(match.group(1)) if match else None


def token_from_mail(message) -> str:
    """The raw invitation token in an invitation e-mail's accept link."""
    return message.body.split("/team/invitations/")[1].split("/")[0]
