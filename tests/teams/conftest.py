"""Review tests need a real video version; its fixtures live with the videos tests. And the
helpers the invitation tests share."""

from tests.videos.conftest import (  # noqa: F401 - fixtures for tests/teams
    make_template,
    media_dir,
    mp4_path,
    ready_video,
    template,
    version,
)


def token_from_mail(message) -> str:
    """The raw invitation token in an invitation e-mail's accept link."""
    return message.body.split("/team/invitations/")[1].split("/")[0]
