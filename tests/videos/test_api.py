"""/api/v1/ for templates and videos: the same services as the pages."""

import json

import pytest

from accounts.services import api_token_create
from tests.videos.conftest import api_error, api_for, png_bytes, stored_files, upload
from videos.models import Video

VIDEO_KEYS = {
    "id",
    "workspace",
    "title",
    "template",
    "fields",
    "status",
    "progress",
    "duration",
    "resolution",
    "width",
    "height",
    "fps",
    "rendered_duration",
    "size",
    "file_url",
    "thumbnail_url",
    "brand_kit",
    "error",
    "created_at",
    "updated_at",
    "rendered_at",
}


# -- templates ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_templates_filter_and_order(owner, make_template, only_test_templates):
    make_template(name="A", category="social", tags=["sale"], tier="pro", usage_count=5, duration=9)
    make_template(name="B", category="education", tags=["tips"], usage_count=9, duration=3)
    api = api_for(owner)

    def names(**params):
        response = api.get("/api/v1/templates/", params)
        assert response.status_code == 200
        return [t["name"] for t in response.json()["results"]]

    assert names() == ["B", "A"]
    assert names(ordering="duration") == ["B", "A"]
    assert names(ordering="-duration") == ["A", "B"]
    assert names(category="social") == ["A"]
    assert names(tag="tips") == ["B"]
    assert names(tier="pro") == ["A"]
    assert names(search="sal") == ["A"]
    first = api.get("/api/v1/templates/").json()["results"][0]
    assert first["thumbnail_url"] is None and first["preview_url"] is None


@pytest.mark.django_db
def test_template_detail_lists_its_fields(owner, make_template):
    template = make_template(clip=True)
    data = api_for(owner).get(f"/api/v1/templates/{template.key}/").json()
    assert [f["name"] for f in data["fields"]] == template.field_names()
    assert data["fields"][0]["label"] == "Headline" and data["fields"][0]["max_length"] == 40
    assert data["video_slot"] is True
    assert api_for(owner).get("/api/v1/templates/nope/").status_code == 404
    template.is_active = False
    template.save()
    assert api_for(owner).get(f"/api/v1/templates/{template.key}/").status_code == 404


@pytest.mark.django_db
def test_token_authentication_works(owner, template):
    from rest_framework.test import APIClient

    _token, key = api_token_create(user=owner, name="ci")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/templates/").status_code == 200
    assert APIClient().get("/api/v1/videos/").status_code == 401


