"""Thin tasks over videos.services; each is safe to run twice."""

from datetime import timedelta

from celery import shared_task

from . import services


@shared_task(name="videos.run_render_job", ignore_result=True, acks_late=True)
def run_render_job(job_id: str) -> None:
    # A second delivery finds the job already claimed (or done) and does nothing.
    services.render_job_run(job_id=job_id)


@shared_task(name="videos.requeue_stuck_renders", ignore_result=True)
def requeue_stuck_renders() -> int:
    """Render jobs whose worker died are queued again (the schedule runs it often)."""
    return services.requeue_stuck_jobs()


@shared_task(name="videos.requeue_stuck_exports", ignore_result=True)
def requeue_stuck_exports() -> int:
    """Exports whose worker died are queued again."""
    from .services.exports import exports_requeue_stuck

    return exports_requeue_stuck()


@shared_task(name="videos.send_unsent_export_emails", ignore_result=True)
def send_unsent_export_emails() -> int:
    """A ready export's e-mail whose message was lost (the worker died right after finishing)
    is sent; `send_once` keeps it to one."""
    from accounts.emails import queue_unsent

    from .selectors import exports_to_email

    return queue_unsent(
        exports_to_email(),
        send_export_ready_email,
        older_than=timedelta(minutes=2),
        since="finished_at",
    )


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


@shared_task(name="videos.send_manual_post_email", ignore_result=True)
def send_manual_post_email(post_id: int) -> None:
    """The e-mail for a post due to be published by hand; `send_once` keeps it to one."""
    from .publishing.manual import manual_post_send_email

    manual_post_send_email(post_id=post_id)


@shared_task(name="videos.send_unsent_manual_post_emails", ignore_result=True)
def send_unsent_manual_post_emails() -> int:
    """Those e-mails whose message was lost (a broker or worker outage) are sent."""
    from accounts.emails import queue_unsent

    from .publishing.manual import manual_posts_to_email

    return queue_unsent(
        manual_posts_to_email(),
        send_manual_post_email,
        older_than=timedelta(minutes=5),
        since="next_attempt_at",
    )


@shared_task(name="videos.collect_post_statistics", ignore_result=True)
def collect_post_statistics() -> int:
    """Every 5 minutes: the due published posts' statistics, a batch at a time."""
    from .publishing.statistics import collect_post_statistics as collect

    size, polled = 1000, 0
    while True:
        summary = collect(limit=size)
        polled += summary.get("posts", 0)
        if summary.get("posts", 0) < size:
            return polled
