"""The calendar shows a few posts a day and counts the rest, linking to the day's list."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.db.models.signals import post_init
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_in
from videos.models import PlatformPost, PublishSchedule
from videos.views.schedules import CALENDAR_FUTURE, MONTH_CAP, PER_PAGE, WEEK_CAP

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/schedule/"
POST_LINK = re.compile(r'href="/schedules/\d+/posts/\d+/"')
MORE = re.compile(r'<a class="calendar-more" href="\?view=list&amp;day=([\d-]+)">\+(\d+) more</a>')
SCHEDULE_ROW = re.compile(r'<td><a href="/schedules/\d+/">')


def a_past_month() -> dt.date:
    """The first of a month well inside the calendar's past (the same in every time zone)."""
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=40)).replace(day=1)


def at(day: dt.date, hour: int, minute: int = 0, zone: str = "UTC") -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


def posts_at(video, account, moments) -> None:
    """One schedule with one post on X at each moment (as the service leaves them)."""
    schedules = PublishSchedule.objects.bulk_create(
        PublishSchedule(workspace=video.workspace, video=video, publish_at=moment)
        for moment in moments
    )
    PlatformPost.objects.bulk_create(
        PlatformPost(schedule=s, platform="x", account=account, next_attempt_at=s.publish_at)
        for s in schedules
    )


def month_page(client, month: dt.date) -> str:
    return client.get(URL, {"view": "month", "month": f"{month:%Y-%m}"}).content.decode()


def in_zone(owner, zone: str) -> None:
    owner.profile.time_zone = zone
    owner.profile.save()


def test_the_url_is_the_schedule_page():
    assert reverse("videos:schedule") == URL


def test_a_full_day_shows_its_first_posts_and_links_to_the_rest(
    owner, workspace, draft_video, account
):
    day = a_past_month().replace(day=10)
    posts_at(draft_video, account, [at(day, hour) for hour in range(9, 16)])  # 7 posts
    page = month_page(client_in(owner, workspace), day)
    assert len(POST_LINK.findall(page)) == MONTH_CAP == 3
    assert ">09:00<" in page and ">11:00<" in page and ">12:00<" not in page
    assert MORE.findall(page) == [(day.isoformat(), "4")]


def test_the_week_shows_more_posts_a_day(owner, workspace, draft_video, account):
    day = a_past_month().replace(day=10)
    posts_at(draft_video, account, [at(day, 8, minute) for minute in range(0, 50, 5)])  # 10
    client = client_in(owner, workspace)
    page = client.get(URL, {"view": "week", "week": day.isoformat()}).content.decode()
    assert len(POST_LINK.findall(page)) == WEEK_CAP == 8
    assert MORE.findall(page) == [(day.isoformat(), "2")]


def test_the_more_link_lists_the_whole_day_and_only_that_day(
    owner, workspace, draft_video, account
):
    day = a_past_month().replace(day=10)
    posts_at(draft_video, account, [at(day, hour) for hour in range(9, 16)])
    posts_at(draft_video, account, [at(day, 23, 59) + dt.timedelta(minutes=1)])  # the 11th
    client = client_in(owner, workspace)
    [(linked, _)] = MORE.findall(month_page(client, day))
    listed = client.get(URL, {"view": "list", "day": linked}).content.decode()
    assert len(SCHEDULE_ROW.findall(listed)) == 7
    assert f'name="day" value="{day.isoformat()}"' in listed  # kept when filtering further


def test_a_long_day_list_is_paged_and_the_pages_keep_the_day(
    owner, workspace, draft_video, account
):
    day = a_past_month().replace(day=10)
    posts_at(draft_video, account, [at(day, 8, minute) for minute in range(PER_PAGE + 5)])
    client = client_in(owner, workspace)
    first = client.get(URL, {"view": "list", "day": day.isoformat()}).content.decode()
    assert len(SCHEDULE_ROW.findall(first)) == PER_PAGE
    assert f"day={day.isoformat()}&amp;page=2" in first
    second = client.get(URL, {"view": "list", "day": day.isoformat(), "page": 2})
    assert len(SCHEDULE_ROW.findall(second.content.decode())) == 5


