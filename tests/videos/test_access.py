"""Who may do what with videos, in the pages, the API and downloads alike.

Outsiders get 404 (they cannot even learn a video exists); members whose role lacks the
action get 403; and a refused request changes nothing.
"""

import pytest
from django.urls import reverse

from tests.conftest import client_for, client_in
from tests.videos.conftest import api_for, png_bytes
from videos import storage
from videos.models import BrandKit, RenderJob, Video, VideoStatus


@pytest.fixture
def kit(workspace):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    key = default_storage.save(
        f"workspaces/{workspace.pk}/brand/logo.png", ContentFile(png_bytes())
    )
    return BrandKit.objects.create(workspace=workspace, name="Acme", logo=key)


@pytest.fixture
def video(ready_video):
    return ready_video()


def _unchanged(video: Video) -> None:
    fresh = Video.objects.get(pk=video.pk)
    assert fresh.status == VideoStatus.READY
    assert fresh.brand_kit_id is None
    assert not RenderJob.objects.filter(video=video).exists()


# -- pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), [("viewer", 403), ("outsider", 404)])
def test_render_branding_and_delete_pages_refuse(cast, workspace, video, kit, role, expected):
    client = client_for(cast[role])
    render = client.post(reverse("videos:render", args=[video.pk]))
    brand = client.post(reverse("videos:apply_branding", args=[video.pk]), {"brand_kit": kit.pk})
    edit = client.post(reverse("videos:edit", args=[video.pk]), {"title": "Hacked"})
    delete = client.post(reverse("videos:delete", args=[video.pk]))
    assert [render.status_code, brand.status_code, edit.status_code, delete.status_code] == [
        expected
    ] * 4
    _unchanged(video)
    assert Video.objects.get(pk=video.pk).title == "Launch teaser"


