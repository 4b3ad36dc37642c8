"""Rendering a branded video again keeps its brand kit (the page and the API alike); a kit
deleted since is said to be deleted, never a silent "Branding removed"; every branded output
gets a thumbnail of its own, taken from the branded file."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from tests.conftest import client_for
from tests.videos.conftest import api_for, png_bytes, upload
from videos import services
from videos.models import BrandKit, RenderJob, Video, VideoVersion

pytestmark = pytest.mark.django_db

RED = (255, 0, 0)


@pytest.fixture
def video(make_template, workspace, owner):
    template = make_template(duration=1)
    return services.video_create(
        workspace=workspace, template=template, title="Teaser", actor=owner, duration=1
    )


@pytest.fixture
def make_kit(workspace, owner):
    def make(name: str, *, color=RED, is_default: bool = False) -> BrandKit:
        return services.brand_kit_create(
            workspace=workspace,
            actor=owner,
            name=name,
            logo=upload("logo.png", png_bytes((64, 64), (*color, 255)), "image/png"),
            position="top-left",
            opacity=100,
            scale=0.3,
            margin=0,
            is_default=is_default,
        )

    return make


def _run(callbacks, action):
    with callbacks(execute=True):
        result = action()
    return result


@pytest.fixture
def branded(video, owner, make_kit, django_capture_on_commit_callbacks):
    """The video rendered (v1), then branded with the non-default kit "Acme" (v2)."""
    _run(
        django_capture_on_commit_callbacks, lambda: services.video_render(video=video, actor=owner)
    )
    kit = make_kit("Acme")
    _run(
        django_capture_on_commit_callbacks,
        lambda: services.video_apply_branding(video=video, brand_kit=kit, actor=owner),
    )
    video.refresh_from_db()
    assert (video.brand_kit, video.current_version.number) == (kit, 2)
    return video


def _latest(video) -> VideoVersion:
    return VideoVersion.objects.filter(video=video).order_by("-number").first()


def _history(owner, video) -> str:
    return client_for(owner).get(reverse("videos:history", args=[video.pk])).content.decode()


def _pixel(key: str, xy: tuple[int, int]) -> tuple[int, int, int]:
    with default_storage.open(key, "rb") as handle, Image.open(handle) as image:
        return image.convert("RGB").getpixel(xy)


def _is_red(pixel) -> bool:
    return pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60


# The logo box on the 1280 × 720 render: top-left, 0.3 × the width, no margin.
LOGO_CENTRE = (192, 192)


def test_render_again_on_the_page_keeps_the_kit(branded, owner, django_capture_on_commit_callbacks):
    client = client_for(owner)
    page = client.get(reverse("videos:detail", args=[branded.pk])).content.decode()
    assert "A new render carries the brand kit “Acme”." in page
    response = _run(
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("videos:render", args=[branded.pk]), follow=True),
    )
    assert "Rendering started with the brand kit “Acme”." in response.content.decode()
    version = _latest(branded)
    assert (version.number, version.kind, version.brand_kit_name) == (3, "render", "Acme")
    assert version.changes == [{"code": "rerendered"}]
    branded.refresh_from_db()
    assert branded.brand_kit.name == "Acme"
    assert _is_red(_pixel(version.thumbnail.name, LOGO_CENTRE))  # the logo is in the render
    assert "Branding removed" not in _history(owner, branded)


def test_render_again_through_the_api_keeps_the_kit(
    branded, owner, django_capture_on_commit_callbacks
):
    response = _run(
        django_capture_on_commit_callbacks,
        lambda: api_for(owner).post(f"/api/v1/videos/{branded.pk}/render/"),
    )
    assert response.status_code == 202
    assert response.json()["brand_kit"] == branded.brand_kit_id
    version = _latest(branded)
    assert (version.number, version.brand_kit_name, version.changes) == (
        3,
        "Acme",
        [{"code": "rerendered"}],
    )
    data = api_for(owner).get(f"/api/v1/videos/{branded.pk}/").json()
    assert data["brand_kit"] == branded.brand_kit_id


def test_a_deleted_kit_is_said_to_be_deleted_not_silently_removed(
    branded, owner, django_capture_on_commit_callbacks
):
    services.brand_kit_delete(brand_kit=branded.brand_kit, actor=owner)
    client = client_for(owner)
    warning = "The brand kit “Acme” of this video was deleted: a new render will not carry it."
    page = client.get(reverse("videos:detail", args=[branded.pk])).content.decode()
    assert warning in page and "Acme (deleted)" in page
    response = _run(
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("videos:render", args=[branded.pk]), follow=True),
    )
    assert warning in response.content.decode()
    version = _latest(branded)
    assert (version.number, version.brand_kit_name) == (3, "")
    assert version.changes == [{"code": "branding_kit_deleted", "kit": "Acme"}]
    history = _history(owner, branded)
    assert "Not branded with “Acme”: that brand kit was deleted" in history
    assert "Branding removed" not in history


def test_a_deleted_kit_gives_way_to_the_default_kit(
    branded, owner, make_kit, django_capture_on_commit_callbacks
):
    services.brand_kit_delete(brand_kit=branded.brand_kit, actor=owner)
    default = make_kit("House style", color=(0, 0, 255), is_default=True)
    _run(
        django_capture_on_commit_callbacks,
        lambda: services.video_render(video=Video.objects.get(pk=branded.pk), actor=owner),
    )
    version = _latest(branded)
    assert version.brand_kit_name == "House style"
    assert version.changes == [
        {"code": "branding_kit_deleted", "kit": "Acme"},
        {"code": "branding_applied", "kit": "House style"},
    ]
    assert Video.objects.get(pk=branded.pk).brand_kit == default


def test_a_branded_version_has_its_own_thumbnail_with_the_logo(
    video, owner, make_kit, django_capture_on_commit_callbacks
):
    _run(
        django_capture_on_commit_callbacks, lambda: services.video_render(video=video, actor=owner)
    )
    first = _latest(video)
    assert not _is_red(_pixel(first.thumbnail.name, LOGO_CENTRE))
    kit = make_kit("Acme")
    job = _run(
        django_capture_on_commit_callbacks,
        lambda: services.video_apply_branding(video=video, brand_kit=kit, actor=owner),
    )
    assert RenderJob.objects.get(pk=job.pk).status == "done"
    branded = _latest(video)
    assert branded.kind == "branding"
    assert branded.thumbnail.name and branded.thumbnail.name != first.thumbnail.name
    assert _is_red(_pixel(branded.thumbnail.name, LOGO_CENTRE))
    # The first version keeps its own thumbnail, as it was.
    first.refresh_from_db()
    assert default_storage.exists(first.thumbnail.name)
    assert not _is_red(_pixel(first.thumbnail.name, LOGO_CENTRE))
    video.refresh_from_db()
    assert video.thumbnail.name == branded.thumbnail.name


def test_a_render_with_the_default_kit_shows_the_logo_in_its_thumbnail(
    video, owner, make_kit, django_capture_on_commit_callbacks
):
    make_kit("House style", is_default=True)
    _run(
        django_capture_on_commit_callbacks, lambda: services.video_render(video=video, actor=owner)
    )
    version = _latest(video)
    assert version.brand_kit_name == "House style"
    assert _is_red(_pixel(version.thumbnail.name, LOGO_CENTRE))
