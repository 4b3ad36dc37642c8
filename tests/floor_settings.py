"""The project's settings with the floor view's URLs, for servers started by benchmarks."""

from videocreator.settings import *  # noqa: F403

ROOT_URLCONF = "tests.floor_urls"
