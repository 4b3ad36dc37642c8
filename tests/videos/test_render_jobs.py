"""Render jobs: one worker per job, stuck renders re-queued, the default kit on every render."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.models import Event
from videocreator.leases import worker_name
from videos import services
from videos.models import BrandKit, RenderJob, RenderJobStatus, Video, VideoStatus
from videos.rendering import probe
from videos.services import jobs

from .conftest import png_bytes, upload


@pytest.fixture
def video(template, workspace, owner):
    return services.video_create(
        workspace=workspace, template=template, title="Teaser", actor=owner, duration=1
    )


def _queued_job(video, owner) -> RenderJob:
    return RenderJob.objects.create(video=video, kind="render", requested_by=owner)


@pytest.mark.django_db
def test_a_job_is_claimed_by_one_worker_only(video, owner):
    job = _queued_job(video, owner)
    first = jobs.render_job_claim(job_id=str(job.pk))
    second = jobs.render_job_claim(job_id=str(job.pk))
    assert first is not None and second is None
    job.refresh_from_db()
    assert (job.status, job.token, job.attempts) == ("running", first.token, 1)
    assert job.worker == worker_name()
    assert Video.objects.get(pk=video.pk).status == VideoStatus.RENDERING


@pytest.mark.django_db
def test_running_the_task_twice_renders_once(video, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.video_render(video=video, actor=owner)
    services.render_job_run(job_id=str(job.pk))  # a second delivery of the same task
    assert RenderJob.objects.get(pk=job.pk).attempts == 1
    assert Event.objects.filter(name="video.rendered", subject_id=str(video.pk)).count() == 1
    video.refresh_from_db()
    assert video.status == VideoStatus.READY and video.progress == 100
    info = probe(video.file.path)
    assert abs(info.duration - 1.0) <= 0.1 and info.checksum == video.checksum


@pytest.mark.django_db
def test_a_stuck_render_is_queued_again_then_fails_after_three_attempts(
    video, owner, django_capture_on_commit_callbacks
):
    job = _queued_job(video, owner)
    jobs.render_job_claim(job_id=str(job.pk))
    old = timezone.now() - timedelta(hours=2)
    RenderJob.objects.filter(pk=job.pk).update(heartbeat_at=old)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.requeue_stuck_jobs(older_than=timedelta(minutes=30)) == 1
    assert len(callbacks) == 1  # the task is sent again
    job.refresh_from_db()
    assert (job.status, job.worker) == ("queued", "")
    assert Video.objects.get(pk=video.pk).status == VideoStatus.QUEUED

    # A job that keeps dying is given up after three attempts, with a reason.
    RenderJob.objects.filter(pk=job.pk).update(
        status=RenderJobStatus.RUNNING, attempts=3, heartbeat_at=old
    )
    assert services.requeue_stuck_jobs(older_than=timedelta(minutes=30)) == 0
    video.refresh_from_db()
    assert (video.status, video.error_code) == ("failed", "attempts")


@pytest.mark.django_db
def test_a_result_from_a_worker_that_lost_its_job_is_dropped(video, owner):
    job = _queued_job(video, owner)
    claimed = jobs.render_job_claim(job_id=str(job.pk))
    # Re-queued and taken again, by a worker with the same name (the same process even).
    RenderJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=2))
    services.requeue_stuck_jobs(older_than=timedelta(minutes=30))
    assert jobs.render_job_claim(job_id=str(job.pk)) is not None
    finished = jobs.render_job_finish(
        job=claimed,
        info=None,
        file_key="workspaces/x.mp4",
        thumb_key="",
        kit=None,
        seconds=1.0,
    )
    assert finished is False
    assert RenderJob.objects.get(pk=job.pk).status == "running"
    assert Video.objects.get(pk=video.pk).file.name == ""


@pytest.mark.django_db
def test_the_default_brand_kit_is_applied_to_every_new_render(
    video, owner, workspace, django_capture_on_commit_callbacks
):
    kit = services.brand_kit_create(
        workspace=workspace,
        actor=owner,
        name="Acme",
        logo=upload("logo.png", png_bytes((64, 64), (255, 255, 255, 255)), "image/png"),
        position="top-left",
        opacity=100,
        scale=0.3,
        margin=0,
        is_default=True,
    )
    assert BrandKit.objects.get(pk=kit.pk).is_default
    with django_capture_on_commit_callbacks(execute=True):
        services.video_render(video=video, actor=owner)
    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    assert video.brand_kit_id == kit.pk
