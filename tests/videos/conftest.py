"""Videos test kit: small templates, real media files made with ffmpeg, clients per role."""

from __future__ import annotations

import io
import itertools
import subprocess
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from tests.celery_workers import drop_queue, reachable_redis
from tests.conftest import client_for
from videos import services, storage
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


def client_in(user, workspace):
    """A signed-in browser with `workspace` chosen in the header."""
    client = client_for(user)
    client.post(reverse("teams:switch"), {"workspace": workspace.pk})
    return client


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


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


# -- S3 (moto's server on loopback) -------------------------------------------------------------

BUCKET = "videocreator-test"


def _reset_storages() -> None:
    # Django caches storage backends; a new STORAGES must build new ones.
    from django.core.files import storage as django_storage
    from django.utils.functional import empty

    django_storage.storages._storages = {}
    django_storage.default_storage._wrapped = empty


@pytest.fixture
def s3(settings):
    """A moto S3 server on 127.0.0.1, a bucket, and STORAGES["default"] pointing at it."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    _moto_reset(endpoint)  # moto keeps its state per process: start from an empty account
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = endpoint
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_S3_SIGNATURE_VERSION = "s3v4"
    settings.AWS_ACCESS_KEY_ID = "testing"
    settings.AWS_SECRET_ACCESS_KEY = "testing"
    settings.AWS_QUERYSTRING_AUTH = True
    settings.AWS_QUERYSTRING_EXPIRE = 600
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    _reset_storages()
    try:
        yield client
    finally:
        _reset_storages()
        _moto_reset(endpoint)
        server.stop()


def _moto_reset(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")  # noqa: S310
    urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=10)


def bucket_keys(client) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def fetch_url(url: str) -> tuple[bytes, dict]:
    # Straight to the loopback server, never through a proxy.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=30) as response:
        return response.read(), dict(response.headers)
