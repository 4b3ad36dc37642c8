"""A template's image field sent as a storage key: only a file uploaded to the same workspace, or
the key the video already holds. Another workspace's upload is a 400 and changes nothing: it
would be read (and deleted with the video) at the next render."""

import pytest

from videos import storage
from videos.models import Video

from .conftest import api_error, api_for, png_bytes, upload

pytestmark = pytest.mark.django_db

MESSAGE = "Image must be a file uploaded to this workspace."


def _uploaded(workspace) -> str:
    return storage.save_upload(
        upload("p.png", png_bytes()), workspace_id=workspace.pk, kind="uploads"
    )


def _create(user, workspace, template, photo):
    return api_for(user).post(
        "/api/v1/videos/",
        {
            "workspace": workspace.pk,
            "template": template.key,
            "title": "T",
            "fields": {"photo": photo},
        },
        format="json",
    )


def _patch(user, video, fields):
    return api_for(user).patch(f"/api/v1/videos/{video.pk}/", {"fields": fields}, format="json")


@pytest.fixture
def theirs(outsider):
    """A file uploaded to another workspace (the outsider's personal one)."""
    return _uploaded(outsider.teams.get())


def test_a_video_takes_an_upload_of_its_own_workspace(owner, workspace, template):
    key = _uploaded(workspace)
    response = _create(owner, workspace, template, key)
    assert response.status_code == 201, response.content
    assert Video.objects.get().fields["photo"] == key


def test_another_workspaces_upload_is_refused_on_create(owner, workspace, template, theirs):
    response = _create(owner, workspace, template, theirs)
    assert response.status_code == 400
    assert api_error(response)["fields"]["photo"] == [MESSAGE]
    assert not Video.objects.exists()


@pytest.mark.parametrize(
    "shape",
    [
        "workspaces/{ours}/uploads/../../{theirs_id}/uploads/{name}",
        "workspaces/{ours}/uploads/2025/../../../{theirs_id}/uploads/{name}",
        "workspaces/{ours}/renders/{name}",
        "/workspaces/{ours}/uploads/{name}",
        "workspaces/0{ours}/uploads/{name}",
        "https://example.com/{name}",
    ],
)
def test_keys_that_only_look_like_ours_are_refused(owner, workspace, template, theirs, shape):
    theirs_id, name = theirs.split("/")[1], theirs.split("/uploads/", 1)[1]
    key = shape.format(ours=workspace.pk, theirs_id=theirs_id, name=name)
    response = _create(owner, workspace, template, key)
    assert response.status_code == 400, key
    assert not Video.objects.exists()


def test_a_well_formed_key_of_a_file_that_was_never_uploaded_is_refused(owner, workspace, template):
    key = f"workspaces/{workspace.pk}/uploads/2025/{'0' * 32}.png"
    assert _create(owner, workspace, template, key).status_code == 400


def test_another_workspaces_upload_is_refused_on_update(owner, workspace, ready_video, theirs):
    video = ready_video()
    response = _patch(owner, video, {"headline": "New", "photo": theirs})
    assert response.status_code == 400
    assert api_error(response)["fields"]["photo"] == [MESSAGE]
    video.refresh_from_db()
    assert video.fields == {"headline": "Hello"}


def test_the_key_the_video_already_holds_can_be_sent_back(owner, workspace, ready_video):
    video = ready_video()
    Video.objects.filter(pk=video.pk).update(fields={"headline": "Hello", "photo": "old/key.png"})
    response = _patch(owner, video, {"headline": "New", "photo": "old/key.png"})
    assert response.status_code == 200, response.content
    video.refresh_from_db()
    assert video.fields["photo"] == "old/key.png" and video.fields["headline"] == "New"


def test_an_image_can_still_be_cleared(owner, workspace, ready_video):
    video = ready_video()
    Video.objects.filter(pk=video.pk).update(fields={"headline": "Hello", "photo": "old/key.png"})
    assert _patch(owner, video, {"photo": None}).status_code == 200
    video.refresh_from_db()
    assert video.fields["photo"] is None
