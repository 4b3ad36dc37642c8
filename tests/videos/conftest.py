"""Videos test kit: small templates, real media files made with ffmpeg, clients per role."""

from __future__ import annotations

import io
import itertools
import subprocess
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django.utils import translation
from PIL import Image
from rest_framework.test import APIClient

from teams.models import Comment
from teams.services import review as team_services
from tests.celery_workers import drop_queue, reachable_redis
from videos import branding, services, storage
from videos.models import ExportJob, Template, Video, VideoStatus
from videos.rendering import validate_spec

_keys = itertools.count(1)

# A small template in the spec format of videos.rendering.spec: every field type we support.
FIELDS = [
    {
        "name": "headline",
        "type": "text",
        "label": "Headline",
        "required": True,
        "default": "Hello",
        "max_length": 40,
    },
    {"name": "background", "type": "color", "label": "Background colour", "default": "#123456"},
    {"name": "count", "type": "number", "label": "Number", "min": 0, "max": 100, "default": 3},
    {"name": "values", "type": "numbers", "label": "Values", "max_items": 5, "default": [1, 2, 3]},
    {"name": "labels", "type": "text", "label": "Labels", "default": "A, B, C", "max_length": 200},
    {"name": "photo", "type": "image", "label": "Image"},
]
SPEC = {
    "version": 1,
    "background": {"type": "color", "color": {"field": "background"}},
    "layers": [
        {"type": "image", "field": "photo", "x": 0.5, "y": 0.5, "w": 0.5, "h": 0.5},
        {"type": "text", "field": "headline", "x": 0.5, "y": 0.3, "size": 0.1},
        {
            "type": "bars",
            "field": "values",
            "labels_field": "labels",
            "x": 0.5,
            "y": 0.75,
            "w": 0.6,
            "h": 0.3,
        },
    ],
}
CLIP_LAYER = {"type": "video", "x": 0.5, "y": 0.5, "w": 0.6, "h": 0.6}


@pytest.fixture
def make_template(db):
    """`make_template(tier="pro", clip=True, **fields)` → a small active Template row."""

    def make(*, clip: bool = False, **overrides) -> Template:
        n = next(_keys)
        spec = {**SPEC, "layers": [*SPEC["layers"], *([CLIP_LAYER] if clip else [])]}
        values = {
            "key": f"test-template-{n}",
            "name": f"Test template {n}",
            "description": "A small template for tests.",
            "category": "marketing",
            "tags": ["promo", "product"],
            "tier": "free",
            "duration": 2,
            "min_duration": 1,
            "max_duration": 10,
            "aspect_ratio": "16:9",
            "spec": spec,
            "fields": FIELDS,
            **overrides,
        }
        validate_spec(values["spec"], values["fields"])  # stays in the engine's format
        return Template.objects.create(**values)

    return make


@pytest.fixture
def only_test_templates(db) -> None:
    """Hide the starter templates the data migration made, for tests that count templates."""
    Template.objects.update(is_active=False)


@pytest.fixture
def template(make_template) -> Template:
    return make_template()


@pytest.fixture
def pro_workspace(owner, workspace):
    """Our workspace on the Pro plan (through the sandbox checkout, as a customer would)."""
    from billing import entitlements, services
    from billing.models import Plan

    session = services.checkout_start(
        workspace=workspace, plan=Plan.objects.get(key="pro-monthly"), currency="USD", actor=owner
    )
    services.checkout_complete(session=session, provider_payment_id="sbx_videos")
    entitlements.forget_tier(workspace)
    return workspace


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def api_error(response) -> dict:
    """The API's error object: {"code", "message", "fields"?, "upgrade_url"?}."""
    return response.json()["error"]


# -- real media ---------------------------------------------------------------------------------


def ffmpeg(*args: str) -> None:
    import imageio_ffmpeg

    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", *args],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media-samples")


@pytest.fixture(scope="session")
def mp4_path(media_dir) -> Path:
    """A one-second 64×36 H.264 MP4."""
    path = media_dir / "clip.mp4"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "color=c=blue:s=64x36:r=10",
        "-t",
        "1",
        "-pix_fmt",
        "yuv420p",
        "-c:v",
        "libx264",
        str(path),
    )
    return path


@pytest.fixture(scope="session")
def long_mp4_path(media_dir) -> Path:
    """A clip of 5 minutes and 2 seconds: over the 5-minute limit (tiny: 1 frame a second)."""
    path = media_dir / "long.mp4"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "color=c=red:s=32x32:r=1",
        "-t",
        "302",
        "-pix_fmt",
        "yuv420p",
        "-c:v",
        "libx264",
        str(path),
    )
    return path


