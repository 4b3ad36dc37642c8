"""Batch export jobs: cancel (queued, or mid-ZIP), a missing source, a worker that died, and
the e-mail that never went out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.videos.conftest import api_for, run_export, stored_files
from videos import services
from videos.models import ExportJob, ExportStatus
from videos.services import exports, zips

pytestmark = pytest.mark.django_db


# -- cancel -------------------------------------------------------------------------------------


def test_cancel_while_queued(owner, workspace, ready_video, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        export = services.export_create(
            workspace=workspace, video_ids=[ready_video().pk], actor=owner
        )
    response = api_for(owner).post(f"/api/v1/exports/{export.pk}/cancel/")
    assert response.status_code == 202 and response.json()["status"] == "cancelled"
    export = run_export(export)  # the task finds nothing to do
    assert export.status == ExportStatus.CANCELLED and not export.file
    with pytest.raises(ValidationError):
        services.export_cancel(export=export, actor=owner)


def test_cancel_while_running_stops_at_the_next_file_and_cleans_up(
    owner, workspace, ready_video, monkeypatch, settings, django_capture_on_commit_callbacks
):
    videos = [ready_video(title=f"Clip {n}") for n in range(3)]
    with django_capture_on_commit_callbacks(execute=False):
        export = services.export_create(
            workspace=workspace, video_ids=[v.pk for v in videos], actor=owner
        )
    copied = []
    original = zips.ZipWriter.copy

    def copy_then_cancel(self, source, target):
        original(self, source, target)
        copied.append(1)
        if len(copied) == 1:  # the user presses Cancel while the first file is written
            services.export_cancel(export=export, actor=owner)

    monkeypatch.setattr(zips.ZipWriter, "copy", copy_then_cancel)
    before = stored_files(settings)
    export = run_export(export)
    assert export.status == ExportStatus.CANCELLED and not export.file
    assert len(copied) == 1  # stopped before the second file
    assert stored_files(settings) == before  # no ZIP, no temporary file left behind


def test_a_missing_source_fails_the_export(
    owner, workspace, ready_video, django_capture_on_commit_callbacks
):
    video = ready_video()
    with django_capture_on_commit_callbacks(execute=False):
        export = services.export_create(workspace=workspace, video_ids=[video.pk], actor=owner)
    default_storage.delete(video.file.name)
    export = run_export(export)
    assert export.status == ExportStatus.FAILED and export.error_code == "missing_file"


# -- a worker that died ---------------------------------------------------------------------------


def test_an_export_whose_worker_died_is_queued_again_then_finished(
    owner, workspace, ready_video, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        export = services.export_create(
            workspace=workspace, video_ids=[ready_video().pk], actor=owner
        )
    assert exports.export_claim(export_id=str(export.pk)) is not None
    assert exports.export_claim(export_id=str(export.pk)) is None  # one worker per export
    ExportJob.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert exports.exports_requeue_stuck() == 1
    export.refresh_from_db()
    assert (export.status, export.attempts) == (ExportStatus.READY, 2)
    assert export.file_count == 1


def test_an_export_cancelled_while_its_worker_was_gone_ends_cancelled(
    owner, workspace, ready_video, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        export = services.export_create(
            workspace=workspace, video_ids=[ready_video().pk], actor=owner
        )
    exports.export_claim(export_id=str(export.pk))
    services.export_cancel(export=export, actor=owner)
    ExportJob.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert exports.exports_requeue_stuck() == 0
    export.refresh_from_db()
    assert export.status == ExportStatus.CANCELLED and export.finished_at is not None


def test_a_ready_export_whose_email_never_went_out_is_sent_once_later(
    owner, workspace, ready_video, mailoutbox, django_capture_on_commit_callbacks
):
    from videos import tasks

    with django_capture_on_commit_callbacks(execute=False):
        export = services.export_create(
            workspace=workspace, video_ids=[ready_video().pk], actor=owner
        )
    claimed = exports.export_claim(export_id=str(export.pk))
    exports.export_finish(export=claimed, key="exports/x.zip", count=1, size=10)  # then it died
    ExportJob.objects.filter(pk=export.pk).update(finished_at=timezone.now() - timedelta(minutes=5))
    assert mailoutbox == []
    tasks.send_unsent_export_emails()
    tasks.send_unsent_export_emails()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [owner.email]


def test_the_sweep_leaves_out_exports_nobody_can_be_emailed_about(
    owner, workspace, ready_video, mailoutbox, django_capture_on_commit_callbacks
):
    """Their requester left, or has no address: they must not take the sweep's places."""
    from videos import tasks

    with django_capture_on_commit_callbacks(execute=False):
        export = services.export_create(
            workspace=workspace, video_ids=[ready_video().pk], actor=owner
        )
    claimed = exports.export_claim(export_id=str(export.pk))
    exports.export_finish(export=claimed, key="exports/x.zip", count=1, size=10)
    ExportJob.objects.filter(pk=export.pk).update(
        finished_at=timezone.now() - timedelta(minutes=5), requested_by=None
    )
    assert tasks.send_unsent_export_emails() == 0
    assert mailoutbox == []
