"""Thin tasks: the status e-mails of one status change, each sent once (safe to run twice)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from accounts.emails import queue_unsent, send_once

from . import selectors
from .emails import send_status_changed


@shared_task(name="feedback.send_status_emails", ignore_result=True, acks_late=True)
def send_status_emails(change_id: int) -> int:
    """Send the e-mails of a status change's send log (written with the change), each once;
    a second run finds them sent and sends nothing."""
    sent = 0
    for pk in selectors.status_emails_unsent(change_id=change_id):
        sent += send_status_email(pk)
    return sent


@shared_task(name="feedback.send_status_email", ignore_result=True, acks_late=True)
def send_status_email(row_id: int) -> bool:
    return send_once(
        selectors.status_emails_to_send(),
        row_id,
        lambda row: send_status_changed(row=row),
    )


@shared_task(name="feedback.send_unsent_status_emails", ignore_result=True)
def send_unsent_status_emails() -> int:
    """The sweep: rows whose e-mail was lost with its task (a broker or worker outage)."""
    return queue_unsent(
        selectors.status_emails_to_send(), send_status_email, older_than=timedelta(minutes=10)
    )