@pytest.mark.django_db
def test_viewer_may_watch_and_download_but_outsider_gets_404(viewer, outsider, video, mp4_path):
    watching = client_for(viewer)
    assert watching.get(reverse("videos:detail", args=[video.pk])).status_code == 200
    response = watching.get(reverse("videos:download", args=[video.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == mp4_path.read_bytes()

    stranger = client_for(outsider)
    for name in ["detail", "download", "status", "edit"]:
        url = reverse(f"videos:{name}", args=[video.pk])
        assert stranger.get(url).status_code == 404, name


@pytest.mark.django_db
def test_download_needs_the_download_permission(viewer, video, monkeypatch):
    """The download view asks the permission helper for `download`, not just `view`."""
    from teams import permissions

    monkeypatch.setattr(
        permissions, "ROLE_ACTIONS", {**permissions.ROLE_ACTIONS, "viewer": frozenset({"view"})}
    )
    client = client_for(viewer)
    assert client.get(reverse("videos:detail", args=[video.pk])).status_code == 200
    assert client.get(reverse("videos:download", args=[video.pk])).status_code == 403
    api = api_for(viewer)
    assert api.get(f"/api/v1/videos/{video.pk}/download/").status_code == 403
    assert api.get(f"/api/v1/videos/{video.pk}/").json()["file_url"] is None


@pytest.mark.django_db
def test_viewer_sees_no_buttons_for_what_they_cannot_do(viewer, video):
    page = client_for(viewer).get(reverse("videos:detail", args=[video.pk])).content.decode()
    assert reverse("videos:download", args=[video.pk]) in page
    for name in ["render", "apply_branding", "delete", "edit"]:
        assert reverse(f"videos:{name}", args=[video.pk]) not in page, name


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), [("viewer", 403), ("outsider", 404)])
def test_brand_kit_pages_refuse(cast, workspace, kit, role, expected):
    client = client_in(cast[role], workspace) if role != "outsider" else client_for(cast[role])
    assert client.get(reverse("videos:brand_kit_edit", args=[kit.pk])).status_code == expected
    assert client.post(reverse("videos:brand_kit_delete", args=[kit.pk])).status_code == expected
    assert BrandKit.objects.filter(pk=kit.pk).exists()
    if role == "viewer":
        assert client.get(reverse("videos:brand_kit_create")).status_code == 403
    else:
        assert client.get(reverse("videos:brand_kit_preview", args=[kit.pk])).status_code == 404


@pytest.mark.django_db
def test_viewer_cannot_create_videos_from_the_library(viewer, workspace, template):
    client = client_in(viewer, workspace)
    page = client.get(reverse("videos:template", args=[template.key]))
    assert page.status_code == 200
    assert '<form class="form" method="post"' not in page.content.decode()
    response = client.post(reverse("videos:template", args=[template.key]), {"title": "x"})
    assert response.status_code == 403
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_pages_of_another_workspace_are_404(outsider, workspace):
    client = client_for(outsider)
    assert client.get(reverse("videos:list"), {"workspace": workspace.pk}).status_code == 404
    assert client.get(reverse("videos:brand_kits"), {"workspace": workspace.pk}).status_code == 404


@pytest.mark.django_db
def test_pages_need_sign_in(client, video):
    for url in [
        reverse("videos:detail", args=[video.pk]),
        reverse("videos:download", args=[video.pk]),
        reverse("videos:brand_kits"),
        reverse("videos:brand_kit_create"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


# -- API ------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), [("viewer", 403), ("outsider", 404)])
def test_api_render_branding_edit_delete_refuse(cast, video, kit, role, expected):
    api = api_for(cast[role])
    base = f"/api/v1/videos/{video.pk}/"
    responses = [
        api.post(base + "render/"),
        api.post(base + "apply-branding/", {"brand_kit": kit.pk}, format="json"),
        api.patch(base, {"title": "Hacked"}, format="json"),
        api.delete(base),
    ]
    assert [r.status_code for r in responses] == [expected] * 4
    for response in responses:
        assert response.json()["error"]["code"] in {"permission_denied", "not_found"}
    _unchanged(video)


@pytest.mark.django_db
def test_api_download_only_for_members(viewer, outsider, video, mp4_path, client):
    shown = api_for(viewer).get(f"/api/v1/videos/{video.pk}/")
    assert shown.status_code == 200
    assert shown.json()["file_url"]
    download = api_for(viewer).get(f"/api/v1/videos/{video.pk}/download/")
    assert download.status_code == 302
    link = download["Location"].removeprefix("http://testserver")
    response = client.get(link)
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == mp4_path.read_bytes()
    stranger = api_for(outsider)
    assert stranger.get(f"/api/v1/videos/{video.pk}/").status_code == 404
    assert stranger.get(f"/api/v1/videos/{video.pk}/download/").status_code == 404


@pytest.mark.django_db
def test_api_lists_only_the_callers_workspaces(viewer, outsider, workspace, video, kit):
    assert [v["id"] for v in api_for(viewer).get("/api/v1/videos/").json()["results"]] == [video.pk]
    assert api_for(outsider).get("/api/v1/videos/").json()["results"] == []
    assert api_for(outsider).get("/api/v1/brand-kits/").json()["results"] == []
    narrowed = api_for(outsider).get("/api/v1/videos/", {"workspace": workspace.pk})
    assert narrowed.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), [("viewer", 403), ("outsider", 404)])
def test_api_create_refuses(cast, workspace, template, role, expected):
    response = api_for(cast[role]).post(
        "/api/v1/videos/",
        {"workspace": workspace.pk, "template": template.key, "title": "x"},
        format="json",
    )
    assert response.status_code == expected
    assert not Video.objects.exists()


# -- stored files ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_local_files_are_never_exposed_at_a_public_path(owner, video, settings):
    page = client_for(owner).get(reverse("videos:detail", args=[video.pk])).content.decode()
    assert settings.MEDIA_URL not in page
    assert video.file.name not in page
    api = api_for(owner).get(f"/api/v1/videos/{video.pk}/").json()
    assert settings.MEDIA_URL not in api["file_url"] and video.file.name not in api["file_url"]


@pytest.mark.django_db
def test_signed_file_links_cannot_be_forged_or_kept(client, video, mp4_path, monkeypatch):
    from videos import selectors

    url = selectors.file_url(video.file.name)
    assert b"".join(client.get(url).streaming_content) == mp4_path.read_bytes()
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert client.get(reverse("videos:file", args=[forged])).status_code == 404

    import time

    later = time.time() + 3 * selectors.FILE_URL_LIFETIME
    monkeypatch.setattr(selectors.time, "time", lambda: later)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_signed_links_serve_only_our_files(client):
    from django.core import signing

    from videos import selectors

    token = signing.dumps({"k": "../settings.py", "e": 2**40}, salt=selectors.FILE_SALT)
    assert client.get(reverse("videos:file", args=[token])).status_code == 404


@pytest.mark.django_db
def test_uploaded_files_are_never_served_as_html(client, workspace):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from videos import selectors

    key = default_storage.save(
        f"workspaces/{workspace.pk}/uploads/x.html", ContentFile(b"<script>alert(1)</script>")
    )
    response = client.get(selectors.file_url(key))
    assert response["Content-Type"] != "text/html"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]
    assert storage.is_local()


@pytest.mark.django_db
def test_signed_links_serve_byte_ranges_for_seeking(client, video, mp4_path):
    from videos import selectors

    data = mp4_path.read_bytes()
    url = selectors.file_url(video.file.name)
    whole = client.get(url)
    assert whole["Accept-Ranges"] == "bytes"
    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 10-19/{len(data)}"
    assert b"".join(part.streaming_content) == data[10:20]
    tail = client.get(url, HTTP_RANGE="bytes=-5")
    assert b"".join(tail.streaming_content) == data[-5:]
    open_ended = client.get(url, HTTP_RANGE="bytes=100-")
    assert b"".join(open_ended.streaming_content) == data[100:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(data) + 5}-").status_code == 416
