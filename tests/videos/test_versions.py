"""Versions: numbering (also under concurrency), restore, compare, history, API, retention."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains

from analytics.models import Event
from tests.conftest import client_in
from videos import services, storage
from videos.models import BrandKit, ExportJob, Video, VideoSettings, VideoVersion

from .conftest import api_for, png_bytes


@pytest.fixture(autouse=True)
def _english():
    """Descriptions are asserted in English whatever an earlier test left active."""
    with translation.override("en"):
        yield


def _info(size: int = 1000, duration: float = 2.0, width: int = 64, height: int = 36):
    return SimpleNamespace(
        size=size, duration=duration, width=width, height=height, fps=30.0, checksum="c" * 64
    )


def _stored(workspace, kind: str, content: bytes, suffix: str) -> str:
    return default_storage.save(storage.new_key(workspace.pk, kind, suffix), ContentFile(content))


def _add_version(video, author, *, content: bytes | None = None, **info):
    """A version with real (tiny) files in storage, made through the service."""
    body = content or f"video {time.monotonic_ns()}".encode()
    return services.version_create(
        video=video,
        kind="render",
        file_key=_stored(video.workspace, "renders", body, ".mp4"),
        thumbnail_key=_stored(video.workspace, "thumbnails", png_bytes(), ".png"),
        info=_info(size=len(body), **info),
        author=author,
    )


@pytest.fixture
def video(template, workspace, owner):
    return services.video_create(
        workspace=workspace, template=template, title="Teaser", actor=owner, duration=1
    )


@pytest.fixture
def versioned(video, owner):
    """`versioned(n)` → the video with n versions (v1…vn), each with its own files."""

    def make(n: int) -> Video:
        for i in range(n):
            _add_version(video, owner, content=f"file {i}".encode())
        video.refresh_from_db()
        return video

    return make


def _render(video, actor, capture):
    with capture(execute=True):
        services.video_render(video=video, actor=actor)
    video.refresh_from_db()
    return video


# -- numbering through real renders -------------------------------------------------------------


@pytest.mark.django_db
def test_renders_and_branding_make_versions_1_2_3_with_descriptions(
    video, owner, workspace, django_capture_on_commit_callbacks
):
    _render(video, owner, django_capture_on_commit_callbacks)
    services.video_update(video=video, actor=owner, title="Teaser, take two")
    _render(video, owner, django_capture_on_commit_callbacks)
    kit = BrandKit.objects.create(
        workspace=workspace,
        name="Spring kit",
        logo=_stored(workspace, "brand", png_bytes((16, 16)), ".png"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.video_apply_branding(video=video, brand_kit=kit, actor=owner)
    video.refresh_from_db()

    versions = list(VideoVersion.objects.filter(video=video).order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert [v.kind for v in versions] == ["render", "render", "branding"]
    assert [v.changes for v in versions] == [
        [{"code": "rendered"}],
        [{"code": "title_changed"}],
        [{"code": "branding_applied", "kit": "Spring kit"}],
    ]
    assert [services.version_description(v) for v in versions] == [
        "First render",
        "Title changed",
        "Branding applied: Spring kit",
    ]
    assert len({v.file.name for v in versions}) == 3  # every version has its own key
    assert versions[1].title == "Teaser, take two" and versions[0].title == "Teaser"
    assert all(v.author == owner and v.checksum and v.size > 0 for v in versions)
    # The video points at the newest version and carries its file's metadata.
    assert video.current_version_id == versions[2].pk
    assert (video.file.name, video.checksum, video.size) == (
        versions[2].file.name,
        versions[2].checksum,
        versions[2].size,
    )
    assert video.brand_kit == kit
    assert Event.objects.filter(name="video.version_created", subject_id=str(video.pk)).count() == 3


@pytest.mark.django_db
def test_a_changed_field_is_described_by_its_label(video, owner):
    first = _add_version(video, owner)
    Video.objects.filter(pk=video.pk).update(fields={**video.fields, "headline": "New"})
    second = _add_version(video, owner, duration=3.0)
    assert first.changes == [{"code": "rendered"}]
    assert second.changes == [
        {"code": "field_changed", "field": "headline"},
        {"code": "duration_changed", "from": 2.0, "to": 3.0},
    ]
    labels = services.field_labels(video)
    assert services.version_description(second, labels=labels) == (
        "“Headline” changed; Duration changed from 2.0 s to 3.0 s"
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_transactions_get_consecutive_numbers(template, workspace, owner):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: SQLite serialises writers with a database lock, so it cannot "
            "show two transactions racing for the video row lock."
        )
    video = Video.objects.create(
        workspace=workspace, template=template, title="Race", duration_seconds=2
    )
    workers = 4
    barrier = threading.Barrier(workers)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                version = services.version_create(
                    video=video,
                    kind="render",
                    file_key=f"workspaces/{workspace.pk}/renders/race-{i}.mp4",
                    thumbnail_key="",
                    info=_info(),
                    author=None,
                )
                time.sleep(0.2)  # hold the transaction open: the others must wait, not guess
                numbers.append(version.number)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4]
    assert sorted(VideoVersion.objects.filter(video=video).values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
    video.refresh_from_db()
    assert video.current_version.number == 4


# -- restore ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_restore_makes_a_new_version_and_keeps_every_earlier_one(versioned, owner):
    video = versioned(3)
    before = {
        v.pk: (v.number, v.file.name, v.thumbnail.name, v.checksum, v.size)
        for v in VideoVersion.objects.filter(video=video)
    }
    contents = {
        v.pk: default_storage.open(v.file.name).read()
        for v in VideoVersion.objects.filter(video=video)
    }
    first = VideoVersion.objects.get(video=video, number=1)

    restored = services.version_restore(video=video, number=1, actor=owner, note="Back to v1")

    assert restored.number == 4 and restored.kind == "restore"
    assert restored.restored_from == first
    assert restored.changes == [{"code": "restored", "from": 1}]
    assert services.version_description(restored) == "Restored from version 1"
    assert restored.note == "Back to v1"
    # A new key with the same bytes; the old file is untouched.
    assert restored.file.name != first.file.name
    assert restored.thumbnail.name != first.thumbnail.name
    assert default_storage.open(restored.file.name).read() == contents[first.pk]
    assert restored.checksum == first.checksum and restored.size == first.size
    # Every earlier row is unchanged and every file still exists with the same content.
    after = {
        v.pk: (v.number, v.file.name, v.thumbnail.name, v.checksum, v.size)
        for v in VideoVersion.objects.filter(video=video).exclude(pk=restored.pk)
    }
    assert after == before
    for pk, (_n, file_key, thumb_key, _c, _s) in before.items():
        assert default_storage.exists(file_key) and default_storage.exists(thumb_key)
        assert default_storage.open(file_key).read() == contents[pk]
    video.refresh_from_db()
    assert video.current_version == restored and video.file.name == restored.file.name
    assert Event.objects.filter(name="video.version_restored", subject_id=str(video.pk)).exists()


@pytest.mark.django_db
def test_restore_needs_edit_and_an_existing_version(versioned, viewer):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    video = versioned(2)
    with pytest.raises(PermissionDenied):
        services.version_restore(video=video, number=1, actor=viewer)
    with pytest.raises(Http404):
        services.version_restore(video=video, number=9, actor=video.created_by)
    assert VideoVersion.objects.filter(video=video).count() == 2


# -- compare ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_compare_reports_size_duration_time_authors_and_fields(video, owner, editor):
    one = _add_version(video, owner, content=b"x" * 1024 * 1024)
    Video.objects.filter(pk=video.pk).update(
        title="Renamed", fields={**video.fields, "headline": "New"}
    )
    two = _add_version(video, editor, content=b"y" * 3 * 1024 * 1024, duration=3.5)
    result = services.versions_compare(video=video, a="1", b=2)
    assert result["a"] == one and result["b"] == two
    assert result["size_mb"] == {"a": 1.0, "b": 3.0, "difference": 2.0}
    assert result["duration_seconds"] == {"a": 2.0, "b": 3.5, "difference": 1.5}
    assert result["seconds_between"] >= 0
    assert result["authors"] == {"a": "Olivia Owner", "b": "Edith Editor"}
    assert result["title_changed"] is True
    assert result["fields_changed"] == ["headline"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("a", "b", "key"),
    [("x", "1", "a"), ("1", None, "b"), ("1", "9", "b"), ("0", "1", "a"), ("1", "1", "b")],
)
def test_compare_refuses_bad_numbers(versioned, a, b, key):
    from django.core.exceptions import ValidationError

    video = versioned(2)
    with pytest.raises(ValidationError) as caught:
        services.versions_compare(video=video, a=a, b=b)
    assert key in caught.value.message_dict


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
        _add_version(video, owner)
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


# -- retention ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_retention_keeps_the_newest_n_the_current_and_exported_versions(
    versioned, workspace, owner, caplog, django_capture_on_commit_callbacks
):
    VideoSettings.objects.create(workspace=workspace, versions_to_keep=2)
    video = versioned(7)
    v = {x.number: x for x in VideoVersion.objects.filter(video=video)}
    Video.objects.filter(pk=video.pk).update(current_version=v[3])  # an older current version
    ExportJob.objects.create(workspace=workspace, status="running", version_ids=[v[1].pk])
    ExportJob.objects.create(workspace=workspace, status="queued", version_ids=[v[2].pk])
    ExportJob.objects.create(workspace=workspace, status="ready", version_ids=[v[4].pk])

    with (
        caplog.at_level("INFO", logger="videos.services.versions"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.retention_apply() == 2

    kept = set(VideoVersion.objects.filter(video=video).values_list("number", flat=True))
    assert kept == {1, 2, 3, 6, 7}
    for number in (4, 5):
        assert not default_storage.exists(v[number].file.name)
        assert not default_storage.exists(v[number].thumbnail.name)
    for number in kept:
        assert default_storage.exists(v[number].file.name)
    deleted = Event.objects.filter(name="video.version_deleted", subject_id=str(video.pk))
    assert sorted(e.properties["number"] for e in deleted) == [4, 5]
    assert "deleted version 4" in caplog.text and "deleted version 5" in caplog.text

    # Running it again deletes nothing more.
    assert services.retention_apply() == 0


@pytest.mark.django_db
def test_retention_uses_the_plan_limit_without_a_setting(versioned, workspace):
    video = versioned(6)
    assert services.versions_to_keep(workspace) == 5
    assert services.retention_apply() == 1
    assert sorted(VideoVersion.objects.filter(video=video).values_list("number", flat=True)) == [
        2,
        3,
        4,
        5,
        6,
    ]
    # A workspace may keep fewer than the plan allows, never more.
    VideoSettings.objects.create(workspace=workspace, versions_to_keep=40)
    assert services.versions_to_keep(workspace) == 5


@pytest.mark.django_db
def test_retention_spares_versions_with_an_open_review_thread(versioned, workspace, owner):
    from teams.services import review as team_services

    video = versioned(7)
    v = {x.number: x for x in VideoVersion.objects.filter(video=video)}
    team_services.comment_create(version=v[1], author=owner, text="Still open", time_ms=0)
    done = team_services.comment_create(version=v[2], author=owner, text="Done", time_ms=0)
    team_services.comment_resolve(comment=done, actor=owner)

    assert services.retention_apply() == 1  # keeps 5 (the plan's), v1 is under review
    kept = set(VideoVersion.objects.filter(video=video).values_list("number", flat=True))
    assert kept == {1, 3, 4, 5, 6, 7}


@pytest.mark.django_db
def test_retention_spares_versions_a_pending_post_will_publish(versioned, workspace, owner):
    from django.utils import timezone

    from videos.models import PlatformPost, PublishSchedule

    video = versioned(7)
    v = {x.number: x for x in VideoVersion.objects.filter(video=video)}
    for number, status in ((1, "scheduled"), (2, "published")):
        schedule = PublishSchedule.objects.create(
            workspace=workspace, video=video, version=v[number], publish_at=timezone.now()
        )
        PlatformPost.objects.create(
            schedule=schedule, platform="x", status=status, next_attempt_at=timezone.now()
        )
    assert services.retention_apply() == 1
    kept = set(VideoVersion.objects.filter(video=video).values_list("number", flat=True))
    assert kept == {1, 3, 4, 5, 6, 7}


@pytest.mark.django_db
def test_deleting_a_video_deletes_every_version_file(
    versioned, owner, django_capture_on_commit_callbacks
):
    video = versioned(2)
    keys = [x.file.name for x in VideoVersion.objects.filter(video=video)]
    with django_capture_on_commit_callbacks(execute=True):
        services.video_delete(video=video, actor=owner)
    assert not any(default_storage.exists(key) for key in keys)


def test_retention_is_scheduled():
    from videocreator.periodic import PERIODIC_TASKS

    assert any(t.task == "videos.apply_version_retention" for t in PERIODIC_TASKS)
