"""Video versions: numbering through real renders, restoring one, comparing two."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction

from analytics.models import Event
from videos import services
from videos.models import BrandKit, Video, VideoVersion

from .conftest import add_version, media_info, png_bytes, store_bytes

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def video(draft_video):
    # These tests start from a video with no version (conftest's `video` is one under review).
    return draft_video


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
        logo=store_bytes(workspace, "brand", png_bytes((16, 16)), ".png"),
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
        "Video name changed",
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
    first = add_version(video, owner)
    Video.objects.filter(pk=video.pk).update(fields={**video.fields, "headline": "New"})
    second = add_version(video, owner, duration=3.0)
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
                    info=media_info(),
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
    one = add_version(video, owner, content=b"x" * 1024 * 1024)
    Video.objects.filter(pk=video.pk).update(
        title="Renamed", fields={**video.fields, "headline": "New"}
    )
    two = add_version(video, editor, content=b"y" * 3 * 1024 * 1024, duration=3.5)
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
    [
        ("x", "1", "a"),
        ("1", None, "b"),
        ("1", "9", "b"),
        ("0", "1", "a"),
        ("1", "1", "b"),
        # past the integer column (found by the API fuzz test: OverflowError on SQLite)
        ("122947405497344387354102277323165270016", "1", "a"),
        ("1", str(2**63), "b"),
    ],
)
def test_compare_refuses_bad_numbers(versioned, a, b, key):
    from django.core.exceptions import ValidationError

    video = versioned(2)
    with pytest.raises(ValidationError) as caught:
        services.versions_compare(video=video, a=a, b=b)
    assert key in caught.value.message_dict
