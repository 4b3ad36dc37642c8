"""Dunning e-mails go out once, and one whose message was lost is sent by the sweep."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from billing import tasks
from billing.models import DunningNotice, Invoice, Plan, Subscription, SubscriptionStatus
from billing.services import subscription_for
from teams.models import Membership, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(workspace) -> DunningNotice:
    subscription = subscription_for(workspace)
    # A "payment failed" notice is written when a renewal fails, which makes it past due.
    Subscription.objects.filter(pk=subscription.pk).update(status=SubscriptionStatus.PAST_DUE)
    now = timezone.now()
    invoice = Invoice.objects.create(
        number="INV-TEST-1",
        workspace=workspace,
        subscription=subscription,
        plan=Plan.objects.get(key="pro-monthly"),
        reason="renewal",
        currency="USD",
        subtotal=1200,
        total=1200,
        status="open",
        period_start=now,
        period_end=now + timedelta(days=30),
    )
    return DunningNotice.objects.create(
        subscription=subscription, invoice=invoice, kind=DunningNotice.Kind.PAYMENT_FAILED
    )


def _age(notice: DunningNotice, minutes: int) -> None:
    DunningNotice.objects.filter(pk=notice.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_a_redelivered_task_sends_one_email(notice, owner):
    tasks.send_dunning_notice(notice.pk)
    tasks.send_dunning_notice(notice.pk)
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_the_sweep_sends_a_lost_notice_once(notice, owner):
    _age(notice, 6)
    assert tasks.send_unsent_dunning_notices() == 1
    assert tasks.send_unsent_dunning_notices() == 0
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_the_sweep_leaves_a_notice_whose_message_may_still_come(notice):
    _age(notice, 4)
    assert tasks.send_unsent_dunning_notices() == 0
    assert mail.outbox == []


def test_the_sweep_leaves_notices_older_than_a_day(notice):
    _age(notice, 25 * 60)
    assert tasks.send_unsent_dunning_notices() == 0
    assert mail.outbox == []


def test_the_sweep_drops_a_payment_failed_notice_once_the_subscription_recovered(notice):
    _age(notice, 6)
    Subscription.objects.filter(pk=notice.subscription_id).update(status=SubscriptionStatus.ACTIVE)
    assert tasks.send_unsent_dunning_notices() == 0
    assert mail.outbox == []


def test_a_notice_refused_for_one_owner_is_not_sent_again_to_the_other(notice, owner, smtp):
    second = UserFactory(email="second-owner@example.com")
    Membership.objects.create(team=notice.subscription.workspace, user=second, role=Role.OWNER)
    smtp.refuse.add("second-owner@example.com")
    tasks.send_dunning_notice(notice.pk)
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    _age(notice, 6)
    assert tasks.send_unsent_dunning_notices() == 0
    tasks.send_dunning_notice(notice.pk)
    assert smtp.recipients() == [owner.email]


def test_a_notice_refused_for_every_owner_stays_unsent_for_the_sweep(notice, owner, smtp):
    smtp.refuse.add(owner.email)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        tasks.send_dunning_notice(notice.pk)
    notice.refresh_from_db()
    assert notice.emailed_at is None
    smtp.refuse.clear()
    _age(notice, 6)
    assert tasks.send_unsent_dunning_notices() == 1
    assert smtp.recipients() == [owner.email]
