"""Receipts and cancellation e-mails: once per payment or cancellation, in each owner's language
and time zone; and invoice lines written in the reader's language when shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from billing import services, tasks
from billing.models import BillingNotice, Invoice, Plan, Subscription
from teams.models import Membership, Role
from tests.billing.conftest import (
    checkout_completed,
    deliver,
    renewal_invoice,
    start_checkout,
    stripe_event,
    subscribe,
)
from tests.conftest import client_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# 20:00 UTC on 5 December 2026: already the 6th in Tokyo, still the 5th in New York and Berlin.
PAID_AT = dt.datetime(2026, 12, 5, 20, 0, tzinfo=dt.UTC)


def _speaks(user, language: str, zone: str) -> None:
    user.profile.language = language
    user.profile.time_zone = zone
    user.profile.save()


def _subscribe_in_sandbox(workspace, owner, currency: str, capture) -> Subscription:
    plan = Plan.objects.get(key="pro-monthly")
    session = services.checkout_start(
        workspace=workspace, plan=plan, currency=currency, actor=owner
    )
    with capture(execute=True):
        return services.checkout_complete(
            session=session, provider_payment_id="sbx_receipt", now=PAID_AT
        )


def _in(language: str, msgid: str, **values) -> str:
    with translation.override(language):
        return gettext(msgid) % values


# -- receipts ---------------------------------------------------------------------------------


def test_a_japanese_owner_gets_a_japanese_receipt_in_tokyo_time(
    owner, workspace, django_capture_on_commit_callbacks
):
    _speaks(owner, "ja", "Asia/Tokyo")

    _subscribe_in_sandbox(workspace, owner, "JPY", django_capture_on_commit_callbacks)

    invoice = Invoice.objects.get(workspace=workspace)
    [receipt] = mail.outbox
    assert receipt.to == [owner.email]
    expected = _in(
        "ja", "Receipt %(number)s for %(name)s", number=invoice.number, name=workspace.name
    )
    assert receipt.subject == expected
    body = receipt.body
    assert "Olivia Owner さん、こんにちは。" in body
    assert "￥1,800" in body  # the invoice's currency, formatted for Japanese
    assert "Pro(月額)（2026年12月6日～2027年1月6日）" in body  # the line, in Tokyo's dates
    assert "2026年12月6日5:00 (Asia/Tokyo, UTC+09:00)" in body  # when it was paid, labelled
    assert f"/billing/invoices/{invoice.pk}/" in body
    assert "Hello" not in body


def test_each_owner_gets_the_receipt_in_their_own_language(
    owner, workspace, django_capture_on_commit_callbacks
):
    _speaks(owner, "ja", "Asia/Tokyo")
    second = UserFactory(email="zweite@example.com", name="Zora Zweite")
    Membership.objects.create(team=workspace, user=second, role=Role.OWNER)
    _speaks(second, "de", "Europe/Berlin")

    _subscribe_in_sandbox(workspace, owner, "EUR", django_capture_on_commit_callbacks)

    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert set(by_address) == {owner.email, second.email}
    assert "さん、こんにちは。" in by_address[owner.email]
    assert "Hallo Zora Zweite," in by_address[second.email]
    assert "11,00\u00a0€" in by_address[second.email]
    assert "Pro (monatlich), 5. Dezember 2026 – 5. Januar 2027" in by_address[second.email]
    assert "5. Dezember 2026 21:00 (Europe/Berlin, UTC+01:00)" in by_address[second.email]


def test_a_retried_task_sends_the_receipt_once(owner, workspace):
    session = services.checkout_start(
        workspace=workspace, plan=Plan.objects.get(key="pro-monthly"), currency="USD", actor=owner
    )
    services.checkout_complete(session=session, provider_payment_id="sbx_once")  # not committed
    notice = BillingNotice.objects.get(kind=BillingNotice.Kind.RECEIPT)

    tasks.send_billing_notice(notice.pk)
    tasks.send_billing_notice(notice.pk)

    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_a_sandbox_renewal_sends_its_receipt(owner, workspace, django_capture_on_commit_callbacks):
    subscription = _subscribe_in_sandbox(
        workspace, owner, "USD", django_capture_on_commit_callbacks
    )
    Subscription.objects.filter(pk=subscription.pk).update(
        current_period_end=timezone.now() - dt.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.renew_due_subscriptions()
        tasks.renew_due_subscriptions()  # running twice charges and tells once

    renewal = Invoice.objects.get(workspace=workspace, reason="renewal")
    assert [renewal.number in m.subject for m in mail.outbox] == [False, True]


@pytest.mark.usefixtures("stripe_api")
def test_a_stripe_checkout_delivered_twice_sends_one_receipt(
    stripe_api, run_on_commit, workspace, owner
):
    session = start_checkout(stripe_api, workspace, owner)
    event = checkout_completed(session)

    deliver(run_on_commit, event)
    deliver(run_on_commit, event)  # the same event again
    deliver(run_on_commit, checkout_completed(session))  # the same news under a new event id

    invoice = Invoice.objects.get(workspace=workspace)
    assert [m.subject for m in mail.outbox] == [
        _in("en", "Receipt %(number)s for %(name)s", number=invoice.number, name=workspace.name)
    ]


@pytest.mark.usefixtures("stripe_api")
def test_a_stripe_renewal_paid_twice_sends_one_receipt(stripe_api, run_on_commit, workspace, owner):
    subscribe(stripe_api, run_on_commit, workspace, owner)
    paid = renewal_invoice("invoice.paid", "in_2")

    deliver(run_on_commit, paid)
    deliver(run_on_commit, paid)
    deliver(run_on_commit, renewal_invoice("invoice.paid", "in_2"))  # a new event id

    renewal = Invoice.objects.get(workspace=workspace, reason="renewal")
    assert len(mail.outbox) == 2  # the checkout's receipt and the renewal's
    assert renewal.number in mail.outbox[1].subject
    assert "$12.00" in mail.outbox[1].body


def test_a_lost_receipt_is_sent_once_by_the_sweep(owner, workspace):
    session = services.checkout_start(
        workspace=workspace, plan=Plan.objects.get(key="pro-monthly"), currency="USD", actor=owner
    )
    services.checkout_complete(session=session, provider_payment_id="sbx_lost")  # never queued
    BillingNotice.objects.update(created_at=timezone.now() - dt.timedelta(minutes=6))

    assert tasks.send_unsent_billing_notices() == 1
    assert tasks.send_unsent_billing_notices() == 0
    assert [m.to for m in mail.outbox] == [[owner.email]]


# -- cancellation -----------------------------------------------------------------------------


def test_a_cancellation_is_confirmed_with_the_moment_pro_ends(
    owner, workspace, django_capture_on_commit_callbacks
):
    _subscribe_in_sandbox(workspace, owner, "EUR", django_capture_on_commit_callbacks)
    _speaks(owner, "de", "America/New_York")
    mail.outbox.clear()
    client = client_in(owner, workspace)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("billing:cancel"))
        client.post(reverse("billing:cancel"))  # already cancelled: nothing new

    [confirmation] = mail.outbox
    assert confirmation.subject == _in(
        "de", "Cancellation confirmed for %(name)s", name=workspace.name
    )
    # The period ends at 20:00 UTC on 5 January 2027: 15:00 in New York (EST).
    assert "5. Januar 2027 15:00 (America/New_York, UTC-05:00)" in confirmation.body
    assert "Hallo Olivia Owner," in confirmation.body
    assert "/billing/" in confirmation.body


def test_cancelling_again_after_resuming_confirms_again(
    owner, workspace, django_capture_on_commit_callbacks
):
    _subscribe_in_sandbox(workspace, owner, "USD", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client = client_in(owner, workspace)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("billing:cancel"))
        client.post(reverse("billing:resume"))
        client.post(reverse("billing:cancel"))
    assert len(mail.outbox) == 2


def test_the_end_of_a_cancelled_plan_is_announced(
    owner, workspace, django_capture_on_commit_callbacks
):
    subscription = _subscribe_in_sandbox(
        workspace, owner, "EUR", django_capture_on_commit_callbacks
    )
    _speaks(owner, "fr", "Europe/Paris")
    services.subscription_cancel(subscription=subscription, actor=owner)
    mail.outbox.clear()
    Subscription.objects.filter(pk=subscription.pk).update(
        current_period_end=timezone.now() - dt.timedelta(minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        tasks.renew_due_subscriptions()
        tasks.renew_due_subscriptions()

    [ended] = mail.outbox
    assert ended.subject == _in("fr", "%(name)s is now on the Free plan", name=workspace.name)
    assert "(Europe/Paris, UTC+01:00)" in ended.body or "(Europe/Paris, UTC+02:00)" in ended.body


@pytest.mark.usefixtures("stripe_api")
def test_a_cancellation_at_stripe_delivered_twice_is_confirmed_once(
    stripe_api, run_on_commit, workspace, owner
):
    subscribe(stripe_api, run_on_commit, workspace, owner)
    mail.outbox.clear()
    updated = stripe_event(
        "customer.subscription.updated",
        {"id": "sub_1", "object": "subscription", "cancel_at_period_end": True},
    )
    deliver(run_on_commit, updated)
    deliver(run_on_commit, updated)
    assert [m.subject for m in mail.outbox] == [
        _in("en", "Cancellation confirmed for %(name)s", name=workspace.name)
    ]

    deleted = stripe_event("customer.subscription.deleted", {"id": "sub_1"})
    deliver(run_on_commit, deleted)
    deliver(run_on_commit, deleted)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == _in(
        "en", "%(name)s is now on the Free plan", name=workspace.name
    )


def test_a_confirmation_lost_before_the_plan_was_resumed_is_not_sent(owner, workspace):
    session = services.checkout_start(
        workspace=workspace, plan=Plan.objects.get(key="pro-monthly"), currency="USD", actor=owner
    )
    subscription = services.checkout_complete(session=session, provider_payment_id="sbx_resumed")
    services.subscription_cancel(subscription=subscription, actor=owner)
    services.subscription_resume(subscription=subscription, actor=owner)
    BillingNotice.objects.update(created_at=timezone.now() - dt.timedelta(minutes=6))

    assert tasks.send_unsent_billing_notices() == 1  # the receipt only
    assert mail.outbox[0].subject.startswith("Receipt")


# -- invoice lines ----------------------------------------------------------------------------


def test_invoice_lines_are_written_in_the_readers_language_and_time_zone(
    owner, workspace, django_capture_on_commit_callbacks
):
    _subscribe_in_sandbox(workspace, owner, "EUR", django_capture_on_commit_callbacks)
    invoice = Invoice.objects.get(workspace=workspace)

    _speaks(owner, "de", "Europe/Berlin")
    page = client_in(owner, workspace).get(reverse("billing:invoice", args=[invoice.pk]))
    assert "Pro (monatlich), 5. Dezember 2026 – 5. Januar 2027" in page.content.decode()

    _speaks(owner, "ja", "Asia/Tokyo")
    page = client_in(owner, workspace).get(reverse("billing:invoice", args=[invoice.pk]))
    assert "Pro(月額)（2026年12月6日～2027年1月6日）" in page.content.decode()
