"""send_once: an e-mail recorded by `emailed_at` goes out once, even when two workers race."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection

from accounts.emails import send_once
from teams.models import Notification


def _notification(user) -> Notification:
    return Notification.objects.create(
        recipient=user, kind="mention", key="mention:1", email_wanted=True
    )


def _send(notification: Notification) -> None:
    mail.send_mail("Mentioned", "You were mentioned.", None, [notification.recipient.email])


@pytest.mark.django_db
def test_sending_twice_sends_one_email(owner):
    notification = _notification(owner)
    rows = Notification.objects.select_related("recipient")
    assert send_once(rows, notification.pk, _send) is True
    assert send_once(rows, notification.pk, _send) is False
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


@pytest.mark.django_db
def test_a_row_outside_the_queryset_is_not_sent(owner):
    notification = _notification(owner)
    assert (
        send_once(Notification.objects.filter(email_wanted=False), notification.pk, _send) is False
    )
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_failed_send_records_nothing_so_a_later_one_sends(owner):
    notification = _notification(owner)

    def broken(_row):
        raise ConnectionError("SMTP is down")

    with pytest.raises(ConnectionError):
        send_once(Notification.objects.all(), notification.pk, broken)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert send_once(Notification.objects.select_related("recipient"), notification.pk, _send)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_racing_sends_send_one_email(owner):
    if connection.vendor != "postgresql":
        pytest.skip("Racing senders need PostgreSQL's row locks (SKIP LOCKED).")
    notification = _notification(owner)
    rows = Notification.objects.select_related("recipient")
    sending, raced = threading.Event(), threading.Event()
    results: dict[str, bool] = {}

    def slow(row):
        sending.set()
        assert raced.wait(30)  # the other sender tries while this one holds the row
        _send(row)

    def run(name, send, before=None):
        try:
            if before is not None:
                assert before.wait(30)
            results[name] = send_once(rows, notification.pk, send)
        finally:
            if name == "second":
                raced.set()
            connection.close()

    first = threading.Thread(target=run, args=("first", slow))
    second = threading.Thread(target=run, args=("second", _send, sending))
    first.start()
    second.start()
    first.join(60)
    second.join(60)
    assert results == {"first": True, "second": False}
    assert len(mail.outbox) == 1