def test_an_empty_month_and_an_empty_day_still_render(owner, workspace):
    client = client_in(owner, workspace)
    month = a_past_month()
    assert 'class="calendar-more"' not in month_page(client, month)
    empty_day = client.get(URL, {"view": "list", "day": month.isoformat()})
    assert empty_day.status_code == 200
    assert "Nothing is scheduled on this day." in empty_day.content.decode()


# -- bounded work -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 200])
def test_the_month_costs_the_same_queries_and_rows_at_any_size(
    owner, workspace, draft_video, account, count, django_assert_max_num_queries
):
    month = a_past_month()
    start = at(month, 0, 30)
    hours = 27 * 24  # the posts spread over the month's first 27 days
    posts_at(
        draft_video, account, [start + dt.timedelta(hours=n * hours / count) for n in range(count)]
    )
    client = client_in(owner, workspace)
    built = []

    def count_post(sender, instance, **kwargs):
        built.append(instance)

    post_init.connect(count_post, sender=PlatformPost)
    try:
        # session, user, profile, memberships, the shown posts, the bell's unread count
        with django_assert_max_num_queries(6):
            page = month_page(client, month)
    finally:
        post_init.disconnect(count_post, sender=PlatformPost)
    shown = len(POST_LINK.findall(page))
    # The shown posts are read as plain rows (the window keeps the others in the database):
    # no post is built as a model.
    assert built == []
    assert shown <= 27 * MONTH_CAP
    assert sum(int(more) for _, more in MORE.findall(page)) == count - shown


def test_the_page_does_not_grow_with_the_posts_past_the_cap(owner, workspace, draft_video, account):
    month = a_past_month()
    days = [month.replace(day=d) for d in (3, 10, 17, 24)]
    posts_at(draft_video, account, [at(day, 9, minute) for day in days for minute in range(4)])
    client = client_in(owner, workspace)
    month_page(client, month)  # shows, and so clears, the workspace switch's message
    small = month_page(client, month)
    # 36 more a day, later than the shown ones: only "+1 more" becomes "+37 more".
    posts_at(draft_video, account, [at(day, 10, minute) for day in days for minute in range(36)])
    large = month_page(client, month)
    assert len(large) - len(small) == len(days)  # one more digit a day
    assert len(POST_LINK.findall(large)) == len(days) * MONTH_CAP


# -- the viewer's time zone -------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Los_Angeles"])
def test_posts_near_midnight_land_on_the_viewers_day(owner, workspace, draft_video, account, zone):
    """Eight posts at both ends of one local day, which in UTC spans two days."""
    in_zone(owner, zone)
    day = a_past_month().replace(day=10)
    early = [at(day, 0, minute, zone) for minute in (5, 15, 25, 35)]
    late = [at(day, 23, minute, zone) for minute in (25, 35, 45, 55)]
    posts_at(draft_video, account, [*early, *late])
    posts_at(draft_video, account, [at(day, 0, 0, zone) - dt.timedelta(minutes=1)])  # the 9th
    posts_at(draft_video, account, [at(day, 0, 0, zone) + dt.timedelta(days=1)])  # the 11th
    client = client_in(owner, workspace)
    page = month_page(client, day)
    assert MORE.findall(page) == [(day.isoformat(), "5")]
    assert ">00:05<" in page and ">00:25<" in page and ">00:35<" not in page
    assert ">23:59<" in page and ">00:00<" in page  # the neighbours, in cells of their own
    listed = client.get(URL, {"view": "list", "day": day.isoformat()}).content.decode()
    assert len(SCHEDULE_ROW.findall(listed)) == 8


# -- hand-made day parameters -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2025-02-30",
        "2025-13-01",
        "10",
        "2025-01-01T00:00",
        "x" * 5000,
        "2025-01-01\x00",
    ],
)
def test_a_day_that_is_not_a_date_is_refused(owner, workspace, value):
    in_zone(owner, "Asia/Tokyo")
    response = client_in(owner, workspace).get(URL, {"view": "list", "day": value})
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])  # UTC+14, UTC−11
def test_a_day_at_the_ends_of_time_shows_the_nearest_day(owner, workspace, value, zone):
    in_zone(owner, zone)
    response = client_in(owner, workspace).get(URL, {"view": "list", "day": value})
    assert response.status_code == 200
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        today = timezone.localdate()
    if value.startswith("9999"):
        assert f'name="day" value="{today + CALENDAR_FUTURE:%Y-%m-%d}"' in response.content.decode()
