"""Render jobs with real workers: two processes forked by one Celery worker on one host, and a
job taken from the first (it went quiet) and handed to the second. Only the second's result
may count; the first one's late result is dropped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from analytics.models import Event
from tests.celery_workers import (
    send,
    start_worker,
    tasks_sent_to,
    wait_for,
)
from videos import services
from videos.models import RenderJob, RenderJobStatus, Video, VideoStatus

pytestmark = pytest.mark.integration


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_late_result_from_another_process_on_the_same_host_is_dropped(
    postgres_only, queue, make_template, workspace, owner, settings, tmp_path
):
    redis_url, name = queue
    # Long enough that the first process is still rendering when the job is taken from it,
    # and the second one still rendering when the first comes back, on a fast idle machine.
    template = make_template(max_duration=60)
    video = services.video_create(
        workspace=workspace, template=template, title="Teaser", actor=owner, duration=30
    )
    job = RenderJob.objects.create(video=video, kind="render", requested_by=owner)
    worker = start_worker(
        redis_url=redis_url,
        queue=name,
        log_dir=tmp_path,
        env={"MEDIA_ROOT": str(settings.MEDIA_ROOT)},
        processes=2,
    )
    try:
        send(redis_url, name, "videos.run_render_job", str(job.pk))
        wait_for(
            lambda: Video.objects.filter(pk=video.pk, progress__gte=30).exists(),
            [worker],
            "the first process to be a third into the render",
            timeout=180,
        )
        # The first process is taken for dead (as if it had stopped reporting) and the job goes
        # to the other, idle process; the first one keeps rendering.
        with tasks_sent_to(redis_url, name), transaction.atomic():
            RenderJob.objects.filter(pk=job.pk).update(
                heartbeat_at=timezone.now() - timedelta(hours=1)
            )
            requeued = services.requeue_stuck_jobs(older_than=timedelta(minutes=30))
        assert requeued == 1, (
            f"job {RenderJob.objects.values('status', 'attempts').get(pk=job.pk)}\n"
            + worker.describe()
        )
        wait_for(
            lambda: RenderJob.objects.filter(
                pk=job.pk, status=RenderJobStatus.RUNNING, attempts=2
            ).exists(),
            [worker],
            "the second process to claim the job",
        )
        wait_for(
            lambda: "succeeded in" in worker.output(),
            [worker],
            "the first process to come back with its result",
            timeout=180,
        )
        late = RenderJob.objects.get(pk=job.pk)
        assert (late.status, late.attempts) == (RenderJobStatus.RUNNING, 2), (
            "the first process's late result was taken for the second claim's\n" + worker.describe()
        )
        wait_for(
            lambda: RenderJob.objects.filter(pk=job.pk, status=RenderJobStatus.DONE).exists(),
            [worker],
            "the second process to finish the render",
            timeout=180,
        )
    finally:
        worker.stop()
    video.refresh_from_db()
    assert video.status == VideoStatus.READY and video.versions.count() == 1
    assert Event.objects.filter(name="video.rendered", subject_id=str(video.pk)).count() == 1
