"""The lease helper, on a model that uses it (batch exports): a fresh token per claim, writes
filtered by it, stale rows requeued up to a cap, batches claimed once."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.db.models import Q
from django.utils import timezone

from videocreator import leases
from videocreator.leases import Lease, worker_name
from videos.models import ExportJob, ExportStatus

pytestmark = pytest.mark.django_db

LEASE = Lease(
    model=ExportJob,
    waiting={"status": ExportStatus.QUEUED},
    running={"status": ExportStatus.RUNNING},
    max_attempts=2,
)
LONG_AGO = timedelta(hours=1)


@pytest.fixture
def job(workspace, owner) -> ExportJob:
    return ExportJob.objects.create(workspace=workspace, requested_by=owner, video_ids=[1])


def _lose(row: ExportJob) -> ExportJob:
    """The worker holding `row` goes quiet; the row is requeued and claimed again."""
    ExportJob.objects.filter(pk=row.pk).update(heartbeat_at=timezone.now() - LONG_AGO)
    LEASE.requeue_stale(older_than=timedelta(minutes=1), fail={"status": ExportStatus.FAILED})
    return LEASE.claim(row.pk)


def test_a_claim_stores_a_fresh_token_and_this_process_name(job):
    claimed = LEASE.claim(job.pk)
    job.refresh_from_db()
    assert claimed.token is not None and job.token == claimed.token
    assert (job.status, job.attempts, job.worker) == ("running", 1, worker_name())


def test_a_held_row_cannot_be_claimed_again(job):
    assert LEASE.claim(job.pk) is not None
    assert LEASE.claim(job.pk) is None


def test_a_claim_respects_its_condition(job):
    ExportJob.objects.filter(pk=job.pk).update(cancel_requested=True)
    assert LEASE.claim(job.pk, where=Q(cancel_requested=False)) is None


def test_a_requeued_row_gets_a_new_token_when_claimed_again(job):
    first = LEASE.claim(job.pk)
    second = _lose(first)
    assert second is not None and second.token != first.token


def test_the_heartbeat_of_a_worker_that_lost_its_row_writes_nothing(job):
    first = LEASE.claim(job.pk)
    _lose(first)
    assert LEASE.heartbeat(first, progress=50) is False
    assert ExportJob.objects.get(pk=job.pk).progress == 0


def test_the_heartbeat_of_the_holder_writes_progress(job):
    claimed = LEASE.claim(job.pk)
    assert LEASE.heartbeat(claimed, progress=50) is True
    assert ExportJob.objects.get(pk=job.pk).progress == 50


def test_finishing_a_lost_row_writes_nothing(job):
    first = LEASE.claim(job.pk)
    second = _lose(first)
    assert LEASE.finish(first, status=ExportStatus.READY) is False
    assert LEASE.finish(second, status=ExportStatus.READY) is True
    job.refresh_from_db()
    assert (job.status, job.token) == (ExportStatus.READY, None)


def test_a_stale_row_fails_once_it_has_used_its_attempts(job):
    claimed = _lose(LEASE.claim(job.pk))  # attempt 2 of 2
    ExportJob.objects.filter(pk=claimed.pk).update(heartbeat_at=timezone.now() - LONG_AGO)
    requeued, failed = LEASE.requeue_stale(
        older_than=timedelta(minutes=1), fail={"status": ExportStatus.FAILED}
    )
    assert (requeued, [row.pk for row in failed]) == ([], [job.pk])
    job.refresh_from_db()
    assert (job.status, job.attempts, job.token) == (ExportStatus.FAILED, 2, None)


def test_a_row_with_a_recent_heartbeat_is_not_requeued(job):
    LEASE.claim(job.pk)
    assert LEASE.requeue_stale(older_than=timedelta(minutes=1), fail={}) == ([], [])


def test_batches_are_claimed_once_each_with_its_own_token(workspace, owner):
    ExportJob.objects.bulk_create(
        ExportJob(workspace=workspace, requested_by=owner, video_ids=[n]) for n in range(3)
    )
    first = LEASE.claim_batch(due=Q(), order_by=["created_at"], limit=2)
    second = LEASE.claim_batch(due=Q(), order_by=["created_at"], limit=2)
    assert len(first) == 2 and len(second) == 1
    tokens = {row.token for row in first + second}
    assert len(tokens) == 3 and None not in tokens
    # Each row stored the token it was handed (one UPDATE writes them all).
    stored = dict(ExportJob.objects.values_list("pk", "token"))
    assert all(stored[row.pk] == row.token for row in first + second)
    assert set(ExportJob.objects.values_list("attempts", flat=True)) == {1}


def test_the_lease_helper_imports_no_app():
    tree = ast.parse(Path(leases.__file__).read_text())
    imported = {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    apps = {"accounts", "teams", "videos", "integrations", "billing", "growth", "analytics"}
    assert imported & apps == set()
