"""Thin tasks over accounts.privacy; each is safe to run twice."""

from datetime import timedelta

from celery import shared_task

from .emails import queue_unsent
from .privacy.deletion import account_deleted_queue_unsent, account_deleted_send_email, sessions_end
from .privacy.exports import (
    data_export_run,
    data_export_send_ready_email,
    data_exports_expire,
    data_exports_requeue_stuck,
    exports_to_email,
)


@shared_task(name="accounts.run_data_export", ignore_result=True, acks_late=True)
def run_data_export(export_id: str) -> None:
    # A second delivery finds the export already claimed (or finished) and does nothing.
    data_export_run(export_id=export_id)


@shared_task(name="accounts.requeue_stuck_data_exports", ignore_result=True)
def requeue_stuck_data_exports() -> int:
    """Data exports whose worker died are queued again."""
    return data_exports_requeue_stuck()


@shared_task(name="accounts.expire_data_exports", ignore_result=True)
def expire_data_exports() -> int:
    return data_exports_expire()


@shared_task(name="accounts.send_data_export_ready_email", ignore_result=True)
def send_data_export_ready_email(export_id: str) -> None:
    data_export_send_ready_email(export_id=export_id)


@shared_task(name="accounts.send_unsent_data_export_emails", ignore_result=True)
def send_unsent_data_export_emails() -> int:
    """A ready export's e-mail whose message was lost is sent; `send_once` keeps it to one."""
    return queue_unsent(
        exports_to_email(),
        send_data_export_ready_email,
        older_than=timedelta(minutes=2),
        since="finished_at",
    )


@shared_task(name="accounts.end_user_sessions", ignore_result=True)
def end_user_sessions(user_id: int) -> int:
    return sessions_end(user_id=user_id)


@shared_task(name="accounts.send_account_deleted_email", ignore_result=True)
def send_account_deleted_email(deletion_id: str) -> None:
    account_deleted_send_email(deletion_id=deletion_id)


@shared_task(name="accounts.send_unsent_account_deleted_emails", ignore_result=True)
def send_unsent_account_deleted_emails() -> int:
    """A deleted account's confirmation whose message was lost is sent, once."""
    return account_deleted_queue_unsent(task=send_account_deleted_email)
