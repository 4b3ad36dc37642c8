"""The board, roadmap, changelog and RICE pages and GET /api/v1/features/requests read a fixed
number of queries, with 10 requests as with 1,000 (each sort, filters on)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from growth.feedback.models import Category, Comment, FeatureRequest, Status, Vote
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# The signed-in page's own queries (session, user, workspaces, notifications…) included.
PAGE_QUERIES = 6
API_QUERIES = 3
SIZES = [10, 1000]
QUERIES = [
    {},
    {"sort": "new"},
    {"sort": "trending"},
    {"status": "open", "category": "editing", "q": "request"},
    {"page": "2", "page_size": "5"},
]


def _board(size: int, user) -> None:
    categories, statuses = Category.values, [Status.OPEN, Status.PLANNED, Status.SHIPPED]
    now = timezone.now()
    FeatureRequest.objects.bulk_create(
        FeatureRequest(
            title=f"Request {n}",
            description="A request",
            category=categories[n % len(categories)],
            status=statuses[n % len(statuses)],
            vote_score=n % 37,
            comment_count=n % 5,
            created_at=now - dt.timedelta(minutes=n),
        )
        for n in range(size)
    )
    requests = list(FeatureRequest.objects.order_by("pk"))
    Vote.objects.bulk_create(
        Vote(request=r, user=user, value=1 if n % 2 else -1, voted_at=now)
        for n, r in enumerate(requests)
    )
    Comment.objects.bulk_create(Comment(request=r, author=user, body="x") for r in requests[:50])


@pytest.mark.parametrize("size", SIZES)
def test_board_page_queries_do_not_grow(size, outsider, django_assert_max_num_queries):
    _board(size, outsider)
    client = client_for(outsider)
    client.get(reverse("feedback:board"))  # the session's first-visit writes
    for query in QUERIES:
        with django_assert_max_num_queries(PAGE_QUERIES):
            response = client.get(reverse("feedback:board"), query)
        assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_api_list_queries_do_not_grow(size, api, outsider, django_assert_max_num_queries):
    _board(size, outsider)
    client = api(outsider)
    for query in QUERIES:
        with django_assert_max_num_queries(API_QUERIES):
            response = client.get("/api/v1/features/requests", query)
        assert response.status_code == 200
        assert len(response.json()["results"]) > 0 or query.get("category")


def test_trending_counts_only_the_last_14_days(api, outsider, make_request, voters):
    old, new = make_request("Old favourite"), make_request("New hit")
    now = timezone.now()
    people = voters(5)
    Vote.objects.bulk_create(
        [Vote(request=old, user=u, value=1, voted_at=now - dt.timedelta(days=20)) for u in people]
        + [Vote(request=new, user=u, value=1, voted_at=now) for u in people[:2]]
    )
    FeatureRequest.objects.filter(pk=old.pk).update(vote_score=5)
    FeatureRequest.objects.filter(pk=new.pk).update(vote_score=2)
    titles = [
        r["title"]
        for r in api(outsider)
        .get("/api/v1/features/requests", {"sort": "trending"})
        .json()["results"]
    ]
    assert titles == ["New hit", "Old favourite"]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("route", "queries"),
    [("feedback:roadmap", PAGE_QUERIES), ("feedback:changelog", PAGE_QUERIES)],
)
def test_roadmap_and_changelog_queries_do_not_grow(
    size, route, queries, outsider, django_assert_max_num_queries
):
    _board(size, outsider)
    client = client_for(outsider)
    client.get(reverse(route))
    with django_assert_max_num_queries(queries):
        response = client.get(reverse(route))
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_rice_page_queries_do_not_grow(size, staff, outsider, django_assert_max_num_queries):
    _board(size, outsider)
    client = client_for(staff)
    client.get(reverse("feedback:prioritized"))
    # The page's own queries, the prioritised requests, their voters' workspaces and MRR.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("feedback:prioritized"), {"paying_weight": 2})
    assert response.status_code == 200
