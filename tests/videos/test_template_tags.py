"""Tags are shown as "#reel": the library's search and tag filter take them that way too, on
the page and in the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.videos.conftest import api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(make_template, only_test_templates):
    make_template(name="Reel maker", tags=["reel", "sale"])
    make_template(name="Tips", tags=["tips"])


def _page_names(client, **params) -> list[str]:
    response = client.get(reverse("videos:templates"), params)
    assert response.status_code == 200
    return [t.name for t in response.context["templates"]]


def _api_names(user, **params) -> list[str]:
    response = api_for(user).get("/api/v1/templates/", params)
    assert response.status_code == 200
    return [t["name"] for t in response.json()["results"]]


@pytest.mark.parametrize("typed", ["#reel", "reel", " #Reel ", "##reel"])
def test_the_page_search_takes_a_tag_as_shown(owner_client, library, typed):
    assert _page_names(owner_client, q=typed) == ["Reel maker"]


@pytest.mark.parametrize("typed", ["#reel", "reel", "#REEL"])
def test_the_page_tag_filter_takes_a_tag_as_shown(owner_client, library, typed):
    response = owner_client.get(reverse("videos:templates"), {"tag": typed})
    assert [t.name for t in response.context["templates"]] == ["Reel maker"]
    # The chosen tag is the one highlighted in the tag list.
    assert response.context["active_tag"] == "reel"
    assert 'class="tag tag-active" href="?tag=reel"' in response.content.decode()


@pytest.mark.parametrize("typed", ["#reel", "reel"])
def test_the_api_search_and_tag_filter_take_a_tag_as_shown(owner, library, typed):
    assert _api_names(owner, search=typed) == ["Reel maker"]
    assert _api_names(owner, tag=typed) == ["Reel maker"]


def test_a_lone_hash_filters_nothing(owner, owner_client, library):
    assert sorted(_page_names(owner_client, q="#")) == ["Reel maker", "Tips"]
    assert sorted(_api_names(owner, search="#", tag="#")) == ["Reel maker", "Tips"]
