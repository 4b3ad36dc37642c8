"""Video title search: any case, any script; on PostgreSQL served by a pg_trgm GIN index."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.videos.conftest import api_for
from videos import selectors
from videos.models import Template, Video

INDEX = "video_title_trgm"
TITLES = [
    "Café au lait",
    "café crème tasting",
    "Coffee break",
    "動画の編集テクニック",
    "新しい動画を作る",
    "한국어 영상",
]


@pytest.fixture
def titled(workspace):
    """`titled(*titles)` → the workspace's videos with these titles."""
    template = Template.objects.order_by("pk").first()  # a starter template

    def make(*titles: str) -> None:
        Video.objects.bulk_create(
            Video(workspace=workspace, template=template, title=title, duration_seconds=15)
            for title in titles
        )

    return make


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm and GIN indexes exist on PostgreSQL only; SQLite scans the titles.")


def found(workspace, search: str) -> set[str]:
    videos = selectors.videos_for_workspace(workspace=workspace, search=search)
    return {video.title for video in videos}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("CAFé AU", {"Café au lait"}),  # ASCII letters in any case, é as written
        ("café", {"Café au lait", "café crème tasting"}),
        ("  coffee ", {"Coffee break"}),
        ("動画", {"動画の編集テクニック", "新しい動画を作る"}),
        ("編集テク", {"動画の編集テクニック"}),
        ("영상", {"한국어 영상"}),
        ("tea", set()),
    ],
)
def test_search_finds_substrings_in_any_case_and_script(workspace, titled, search, expected):
    titled(*TITLES)
    assert found(workspace, search) == expected


@pytest.mark.django_db
def test_postgresql_folds_the_case_of_every_letter(postgresql, workspace, titled):
    # SQLite's LIKE folds ASCII letters only: there "CAFÉ" does not find "café".
    titled(*TITLES)
    assert found(workspace, "CAFÉ") == {"Café au lait", "café crème tasting"}


@pytest.mark.django_db
def test_the_api_searches_like_the_pages(workspace, titled, owner):
    titled(*TITLES)
    response = api_for(owner).get("/api/v1/videos/", {"search": "動画"})
    assert {video["title"] for video in response.json()["results"]} == found(workspace, "動画")


@pytest.mark.django_db
def test_the_extension_and_the_trigram_index_exist(postgresql):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() is not None
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
        (definition,) = cursor.fetchone()
    assert "USING gin (upper((title)::text) gin_trgm_ops) WITH (fastupdate=off)" in definition


@pytest.mark.django_db
def test_the_search_page_and_its_count_use_the_trigram_index(postgresql, workspace, titled):
    titled(*(f"Weekly product update #{n}" for n in range(5000)))
    titled("Espresso tips", "ESPRESSO recipes", "Iced espresso")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE videos_video")
    videos = selectors.videos_for_workspace(workspace=workspace, search="espresso")
    with CaptureQueriesContext(connection) as queries:
        page = Paginator(videos, 24).get_page(1)  # the list page: a COUNT, then the page
        assert len(page.object_list) == 3
    assert len(queries) == 2
    for query in queries:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {query['sql']}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert f"Bitmap Index Scan on {INDEX}" in plan, plan


@pytest.mark.django_db
def test_the_api_list_of_all_your_workspaces_walks_an_index_newest_first(
    postgresql, workspace, titled, owner
):
    # The owner has two workspaces (personal and Acme): no per-workspace index gives the order,
    # and without (created_at, id) the planner sorted every video to return one page.
    titled(*(f"Weekly product update #{n}" for n in range(5000)))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE videos_video")
    with CaptureQueriesContext(connection) as queries:
        response = api_for(owner).get("/api/v1/videos/")
    assert response.json()["count"] == 5000
    (page_query,) = [
        q["sql"] for q in queries if "LIMIT" in q["sql"] and "videos_video" in q["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {page_query}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using video_created" in plan, plan
    assert "Sort" not in plan, plan
