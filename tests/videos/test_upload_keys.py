"""A stored upload's key never carries the uploader's extension as such: images get the one of
the type their bytes show, audio and video an accepted extension spelled our way, else none."""

import pytest

from videos import storage
from videos.models import BrandKit, Video, brand_logo_path, video_upload_path
from videos.services import brand_kit_create

from .conftest import mp4_path, png_bytes, upload  # noqa: F401 - mp4_path is a fixture

HOSTILE_NAMES = [
    "x.<svg>",
    "x.svg",
    "x.html",
    'x."><script>alert(1)</script>',
    "x.png.exe",
    "../../etc/x.php",
    "x",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_an_image_is_stored_under_the_extension_of_its_type(name, workspace):
    key = storage.save_upload(upload(name, png_bytes()), workspace_id=workspace.pk, kind="uploads")
    assert key.startswith(f"workspaces/{workspace.pk}/uploads/")
    assert key.endswith(".png")
    assert key.count(".") == 1 and "<" not in key and ".." not in key


@pytest.mark.django_db
def test_a_jpeg_named_png_is_stored_as_jpg(workspace):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="JPEG")
    key = storage.save_upload(
        upload("photo.PNG", buffer.getvalue()), workspace_id=workspace.pk, kind="uploads"
    )
    assert key.endswith(".jpg")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "suffix"), [("Clip.MP4", ".mp4"), ("clip.<svg>", ""), ("clip.mp4.html", "")]
)
def test_a_clip_keeps_only_an_accepted_extension(name, suffix, workspace, mp4_path):  # noqa: F811
    key = storage.save_upload(
        upload(name, mp4_path.read_bytes()), workspace_id=workspace.pk, kind="uploads"
    )
    assert key.rsplit("/", 1)[1] == key.rsplit("/", 1)[1].split(".")[0] + suffix


@pytest.mark.django_db
def test_a_brand_kit_logo_with_a_hostile_name(workspace, owner):
    kit = brand_kit_create(
        workspace=workspace,
        actor=owner,
        name="Kit",
        logo=upload("logo.<svg onload=alert(1)>", png_bytes()),
        position="bottom-right",
        opacity=80,
        scale=0.2,
        margin=20,
    )
    assert kit.logo.name.endswith(".png")
    assert "<" not in kit.logo.name


def test_upload_to_paths_drop_unknown_extensions():
    kit = BrandKit(workspace_id=1)
    video = Video(workspace_id=1)
    assert brand_logo_path(kit, "x.<svg>").endswith(tuple("0123456789abcdef"))
    assert brand_logo_path(kit, "x.JPEG").endswith(".jpg")
    assert video_upload_path(video, "../x.html").count("/") == 3
    assert video_upload_path(video, "a.MOV").endswith(".mov")