def png_bytes(size=(32, 32), color=(200, 30, 30, 255)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def ready_video(template, workspace, owner, mp4_path, media_dir):
    """`ready_video(**fields)` → a Video with a real rendered MP4 and thumbnail in storage."""
    thumbnail = media_dir / "thumb.png"
    if not thumbnail.exists():
        thumbnail.write_bytes(png_bytes((64, 36)))

    def make(*, title: str = "Launch teaser", for_template=None, **fields) -> Video:
        video = Video.objects.create(
            workspace=workspace,
            template=for_template or template,
            title=title,
            fields={"headline": "Hello"},
            duration_seconds=2,
            created_by=owner,
            status=VideoStatus.READY,
            progress=100,
            width=64,
            height=36,
            size=mp4_path.stat().st_size,
            **fields,
        )
        video.file.name = storage.save_path(mp4_path, workspace_id=workspace.pk, kind="renders")
        video.thumbnail.name = storage.save_path(
            thumbnail, workspace_id=workspace.pk, kind="thumbnails"
        )
        video.save(update_fields=["file", "thumbnail"])
        return video

    return make


def run_export(export: ExportJob) -> ExportJob:
    """Run the export task's body now and return the export as it left it."""
    services.export_run(export_id=str(export.pk))
    export.refresh_from_db()
    return export


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def first_version(video: Video, author, *, duration: float = 10.0):
    """Version 1 of `video` from its current file, `duration` seconds long."""
    from types import SimpleNamespace

    from videos.services import versions as version_services

    return version_services.version_create(
        video=video,
        kind="render",
        file_key=video.file.name,
        thumbnail_key=video.thumbnail.name,
        info=SimpleNamespace(
            size=video.size, duration=duration, width=64, height=36, fps=10.0, checksum="c" * 64
        ),
        author=author,
    )


@pytest.fixture
def version(ready_video, owner):
    """Version 1 of a ready video, ten seconds long, made by the owner."""
    return first_version(ready_video(), owner)


@pytest.fixture
def english():
    """Texts are asserted in English whatever an earlier test left active
    (`pytestmark = pytest.mark.usefixtures("english")`)."""
    with translation.override("en"):
        yield


# -- reviewing ------------------------------------------------------------------------------


@pytest.fixture
def video(version) -> Video:
    """The rendered video whose version 1 is `version`: the one under review."""
    return version.video


def version_url(video, number: int = 1) -> str:
    return reverse("videos:version", args=[video.pk, number])


def add_comment(version, author, text, **kwargs) -> Comment:
    return team_services.comment_create(version=version, author=author, text=text, **kwargs)


# -- versions -------------------------------------------------------------------------------


def media_info(size: int = 1000, duration: float = 2.0, width: int = 64, height: int = 36):
    return SimpleNamespace(
        size=size, duration=duration, width=width, height=height, fps=30.0, checksum="c" * 64
    )


def store_bytes(workspace, kind: str, content: bytes, suffix: str) -> str:
    return default_storage.save(storage.new_key(workspace.pk, kind, suffix), ContentFile(content))


def add_version(video, author, *, content: bytes | None = None, **info):
    """A version with real (tiny) files in storage, made through the service."""
    body = content or f"video {time.monotonic_ns()}".encode()
    return services.version_create(
        video=video,
        kind="render",
        file_key=store_bytes(video.workspace, "renders", body, ".mp4"),
        thumbnail_key=store_bytes(video.workspace, "thumbnails", png_bytes(), ".png"),
        info=media_info(size=len(body), **info),
        author=author,
    )


@pytest.fixture
def draft_video(template, workspace, owner) -> Video:
    """A new video with no version yet."""
    return services.video_create(
        workspace=workspace, template=template, title="Teaser", actor=owner, duration=1
    )


@pytest.fixture
def versioned(draft_video, owner):
    """`versioned(n)` → the draft video with n versions (v1…vn), each with its own files."""

    def make(n: int) -> Video:
        for i in range(n):
            add_version(draft_video, owner, content=f"file {i}".encode())
        draft_video.refresh_from_db()
        return draft_video

    return make


# -- pages ----------------------------------------------------------------------------------


# The pages' form for SPEC's template, filled in.
FILLED_FORM = {
    "field_headline": "Hello",
    "field_background": "#123456",
    "field_count": "3",
    "field_values": "1, 2",
    "duration": "2",
    "resolution": "720",
}


# -- branding: a 640 × 360 video and a 64 px logo ----------------------------------------


WHITE = (255, 255, 255)
RED = (255, 0, 0)
VIDEO_W, VIDEO_H = 640, 360
LOGO_SIDE, LOGO_BORDER = 64, 8  # an opaque 48 px square inside an 8 px transparent border
SCALE, MARGIN = 0.2, 16  # → a 128 × 128 box, the square 96 px, the border 16 px


def draw_logo(path: Path, color=WHITE, side=LOGO_SIDE, border=LOGO_BORDER) -> str:
    """A square PNG logo: an opaque `color` square inside a transparent border."""
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    image.paste((*color, 255), (border, border, side - border, side - border))
    image.save(path)
    return str(path)


def centre(box) -> tuple[int, int]:
    x, y, w, h = box
    return x + w // 2, y + h // 2


def expected_box(position: str) -> tuple[int, int, int, int]:
    """Where the logo goes on the test video at `position` (SCALE, MARGIN)."""
    return branding.logo_box(
        VIDEO_W, VIDEO_H, LOGO_SIDE, LOGO_SIDE, position=position, scale=SCALE, margin=MARGIN
    )


def near(pixel, expected, tolerance) -> bool:
    return all(abs(int(a) - int(b)) <= tolerance for a, b in zip(pixel, expected, strict=True))


@pytest.fixture
def queue():
    """(Redis URL, a queue only this test uses) for real worker processes; skips without Redis."""
    url = reachable_redis()
    name = f"test-videos-{uuid.uuid4().hex}"
    yield url, name
    drop_queue(url, name)


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Racing worker processes need PostgreSQL's row locks (SKIP LOCKED).")
