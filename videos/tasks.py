"""Thin tasks over videos.services; each is safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="videos.run_render_job", ignore_result=True, acks_late=True)
def run_render_job(job_id: str) -> None:
    # A second delivery finds the job already claimed (or done) and does nothing.
    services.render_job_run(job_id=job_id)


@shared_task(name="videos.requeue_stuck_renders", ignore_result=True)
def requeue_stuck_renders() -> int:
    """Renders and exports whose worker died are queued again (the schedule runs it often),
    and a finished export's e-mail that never went out is sent (once: see emailed_at)."""
    from .services.exports import exports_pending_emails, exports_requeue_stuck

    for export_id in exports_pending_emails():
        send_export_ready_email.delay(export_id)
    return services.requeue_stuck_jobs() + exports_requeue_stuck()


@shared_task(name="videos.run_export", ignore_result=True, acks_late=True)
def run_export(export_id: str) -> None:
    # A second delivery finds the export already claimed (or finished) and does nothing.
    services.export_run(export_id=export_id)


@shared_task(name="videos.send_export_ready_email", ignore_result=True)
def send_export_ready_email(export_id: str) -> None:
    services.export_send_ready_email(export_id=export_id)


@shared_task(name="videos.expire_exports", ignore_result=True)
def expire_exports() -> int:
    return services.exports_expire()


@shared_task(name="videos.apply_version_retention", ignore_result=True)
def apply_version_retention() -> int:
    # Deleting what is already gone deletes nothing: safe to run twice.
    return services.retention_apply()


@shared_task(name="videos.dispatch_due_posts", ignore_result=True)
def dispatch_due_posts() -> int:
    """Every minute: give stuck posts back to the queue, then claim what is due."""
    from django.conf import settings

    from .publishing import dispatcher

    dispatcher.recover_stuck_posts()
    size = settings.PUBLISH_DISPATCH_BATCH
    claimed = 0
    while batch := dispatcher.claim_due_posts(limit=size):
        claimed += len(batch)
        if len(batch) < size:
            break
    return claimed


@shared_task(name="videos.publish_post", ignore_result=True, acks_late=True)
def publish_post(post_id: int, lease: str) -> None:
    # Only the holder of the post's current lease works on it; a redelivery of a finished
    # post finds no match and does nothing.
    from .publishing import dispatcher

    dispatcher.publish_post(post_id=post_id, lease=lease)


@shared_task(name="videos.send_schedule_report", ignore_result=True)
def send_schedule_report(schedule_id: int) -> None:
    from .publishing.services import schedule_send_report

    schedule_send_report(schedule_id=schedule_id)