# -- videos ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_read_update_and_delete_a_video(
    owner, workspace, template, django_capture_on_commit_callbacks
):
    api = api_for(owner)
    response = api.post(
        "/api/v1/videos/",
        {
            "workspace": workspace.pk,
            "template": template.key,
            "title": "From the API",
            "fields": {"headline": "Hi there", "values": [3, 4]},
            "duration": 3,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert set(data) == VIDEO_KEYS
    assert (data["status"], data["progress"], data["duration"], data["resolution"]) == (
        "draft",
        0,
        3,
        720,
    )
    assert data["fields"]["headline"] == "Hi there" and data["fields"]["values"] == [3, 4]
    assert (data["file_url"], data["thumbnail_url"], data["error"]) == (None, None, None)
    assert data["template"] == template.key

    url = f"/api/v1/videos/{data['id']}/"
    changed = api.patch(url, {"title": "Renamed", "fields": {"headline": "New"}}, format="json")
    assert changed.status_code == 200
    assert changed.json()["title"] == "Renamed"
    assert changed.json()["fields"]["headline"] == "New"
    assert changed.json()["fields"]["values"] == [3, 4]  # untouched fields are kept
    assert api.get(url).json()["title"] == "Renamed"

    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


@pytest.mark.django_db
def test_unknown_fields_are_rejected_with_the_valid_names(owner, workspace, template):
    response = api_for(owner).post(
        "/api/v1/videos/",
        {
            "workspace": workspace.pk,
            "template": template.key,
            "title": "x",
            "fields": {"headline": "ok", "subtitle": "?"},
        },
        format="json",
    )
    assert response.status_code == 400
    error = api_error(response)
    assert error["code"] == "invalid"
    message = error["fields"]["fields"][0]
    assert "subtitle" in message
    assert "headline, background, count, values, labels, photo" in message
    assert "subtitle" in error["message"]
    assert not Video.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field", "text"),
    [
        ({"title": ""}, "title", "This field may not be blank."),
        ({"title": "   "}, "title", "This field may not be blank."),
        ({"fields": {"headline": "x" * 41}}, "headline", "at most 40 characters"),
        ({"fields": {"headline": "  "}}, "headline", "Headline is required."),
        ({"fields": {"count": "many"}}, "count", "Number must be a number."),
        ({"fields": "not json"}, "fields", "Send the fields as a JSON object."),
        ({"duration": 99}, None, "between 1 and 10 seconds"),
        ({"template": "nope"}, "template", "There is no such template."),
    ],
)
def test_invalid_input_is_a_400_in_our_error_format(
    owner, workspace, template, payload, field, text
):
    body = {"workspace": workspace.pk, "template": template.key, "title": "Video", **payload}
    response = api_for(owner).post("/api/v1/videos/", body, format="json")
    assert response.status_code == 400
    error = api_error(response)
    if field:
        assert text in " ".join(error["fields"][field]), error
    assert text in error["message"] or field, error
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_plan_limits_come_with_the_upgrade_link(owner, workspace, make_template):
    pro = make_template(tier="pro")
    free = make_template()
    api = api_for(owner)
    for body in [
        {"workspace": workspace.pk, "template": pro.key, "title": "Pro"},
        {"workspace": workspace.pk, "template": free.key, "title": "Big", "resolution": 1080},
    ]:
        response = api.post("/api/v1/videos/", body, format="json")
        assert response.status_code == 400
        error = api_error(response)
        assert error["code"] == "plan_limit"
        assert error["upgrade_url"] == "/billing/pricing/"
        assert "Pro plan" in error["message"]
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_multipart_create_with_an_image(owner, workspace, template):
    response = api_for(owner).post(
        "/api/v1/videos/",
        {
            "workspace": workspace.pk,
            "template": template.key,
            "title": "With photo",
            "fields": json.dumps({"headline": "Look"}),
            "photo": upload("photo.png", png_bytes(), "image/png"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["fields"]["photo"].startswith(f"workspaces/{workspace.pk}/uploads/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    ["text as image", "pdf as clip", "too-long clip", "oversize image", "unknown file field"],
)
def test_bad_uploads_are_a_400_and_store_nothing(
    owner, workspace, make_template, settings, long_mp4_path, case
):
    template = make_template(clip=True)
    files, expected = {
        "text as image": (
            {"photo": upload("p.png", b"hello", "image/png")},
            "The file is not a readable image.",
        ),
        "pdf as clip": (
            {"source_clip": upload("c.pdf", b"%PDF-1.4", "application/pdf")},
            "Upload an MP4, MOV or WebM video.",
        ),
        "too-long clip": (
            {
                "source_clip": upload("l.mp4", long_mp4_path.read_bytes()),
                "photo": upload("p.png", png_bytes(), "image/png"),
            },
            "Videos can be at most 5 minutes long.",
        ),
        "oversize image": (
            {"photo": upload("big.png", b"\0" * (10 * 1024 * 1024 + 1))},
            "Images can be at most 10 MB.",
        ),
        "unknown file field": (
            {"avatar": upload("a.png", png_bytes(), "image/png")},
            "Valid fields: photo.",
        ),
    }[case]
    response = api_for(owner).post(
        "/api/v1/videos/",
        {"workspace": workspace.pk, "template": template.key, "title": "Upload", **files},
        format="multipart",
    )
    assert response.status_code == 400
    assert expected in api_error(response)["message"]
    assert not Video.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_list_is_scoped_filtered_and_bounded(
    owner, workspace, ready_video, django_assert_max_num_queries
):
    for n in range(12):
        ready_video(title=f"Clip {n}")
    Video.objects.filter(title="Clip 3").update(status="failed", error_code="ffmpeg_failed")
    api = api_for(owner)
    with django_assert_max_num_queries(3):  # roles, the count and one page, however many
        data = api.get("/api/v1/videos/").json()
    assert data["count"] == 12
    failed = api.get("/api/v1/videos/", {"status": "failed"}).json()["results"]
    assert [v["title"] for v in failed] == ["Clip 3"]
    assert failed[0]["error"] == "The video could not be encoded. Please try again."
    assert api.get("/api/v1/videos/", {"search": "clip 1"}).json()["count"] == 3
    personal = owner.teams.get(is_personal=True)
    assert api.get("/api/v1/videos/", {"workspace": personal.pk}).json()["count"] == 0
    assert api.get("/api/v1/videos/", {"workspace": workspace.pk}).json()["count"] == 12


@pytest.mark.django_db
def test_ready_video_links_download_the_file(owner, ready_video, mp4_path, client):
    video = ready_video()
    data = api_for(owner).get(f"/api/v1/videos/{video.pk}/").json()
    assert data["file_url"].startswith("http://testserver/files/")
    assert data["thumbnail_url"].startswith("http://testserver/files/")
    # The link works without a session, like a presigned S3 link.
    response = client.get(data["file_url"].removeprefix("http://testserver"))
    assert b"".join(response.streaming_content) == mp4_path.read_bytes()


@pytest.mark.django_db
def test_download_of_a_draft_is_404(owner, workspace, template):
    from videos import services

    video = services.video_create(workspace=workspace, template=template, title="d", actor=owner)
    response = api_for(owner).get(f"/api/v1/videos/{video.pk}/download/")
    assert response.status_code == 404
    assert api_error(response)["message"] == "This video has not been rendered yet."


@pytest.mark.django_db
def test_busy_video_cannot_be_changed(owner, ready_video):
    video = ready_video()
    Video.objects.filter(pk=video.pk).update(status="rendering", progress=40)
    api = api_for(owner)
    response = api.patch(f"/api/v1/videos/{video.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 400
    assert api_error(response)["message"] == "Wait until the current render has finished."
    assert api.get(f"/api/v1/videos/{video.pk}/").json()["progress"] == 40


@pytest.mark.django_db
def test_the_video_representation_matches_its_declared_fields(ready_video):
    """VideoSerializer writes its dict by hand for speed; DRF's field-by-field walk over the
    declared fields must give the same keys, values and formats (OpenAPI documents those)."""
    from rest_framework import serializers

    from videos.api.videos import VideoSerializer

    ready = ready_video(duration=2.04, fps=30)
    failed = ready_video(title="Broken", error_code="unreadable_upload")
    Video.objects.filter(pk=failed.pk).update(status="failed")
    failed.refresh_from_db()
    serializer = VideoSerializer(context={"downloadable": {ready.workspace_id}})
    for video in (ready, failed):
        generic = serializers.ModelSerializer.to_representation(serializer, video)
        assert serializer.to_representation(video) == dict(generic)
        assert set(serializer.to_representation(video)) == VIDEO_KEYS
