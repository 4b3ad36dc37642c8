"""Scheduling through the pages and the API; the report's language; query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import client_in
from videos.models import PublishAttempt, PublishSchedule
from videos.publishing import dispatcher

from .conftest import claim_one, schedule_for, summer_day_in_new_york, tomorrow, x_protocol

# -- pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scheduling_through_the_page_in_the_users_time_zone(ready, owner, account, workspace):
    owner.profile.time_zone = "America/New_York"
    owner.profile.save()
    client = client_in(owner, workspace)
    url = reverse("videos:schedule_new", args=[ready.pk])
    page = client.get(url)
    assert "New York (UTC-0" in page.content.decode()  # the zone by city and offset
    day = summer_day_in_new_york()
    form = {"date": day.isoformat(), "time": "09:30", "when": "later", "account": [account.pk]}
    response = client.post(url, {**form, f"caption_{account.pk}": "Hi"})
    schedule = PublishSchedule.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/schedules/{schedule.pk}/"
    )
    assert schedule.publish_at == dt.datetime.combine(day, dt.time(13, 30), tzinfo=dt.UTC)  # EDT
    detail = client.get(response["Location"]).content.decode()
    assert "Scheduled" in detail and "Acme" in detail
    refused = client.post(
        url, {"date": "yesterday", "time": "", "when": "later", "account": [account.pk]}
    )
    assert refused.status_code == 400 and PublishSchedule.objects.count() == 1
    for view in ("month", "week", "list"):
        assert client.get(reverse("videos:schedule"), {"view": view}).status_code == 200
    month = client.get(reverse("videos:schedule"), {"view": "month", "month": f"{day:%Y-%m}"})
    assert f"/schedules/{schedule.pk}/posts/" in month.content.decode()


# -- API --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_schedules_api(ready, owner, account, viewer, outsider, workspace):
    from tests.videos.conftest import api_for

    day = summer_day_in_new_york()
    payload = {
        "video": ready.pk,
        "publish_at": f"{day}T09:30:00-04:00",
        "time_zone": "America/New_York",
        "platforms": [{"platform": "x", "account": account.pk, "caption": "Hello"}],
    }
    created = api_for(owner).post(reverse("api:schedule-list"), payload, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["publish_at"].startswith(f"{day}T13:30:00")
    assert [(p["platform"], p["status"]) for p in body["posts"]] == [("x", "scheduled")]
    detail_url = reverse("api:schedule-detail", args=[body["id"]])
    assert api_for(viewer).get(detail_url).json()["status"] == "scheduled"
    assert api_for(outsider).get(detail_url).status_code == 404
    listed = api_for(owner).get(reverse("api:schedule-list"), {"workspace": workspace.pk})
    assert [s["id"] for s in listed.json()["results"]] == [body["id"]]
    assert (
        api_for(outsider).get(reverse("api:schedule-list"), {"workspace": workspace.pk}).status_code
        == 404
    )
    assert (
        api_for(viewer).post(reverse("api:schedule-list"), payload, format="json").status_code
        == 403
    )
    past = {**payload, "publish_at": "2020-01-01T00:00:00Z"}
    refused = api_for(owner).post(reverse("api:schedule-list"), past, format="json")
    assert refused.status_code == 400 and "publish_at" in refused.json()["error"]["fields"]
    cancel_url = reverse("api:schedule-cancel", args=[body["id"]])
    assert api_for(viewer).post(cancel_url).status_code == 403
    cancelled = api_for(owner).post(cancel_url)
    assert cancelled.json()["status"] == "cancelled"
    assert api_for(owner).post(cancel_url).status_code == 400
    assert PublishSchedule.objects.count() == 1


@pytest.mark.django_db
def test_the_report_is_in_the_requesters_language(
    x_server, ready, owner, account, django_capture_on_commit_callbacks
):
    from django.utils import translation

    owner.profile.language = "de"
    owner.profile.save()
    x_protocol(x_server)
    post_id, lease = claim_one(schedule_for(ready, owner, account))
    with django_capture_on_commit_callbacks(execute=True):
        dispatcher.publish_post(post_id=post_id, lease=lease)
    [report] = mail.outbox
    with translation.override("de"):
        hello = translation.gettext("Hello,")
    assert hello != "Hello," and report.body.startswith(hello)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_calendar_and_list_query_counts_are_fixed(
    ready, owner, account, workspace, count, django_assert_max_num_queries
):
    for n in range(count):
        schedule_for(ready, owner, account, publish_at=tomorrow() + dt.timedelta(hours=n))
    client = client_in(owner, workspace)
    month = tomorrow().strftime("%Y-%m")
    for params in ({"view": "month", "month": month}, {"view": "week"}, {"view": "list"}):
        # session, user, profile, memberships, the rows (and for the list: count, posts),
        # the bell's unread count
        with django_assert_max_num_queries(8):
            response = client.get(reverse("videos:schedule"), params)
        assert response.status_code == 200, params


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_the_post_page_query_count_is_fixed(
    ready, owner, account, workspace, count, django_assert_max_num_queries
):
    schedule = schedule_for(ready, owner, account)
    post = schedule.posts.get()
    PublishAttempt.objects.bulk_create(
        PublishAttempt(post=post, number=n + 1, outcome="retry", requests=["POST /x → 500"])
        for n in range(count)
    )
    client = client_in(owner, workspace)
    url = reverse("videos:post_detail", args=[schedule.pk, post.pk])
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("POST /x → 500") == count


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"view": "month", "month": "9999-12"},
        {"view": "month", "month": "0001-01"},
        {"view": "week", "week": "9999-12-31"},
        {"view": "week", "week": "0001-01-01"},
    ],
)
def test_calendar_parameters_at_the_ends_of_time_show_the_nearest_page(owner, workspace, query):
    owner.profile.time_zone = "Asia/Tokyo"  # east of UTC, where year 9999 overflows first
    owner.profile.save()
    response = client_in(owner, workspace).get(reverse("videos:schedule"), query)
    assert response.status_code == 200
