"""The limits each publisher checks before trying (`problems()`), and the publisher
registry."""

from __future__ import annotations

import io

import pytest
from django.utils import translation

from integrations.publishers import PUBLISHERS, Media, PostContent, publisher_for
from integrations.publishers.x import XPublisher
from tests.integrations.conftest import CAPTION, MIB, TITLE, VIDEO_URL, post_content


def _video(**changes) -> Media:
    values = {"size": 20 * MIB, "duration": 30.0, "width": 1080, "height": 1920}
    values.update(changes)
    return Media(open=io.BytesIO, public_url=lambda: VIDEO_URL, **values)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("platform", ["youtube", "instagram", "tiktok", "facebook", "x"])
def test_a_fitting_video_has_no_problems(english, platform):
    assert publisher_for(platform).problems(_video(), post_content()) == []


@pytest.mark.parametrize(
    ("platform", "media", "content", "problem"),
    [
        (
            "x",
            _video(duration=200.0),
            post_content(),
            "The video is 200 s long; X takes at most 140 s.",
        ),
        (
            "instagram",
            _video(duration=2.0),
            post_content(),
            "The video is 2 s long; Instagram needs at least 3 s.",
        ),
        (
            "x",
            _video(),
            PostContent(title=TITLE, caption="a" * 281),
            "The caption has 281 characters; X allows 280.",
        ),
        (
            "youtube",
            _video(),
            PostContent(title="t" * 101, caption=CAPTION),
            "The title has 101 characters; YouTube allows 100.",
        ),
        (
            "x",
            _video(width=2000, height=500),
            post_content(),
            "X does not take a 2000×500 picture (its aspect ratio).",
        ),
        (
            "x",
            _video(size=600 * MIB),
            post_content(),
            "The file is 600 MB; X takes at most 512 MB.",
        ),
        (
            "instagram",
            _video(size=2 * 1024 * MIB),
            post_content(),
            "The file is 2048 MB; Instagram takes at most 1024 MB.",
        ),
    ],
    ids=["x-too-long", "ig-too-short", "x-caption", "yt-title", "x-aspect", "x-size", "ig-size"],
)
def test_problems_name_what_does_not_fit(english, platform, media, content, problem):
    assert publisher_for(platform).problems(media, content) == [problem]


def test_several_problems_are_all_listed(english):
    found = XPublisher().problems(
        _video(duration=200.0, width=2000, height=500), PostContent(title="", caption="a" * 300)
    )
    assert len(found) == 3


def test_every_platform_has_a_publisher():
    assert set(PUBLISHERS) == {"youtube", "instagram", "tiktok", "facebook", "x", "sandbox"}
    assert all(PUBLISHERS[key].platform == key for key in PUBLISHERS)
