"""/api/v1/ for rendering, branding and brand kits, and the schema of the videos API."""

import pytest

from tests.videos.conftest import api_error, api_for, png_bytes, stored_files, upload
from videos.models import BrandKit, RenderJob

# -- render and branding --------------------------------------------------------------------------


@pytest.mark.django_db
def test_render_is_202_with_the_job_and_ends_ready(
    owner, workspace, make_template, django_capture_on_commit_callbacks
):
    template = make_template(duration=1)
    api = api_for(owner)
    video = api.post(
        "/api/v1/videos/",
        {"workspace": workspace.pk, "template": template.key, "title": "R", "duration": 1},
        format="json",
    ).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/videos/{video['id']}/render/")
    assert response.status_code == 202
    job = response.json()
    assert (job["video"], job["kind"], job["status"]) == (video["id"], "render", "queued")
    assert RenderJob.objects.get(pk=job["id"]).status == "done"
    data = api.get(f"/api/v1/videos/{video['id']}/").json()
    assert (data["status"], data["progress"], data["width"], data["height"]) == (
        "ready",
        100,
        1280,
        720,
    )
    assert data["size"] > 0 and 0.9 < data["rendered_duration"] < 1.2
    again = api.post(f"/api/v1/videos/{video['id']}/render/")
    assert again.status_code == 202  # a finished video can be rendered again


@pytest.mark.django_db
def test_second_render_while_queued_is_refused(owner, ready_video):
    video = ready_video()
    api = api_for(owner)
    assert api.post(f"/api/v1/videos/{video.pk}/render/").status_code == 202
    response = api.post(f"/api/v1/videos/{video.pk}/render/")
    assert response.status_code == 400
    assert api_error(response)["message"] == "This video is already being rendered."


@pytest.mark.django_db
def test_apply_branding(owner, ready_video, outsider, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    video = ready_video()
    key = default_storage.save("workspaces/x/logo.png", ContentFile(png_bytes((20, 20))))
    kit = BrandKit.objects.create(workspace=video.workspace, name="Acme", logo=key)
    theirs = BrandKit.objects.create(workspace=outsider.teams.get(), name="T", logo=key)
    api = api_for(owner)
    url = f"/api/v1/videos/{video.pk}/apply-branding/"
    refused = api.post(url, {"brand_kit": theirs.pk}, format="json")
    assert refused.status_code == 400
    assert api_error(refused)["fields"]["brand_kit"] == ["Choose a brand kit of this workspace."]
    assert api.post(url, {}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url, {"brand_kit": kit.pk}, format="json")
    assert response.status_code == 202
    assert (response.json()["kind"], response.json()["brand_kit"]) == ("branding", kit.pk)
    data = api.get(f"/api/v1/videos/{video.pk}/").json()
    assert (data["status"], data["brand_kit"]) == ("ready", kit.pk)


@pytest.mark.django_db
def test_branding_a_draft_is_refused(owner, workspace, template):
    from videos import services

    video = services.video_create(workspace=workspace, template=template, title="d", actor=owner)
    key = "workspaces/x/logo.png"
    kit = BrandKit.objects.create(workspace=workspace, name="Acme", logo=key)
    response = api_for(owner).post(
        f"/api/v1/videos/{video.pk}/apply-branding/", {"brand_kit": kit.pk}, format="json"
    )
    assert response.status_code == 400
    assert api_error(response)["message"] == "Render the video before applying branding."


# -- brand kits -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_brand_kits_list_and_create(owner, workspace, viewer, outsider, settings):
    api = api_for(owner)
    response = api.post(
        "/api/v1/brand-kits/",
        {
            "workspace": workspace.pk,
            "name": "Acme",
            "position": "center",
            "opacity": 50,
            "logo": upload("logo.png", png_bytes((40, 40)), "image/png"),
            "is_default": True,
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    kit = response.json()
    assert (kit["name"], kit["position"], kit["opacity"], kit["scale"], kit["is_default"]) == (
        "Acme",
        "center",
        50,
        0.15,
        True,
    )
    assert kit["logo_url"].startswith("http://testserver/files/")
    assert [k["id"] for k in api_for(viewer).get("/api/v1/brand-kits/").json()["results"]] == [
        kit["id"]
    ]

    refused = api_for(viewer).post(
        "/api/v1/brand-kits/",
        {"workspace": workspace.pk, "name": "V", "logo": upload("l.png", png_bytes())},
        format="multipart",
    )
    assert refused.status_code == 403
    hidden = api_for(outsider).post(
        "/api/v1/brand-kits/",
        {"workspace": workspace.pk, "name": "O", "logo": upload("l.png", png_bytes())},
        format="multipart",
    )
    assert hidden.status_code == 404

    bad = api.post(
        "/api/v1/brand-kits/",
        {"workspace": workspace.pk, "name": "Bad", "logo": upload("l.png", b"text"), "scale": 0.9},
        format="multipart",
    )
    assert bad.status_code == 400
    assert "scale" in api_error(bad)["fields"]
    over = api.post(
        "/api/v1/brand-kits/",
        {"workspace": workspace.pk, "name": "Two", "logo": upload("l.png", png_bytes())},
        format="multipart",
    )
    assert over.status_code == 400
    assert api_error(over)["code"] == "plan_limit" and api_error(over)["upgrade_url"]
    assert BrandKit.objects.count() == 1
    assert len(stored_files(settings)) == 1


@pytest.mark.django_db
def test_openapi_schema_describes_the_videos_api(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for route in [
        "/api/v1/templates/",
        "/api/v1/templates/{key}/",
        "/api/v1/videos/",
        "/api/v1/videos/{video_id}/",
        "/api/v1/videos/{video_id}/render/",
        "/api/v1/videos/{video_id}/download/",
        "/api/v1/videos/{video_id}/apply-branding/",
        "/api/v1/brand-kits/",
    ]:
        assert route in paths, route
