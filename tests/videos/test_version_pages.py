"""A video's history page, a version's page, the compare page, and the versions API."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.conftest import client_in
from videos.models import VideoVersion

from .conftest import add_version, api_for

pytestmark = pytest.mark.usefixtures("english")


# -- pages --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_history_page_runs_a_fixed_number_of_queries(versioned, owner, workspace):
    client = client_in(owner, workspace)
    video = versioned(3)
    url = reverse("videos:history", args=[video.pk])
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("version-thumb") == 3
    for _ in range(27):
        add_version(video, owner)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assertContains(response, "version-thumb", count=30)
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_history_query_count_is_bounded(versioned, owner, workspace, django_assert_max_num_queries):
    client = client_in(owner, workspace)
    video = versioned(30)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("videos:history", args=[video.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        api = api_for(owner)
        assert api.get(f"/api/v1/videos/{video.pk}/versions/").status_code == 200


@pytest.mark.django_db
def test_viewer_sees_history_and_plays_but_cannot_restore(versioned, viewer, workspace):
    video = versioned(2)
    client = client_in(viewer, workspace)
    page = client.get(reverse("videos:history", args=[video.pk]))
    assert page.status_code == 200
    assert "Restore version 1" not in page.content.decode()
    play = client.get(reverse("videos:version", args=[video.pk, 1]))
    assert play.status_code == 200 and b"<video" in play.content
    response = client.post(reverse("videos:version_restore", args=[video.pk, 1]))
    assert response.status_code == 403
    assert VideoVersion.objects.filter(video=video).count() == 2


@pytest.mark.django_db
def test_editor_restores_from_the_page(versioned, editor, workspace):
    video = versioned(2)
    client = client_in(editor, workspace)
    page = client.get(reverse("videos:history", args=[video.pk]))
    assert "data-confirm" in page.content.decode()
    response = client.post(reverse("videos:version_restore", args=[video.pk, 1]), {"note": "Undo"})
    assert response.status_code == 302
    latest = VideoVersion.objects.filter(video=video).order_by("-number").first()
    assert (latest.number, latest.kind, latest.note, latest.author) == (
        3,
        "restore",
        "Undo",
        editor,
    )


@pytest.mark.django_db
def test_compare_page_shows_two_players_and_a_clear_400(versioned, owner, workspace):
    video = versioned(2)
    client = client_in(owner, workspace)
    page = client.get(reverse("videos:compare", args=[video.pk]), {"a": 1, "b": 2})
    assert page.status_code == 200
    assert page.content.decode().count("<video") == 2
    bad = client.get(reverse("videos:compare", args=[video.pk]), {"a": 1, "b": 7})
    assert bad.status_code == 400
    assert "This video has no version 7." in bad.content.decode()


@pytest.mark.django_db
def test_outsider_gets_404_on_every_version_page(versioned, outsider):
    video = versioned(2)
    client = client_in(outsider, video.workspace)
    for url in [
        reverse("videos:history", args=[video.pk]),
        reverse("videos:version", args=[video.pk, 1]),
        reverse("videos:compare", args=[video.pk]) + "?a=1&b=2",
    ]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("videos:version_restore", args=[video.pk, 1])).status_code == 404


@pytest.mark.django_db
def test_video_page_links_to_the_history(versioned, owner, workspace):
    video = versioned(1)
    page = client_in(owner, workspace).get(reverse("videos:detail", args=[video.pk]))
    assert reverse("videos:history", args=[video.pk]) in page.content.decode()


# -- API ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_lists_versions_newest_first(versioned, viewer):
    video = versioned(3)
    response = api_for(viewer).get(f"/api/v1/videos/{video.pk}/versions/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["number"] for row in rows] == [3, 2, 1]
    assert rows[0]["is_current"] is True and rows[1]["is_current"] is False
    assert rows[2]["description"] == "First render"
    assert rows[0]["author"]["name"] == "Olivia Owner"
    assert rows[0]["file_url"] and rows[0]["thumbnail_url"]


@pytest.mark.django_db
def test_api_restore(versioned, owner, viewer, outsider):
    video = versioned(2)
    url = f"/api/v1/videos/{video.pk}/versions/1/restore/"
    assert api_for(outsider).post(url).status_code == 404
    assert api_for(viewer).post(url).status_code == 403
    assert api_for(owner).post(f"/api/v1/videos/{video.pk}/versions/9/restore/").status_code == 404
    response = api_for(owner).post(url, {"note": "v1 was better"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["number"], body["kind"], body["restored_from"], body["note"]) == (
        3,
        "restore",
        1,
        "v1 was better",
    )
    assert body["is_current"] is True
    assert VideoVersion.objects.filter(video=video).count() == 3


@pytest.mark.django_db
def test_api_compare(versioned, viewer, outsider):
    video = versioned(2)
    url = f"/api/v1/videos/{video.pk}/versions/compare/"
    assert api_for(outsider).get(url, {"a": 1, "b": 2}).status_code == 404
    response = api_for(viewer).get(url, {"a": 1, "b": 2})
    assert response.status_code == 200
    body = response.json()
    assert (body["a"]["number"], body["b"]["number"]) == (1, 2)
    assert set(body) >= {
        "size_mb",
        "duration_seconds",
        "seconds_between",
        "authors",
        "fields_changed",
    }
    bad = api_for(viewer).get(url, {"a": "one", "b": 2})
    assert bad.status_code == 400
    assert "Choose a version number" in bad.content.decode()
    missing = api_for(viewer).get(url, {"a": 1})
    assert missing.status_code == 400
