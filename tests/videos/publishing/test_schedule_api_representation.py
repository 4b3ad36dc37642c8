"""The schedules API writes its dicts by hand for speed; DRF's field-by-field walk over the
declared fields (what OpenAPI documents) must give the same keys, values and formats."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework import serializers

from videos.api.schedules import PostSerializer, ScheduleSerializer
from videos.models import PlatformPost
from videos.publishing import services
from videos.publishing.models import PostStatus, PublishSchedule

from ..conftest import api_for


def _generic(serializer: serializers.ModelSerializer, instance) -> dict:
    return dict(serializers.ModelSerializer.to_representation(serializer, instance))


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo"])
def test_a_schedule_and_its_posts_read_the_same_as_the_declared_fields(
    ready, owner, account, zone, settings
):
    settings.TIME_ZONE = zone
    publish_at = timezone.now() + dt.timedelta(days=3)
    schedule = services.schedule_create(
        video=ready,
        actor=owner,
        platforms=[
            {"platform": "x", "account": account.pk, "title": "Launch", "caption": "Ünïcode ✓"},
            {"platform": "youtube", "account": None, "manual": True},
        ],
        publish_at=publish_at,
        time_zone="America/New_York",
    )
    failed = schedule.posts.get(platform="x")
    failed.status = PostStatus.FAILED
    failed.attempts = 3
    failed.last_error = "rate_limited"
    failed.remote_url = "https://x.com/acme/status/1"
    failed.published_at = timezone.now()
    failed.save()

    read = PublishSchedule.objects.select_related("version").prefetch_related("posts")
    for current in read.filter(pk=schedule.pk):
        hand_written = ScheduleSerializer().to_representation(current)
        assert hand_written == _generic(ScheduleSerializer(), current)
        assert list(hand_written) == ScheduleSerializer.Meta.fields
        assert [post["platform"] for post in hand_written["posts"]] == ["x", "youtube"]
    for post in PlatformPost.objects.filter(schedule=schedule):
        hand_written = PostSerializer().to_representation(post)
        assert hand_written == _generic(PostSerializer(), post)
        assert list(hand_written) == PostSerializer.Meta.fields


@pytest.mark.django_db
def test_a_schedule_without_a_version_reads_null(ready, owner, account):
    schedule = services.schedule_create(
        video=ready,
        actor=owner,
        platforms=[{"platform": "x", "account": account.pk}],
        publish_at=timezone.now() + dt.timedelta(days=1),
    )
    PublishSchedule.objects.filter(pk=schedule.pk).update(version=None)
    current = PublishSchedule.objects.select_related("version").get(pk=schedule.pk)
    assert ScheduleSerializer().to_representation(current)["version"] is None
    assert _generic(ScheduleSerializer(), current)["version"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 12])
def test_the_schedules_api_list_costs_the_same_queries_for_1_and_12_schedules(
    ready, owner, account, workspace, count, django_assert_max_num_queries
):
    for n in range(count):
        services.schedule_create(
            video=ready,
            actor=owner,
            platforms=[
                {"platform": "x", "account": account.pk},
                {"platform": "youtube", "manual": True},
            ],
            publish_at=timezone.now() + dt.timedelta(days=1, minutes=n),
        )
    api = api_for(owner)
    # The workspace and role; the count; the page with its versions; the page's posts.
    with django_assert_max_num_queries(4):
        response = api.get(f"/api/v1/schedules/?workspace={workspace.pk}")
    assert response.status_code == 200
    assert response.json()["count"] == count
    assert all(len(schedule["posts"]) == 2 for schedule in response.json()["results"])
