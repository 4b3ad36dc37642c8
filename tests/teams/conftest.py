"""Review tests need a real video version; its fixtures live with the videos tests."""

from tests.videos.conftest import (  # noqa: F401 - fixtures for tests/teams
    make_template,
    media_dir,
    mp4_path,
    ready_video,
    template,
    version,
)
