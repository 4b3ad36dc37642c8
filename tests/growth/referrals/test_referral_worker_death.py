"""A real Celery worker killed with SIGKILL in the middle of the referral sync: the next run
(on another worker) grants the rest, and nothing is granted twice (one reward per referral,
one ledger entry per kind, one `referral.reward_earned` event each).

The workers are real processes on a real Redis broker against this test's database
(tests/celery_workers.py), on SQLite or PostgreSQL as the suite runs.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter

import pytest

from accounts.models import User
from analytics.models import Event
from growth.referrals.models import LedgerKind, ReferralReward, RewardLedgerEntry, RewardStatus
from tests.celery_workers import drop_queue, reachable_redis, send, start_worker, wait_for

from .kit import referral_made, sandbox_subscribe

pytestmark = pytest.mark.integration

REFERRALS = 200


@pytest.fixture
def queue():
    """(Redis URL, a queue only this test uses); skips without Redis."""
    url = reachable_redis()
    name = f"test-referrals-{uuid.uuid4().hex}"
    yield url, name
    drop_queue(url, name)


def _paying_referees(referrer, count: int) -> None:
    for n in range(count):
        # No password: hashing 200 of them would be most of this test's time.
        referee = User.objects.create_user(email=f"referee{n}@example.org", name=f"Referee {n}")
        referral_made(referrer=referrer, referee=referee)
        sandbox_subscribe(user=referee)


def _ledger_entries_per_kind() -> Counter:
    return Counter(RewardLedgerEntry.objects.values_list("reward_id", "kind"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_sync_grants_nothing_twice(queue, settings, tmp_path):
    redis_url, name = queue
    settings.REFERRAL_YEARLY_CAP = 1000  # this test is about the grants, not the cap
    env = {"REFERRAL_YEARLY_CAP": "1000", "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    referrer = User.objects.create_user(email="rita@example.com", name="Rita Referrer")
    _paying_referees(referrer, REFERRALS)

    doomed = start_worker(redis_url=redis_url, queue=name, log_dir=tmp_path, env=env)
    try:
        send(redis_url, name, "referrals.sync_rewards")
        deadline = time.monotonic() + 90
        while ReferralReward.objects.count() < REFERRALS // 10:
            assert doomed.process.poll() is None, doomed.describe()
            assert time.monotonic() < deadline, doomed.describe()
            time.sleep(0.005)
        doomed.kill()
    finally:
        doomed.stop()
    granted_before = ReferralReward.objects.count()
    assert REFERRALS // 10 <= granted_before < REFERRALS, "the sync ended before the kill"

    rescuer = start_worker(redis_url=redis_url, queue=name, log_dir=tmp_path, env=env)
    try:
        # The beat sends the sync again (the dead worker's message waits for Redis's
        # visibility timeout); twice, as a second beat would.
        send(redis_url, name, "referrals.sync_rewards")
        send(redis_url, name, "referrals.sync_rewards")
        wait_for(
            lambda: ReferralReward.objects.count() == REFERRALS,
            [rescuer],
            f"{REFERRALS} rewards",
            timeout=90,
        )
        # The rescuer's e-mails (queued after each grant) go out once each.
        wait_for(
            lambda: (
                not ReferralReward.objects.filter(
                    emailed_at__isnull=True, pk__gt=_last_of_the_doomed(granted_before)
                ).exists()
            ),
            [rescuer],
            "the rescuer's reward e-mails",
            timeout=90,
        )
        log = rescuer.log_path.read_text(errors="replace")
    finally:
        rescuer.stop()

    rewards = list(ReferralReward.objects.values_list("referral_id", "status"))
    assert len({referral for referral, _status in rewards}) == REFERRALS
    assert {status for _referral, status in rewards} == {RewardStatus.EARNED}
    entries = _ledger_entries_per_kind()
    assert set(entries.values()) == {1}
    assert Counter(kind for _reward, kind in entries) == {LedgerKind.EARNED: REFERRALS}
    earned_events = Event.objects.filter(name="referral.reward_earned")
    assert earned_events.count() == REFERRALS
    assert len(set(earned_events.values_list("subject_id", flat=True))) == REFERRALS
    sent = Counter(
        line.split("referral-reward-")[1].strip()
        for line in log.splitlines()
        if "X-Entity-Ref-ID: referral-reward-" in line
    )
    assert set(sent.values()) == {1}
    assert len(sent) >= REFERRALS - granted_before
    print(f"\nkilled after {granted_before} of {REFERRALS} rewards; the rescuer sent {len(sent)}")


def _last_of_the_doomed(count: int) -> int:
    pks = list(ReferralReward.objects.order_by("pk").values_list("pk", flat=True)[:count])
    return pks[-1]
