"""Music uploads: a known audio type, at most 20 MB, with an audio stream ffmpeg can read."""

import pytest
from django.core.exceptions import ValidationError

from videos.services import validate_audio

from .conftest import ffmpeg, upload


@pytest.fixture(scope="module")
def m4a_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("audio") / "tone.m4a"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", str(path))
    return path.read_bytes()


def test_a_real_track_is_accepted(m4a_bytes):
    validate_audio(upload("music.m4a", m4a_bytes, "audio/mp4"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"hello", "MP3, M4A"),
        ("fake.mp3", b"this is not audio at all", "not an audio file"),
    ],
)
def test_bad_music_is_refused_with_a_clear_error(name, content, message):
    with pytest.raises(ValidationError) as error:
        validate_audio(upload(name, content, "audio/mpeg"))
    assert message in error.value.messages[0]


def test_a_video_without_sound_is_not_music(mp4_path):
    with pytest.raises(ValidationError):
        validate_audio(upload("silent.m4a", mp4_path.read_bytes(), "audio/mp4"))
