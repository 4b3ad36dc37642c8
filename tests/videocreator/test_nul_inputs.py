"""A NUL character (PostgreSQL text cannot hold one) is refused with a 400 or a form error, and
changes nothing, wherever a client sends it: query strings, template fields, workspace names."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from teams.models import Team
from tests.conftest import client_for, client_in
from tests.videos.conftest import api_for, png_bytes, stored_files, upload
from videos.models import Video

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Null characters are not allowed."


# -- query strings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["/api/v1/videos/?search=a%00b", "/api/v1/templates/?search=%00", "/api/v1/templates/?tag=%00"],
)
def test_api_query_with_nul_is_a_400_in_the_error_shape(owner, workspace, query):
    response = api_for(owner).get(query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "null_characters"
    assert error["message"] == NUL_MESSAGE


def test_page_query_with_nul_is_a_400_page(owner, workspace):
    response = client_in(owner, workspace).get(reverse("videos:list") + "?search=%00")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_page_query_with_nul_is_refused_in_the_users_language(owner, workspace):
    response = client_for(owner).get(
        reverse("videos:list") + "?search=%00", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 400
    assert "Los caracteres nulos no están permitidos." in response.content.decode()


def test_signed_out_page_query_with_nul_is_a_400_page(client):
    response = client.get(reverse("account_login") + "?next=%00")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_query_without_nul_still_works(owner, workspace):
    assert api_for(owner).get("/api/v1/videos/?search=a%20b").status_code == 200


# -- template fields on the API -----------------------------------------------------------------


def _create(api, workspace, template, fields, **extra):
    return api.post(
        "/api/v1/videos/",
        {"workspace": workspace.pk, "template": template.key, "title": "T", "fields": fields},
        format="json",
        **extra,
    )


def test_api_create_with_nul_in_a_text_field_is_refused(owner, workspace, template):
    response = _create(api_for(owner), workspace, template, {"headline": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["headline"] == [NUL_MESSAGE]
    assert not Video.objects.exists()


def test_api_create_with_nul_in_a_file_field_value_is_refused(owner, workspace, template):
    response = _create(api_for(owner), workspace, template, {"photo": "\x00"})
    assert response.status_code == 400
    assert not Video.objects.exists()


def test_api_create_multipart_with_nul_leaves_no_files(owner, workspace, template, settings):
    before = stored_files(settings)
    response = api_for(owner).post(
        "/api/v1/videos/",
        {
            "workspace": workspace.pk,
            "template": template.key,
            "title": "T",
            "fields": json.dumps({"headline": "a\x00b"}),
            "photo": upload("p.png", png_bytes(), "image/png"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert not Video.objects.exists()
    assert stored_files(settings) == before


def test_api_update_with_nul_in_a_text_field_is_refused(owner, workspace, ready_video):
    video = ready_video()
    response = api_for(owner).patch(
        f"/api/v1/videos/{video.pk}/", {"fields": {"headline": "\x00x"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["headline"] == [NUL_MESSAGE]
    video.refresh_from_db()
    assert video.fields == {"headline": "Hello"}


def test_api_update_multipart_with_nul_leaves_no_files(owner, workspace, ready_video, settings):
    video = ready_video()
    before = stored_files(settings)
    response = api_for(owner).patch(
        f"/api/v1/videos/{video.pk}/",
        {
            "fields": json.dumps({"headline": "a\x00"}),
            "photo": upload("p.png", png_bytes(), "image/png"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert stored_files(settings) == before


# -- workspace names on the pages ---------------------------------------------------------------


def test_page_new_workspace_with_nul_is_refused(owner):
    response = client_for(owner).post(reverse("teams:new"), {"name": "Acme\x00"}, follow=True)
    assert response.status_code == 200
    assert NUL_MESSAGE in response.content.decode()
    assert not Team.objects.filter(name__startswith="Acme").exists()


def test_page_rename_workspace_with_nul_is_refused(owner, workspace):
    client = client_in(owner, workspace)
    response = client.post(
        reverse("teams:rename", args=[workspace.pk]), {"name": "New\x00"}, follow=True
    )
    assert response.status_code == 200
    workspace.refresh_from_db()
    assert workspace.name == "Acme Studio"


def test_page_new_workspace_with_a_long_name_is_refused_not_cut(owner):
    client_for(owner).post(reverse("teams:new"), {"name": "x" * 101})
    assert not Team.objects.filter(name__startswith="xxx").exists()


def test_page_rename_workspace_with_a_long_name_is_refused_not_cut(owner, workspace):
    client_in(owner, workspace).post(
        reverse("teams:rename", args=[workspace.pk]), {"name": "y" * 101}
    )
    workspace.refresh_from_db()
    assert workspace.name == "Acme Studio"


def test_page_and_api_refuse_a_long_name_in_the_same_words(owner):
    api = api_for(owner).post("/api/v1/workspaces/", {"name": "x" * 101}, format="json")
    page = client_for(owner).post(reverse("teams:new"), {"name": "x" * 101}, follow=True)
    assert api.status_code == 400
    message = api.json()["error"]["message"]
    assert message in page.content.decode()


def test_a_name_of_exactly_the_limit_is_kept_whole(owner):
    client_for(owner).post(reverse("teams:new"), {"name": "z" * 100})
    assert Team.objects.filter(name="z" * 100).exists()


# -- uploads are not orphaned when the database refuses the video --------------------------------


def _refusing_save(monkeypatch) -> None:
    from django.db import DataError

    def refuse(*args, **kwargs):
        raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")

    monkeypatch.setattr(Video, "save", refuse)


def test_create_deletes_its_uploads_when_the_video_cannot_be_saved(
    owner, workspace, template, settings, monkeypatch
):
    from videos import services

    before = stored_files(settings)
    _refusing_save(monkeypatch)
    with pytest.raises(Exception, match="NUL"):
        services.video_create(
            workspace=workspace,
            template=template,
            title="T",
            actor=owner,
            files={"photo": upload("p.png", png_bytes(), "image/png")},
        )
    assert stored_files(settings) == before


def test_update_deletes_its_uploads_when_the_video_cannot_be_saved(
    owner, workspace, ready_video, settings, monkeypatch
):
    from videos import services

    video = ready_video()
    before = stored_files(settings)
    _refusing_save(monkeypatch)
    with pytest.raises(Exception, match="NUL"):
        services.video_update(
            video=video, actor=owner, files={"photo": upload("p.png", png_bytes(), "image/png")}
        )
    assert stored_files(settings) == before
