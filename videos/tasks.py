"""Thin tasks over videos.services; each is safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="videos.run_render_job", ignore_result=True, acks_late=True)
def run_render_job(job_id: str) -> None:
    # A second delivery finds the job already claimed (or done) and does nothing.
    services.render_job_run(job_id=job_id)


@shared_task(name="videos.requeue_stuck_renders", ignore_result=True)
def requeue_stuck_renders() -> int:
    return services.requeue_stuck_jobs()
