"""Version retention: which versions are kept, and deleting a video deletes every file."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from analytics.models import Event
from videos import services
from videos.models import ExportJob, Video, VideoSettings, VideoVersion

pytestmark = pytest.mark.usefixtures("english")


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
