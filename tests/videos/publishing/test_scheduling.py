"""Scheduling: validation, each platform's limits, time zones, cancel and reschedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from analytics.models import Event
from integrations.models import AccountStatus
from videos.models import PublishSchedule
from videos.publishing import services

from .conftest import schedule_for, tomorrow

# -- scheduling ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_schedule_has_one_post_per_platform(ready, owner, account):
    schedule = schedule_for(ready, owner, account)
    [post] = schedule.posts.all()
    assert (post.platform, post.status, post.caption) == ("x", "scheduled", "Launch day!")
    assert post.next_attempt_at == schedule.publish_at and schedule.version == ready.current_version
    assert schedule.status == "scheduled"
    assert Event.objects.filter(name="video.scheduled").count() == 1


@pytest.mark.django_db
def test_validation_refuses_and_changes_nothing(ready, owner, account, viewer, workspace):
    bad = [
        dict(publish_at=timezone.now() - dt.timedelta(minutes=1)),  # the past
        dict(publish_at=dt.datetime(2030, 1, 1, 9, 0)),  # no time zone
        dict(platforms=[]),
        dict(platforms=[{"platform": "youtube", "account": account.pk}]),  # wrong platform
        dict(platforms=[{"platform": "x", "account": 999_999}]),
        dict(platforms=[{"platform": "x", "account": account.pk, "caption": "x" * 281}]),
    ]
    for overrides in bad:
        kwargs = {
            "platforms": [{"platform": "x", "account": account.pk}],
            "publish_at": tomorrow(),
        }
        kwargs.update(overrides)
        with pytest.raises(ValidationError):
            services.schedule_create(video=ready, actor=owner, **kwargs)
    account.status = AccountStatus.RECONNECT
    account.save()
    with pytest.raises(ValidationError, match="needs reconnecting"):
        schedule_for(ready, owner, account)
    assert not PublishSchedule.objects.exists()


@pytest.mark.django_db
def test_each_platforms_limits_are_checked_before_trying(ready, owner, account):
    version = ready.current_version
    version.duration = 200.0  # X takes at most 140 s
    version.save()
    with pytest.raises(ValidationError) as error:
        schedule_for(ready, owner, account)
    assert "at most 140" in " ".join(error.value.messages)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("local", "zone", "utc"),
    [
        # New York springs forward on 2027-03-14 at 02:00 (EST −5 → EDT −4).
        (dt.datetime(2027, 3, 13, 9, 0), "America/New_York", dt.datetime(2027, 3, 13, 14, 0)),
        (dt.datetime(2027, 3, 14, 9, 0), "America/New_York", dt.datetime(2027, 3, 14, 13, 0)),
        # Berlin falls back on 2027-10-31 at 03:00: 02:30 happens twice, the first is taken.
        (dt.datetime(2027, 10, 31, 2, 30), "Europe/Berlin", dt.datetime(2027, 10, 31, 0, 30)),
        (dt.datetime(2027, 10, 31, 9, 0), "Europe/Berlin", dt.datetime(2027, 10, 31, 8, 0)),
        (dt.datetime(2027, 7, 1, 9, 0), "Asia/Tokyo", dt.datetime(2027, 7, 1, 0, 0)),
    ],
)
def test_local_times_convert_across_daylight_saving(local, zone, utc):
    assert services.local_to_utc(local, zone) == utc.replace(tzinfo=dt.UTC)


def test_a_skipped_local_time_is_refused():
    with pytest.raises(ValidationError, match="does not exist"):
        services.local_to_utc(dt.datetime(2027, 3, 14, 2, 30), "America/New_York")


@pytest.mark.django_db
def test_cancel_and_reschedule_only_before_publishing(ready, owner, account):
    schedule = schedule_for(ready, owner, account)
    later = tomorrow() + dt.timedelta(days=2)
    services.schedule_reschedule(schedule=schedule, actor=owner, publish_at=later)
    assert schedule.posts.get().next_attempt_at == later
    services.schedule_cancel(schedule=schedule, actor=owner)
    schedule.refresh_from_db()
    assert schedule.status == "cancelled" and schedule.posts.get().status == "cancelled"
    with pytest.raises(ValidationError):
        services.schedule_reschedule(schedule=schedule, actor=owner, publish_at=later)
    assert not mail.outbox  # nothing went out: no report


@pytest.mark.django_db
@pytest.mark.parametrize(
    "publish_at",
    [
        dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
        timezone.now() + services.SCHEDULE_HORIZON + dt.timedelta(days=1),
    ],
)
def test_a_time_beyond_the_horizon_is_refused(ready, owner, account, publish_at):
    with pytest.raises(ValidationError) as refused:
        schedule_for(ready, owner, account, publish_at=publish_at)
    assert refused.value.message_dict["publish_at"] == ["Pick a time within a year from now."]
    assert not PublishSchedule.objects.exists()
    schedule = schedule_for(ready, owner, account)
    with pytest.raises(ValidationError):
        services.schedule_reschedule(schedule=schedule, actor=owner, publish_at=publish_at)
    schedule.refresh_from_db()
    assert schedule.publish_at < publish_at
