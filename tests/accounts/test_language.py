"""The language order: saved preference, then the cookie, then Accept-Language, then English."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.conftest import client_for


def _lang(response) -> str:
    return response["Content-Language"]


@pytest.mark.django_db
def test_english_when_nothing_says_otherwise(client):
    assert _lang(client.get("/")) == "en"


@pytest.mark.django_db
def test_accept_language_is_used(client):
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="ko,en;q=0.5")) == "ko"


@pytest.mark.django_db
def test_accept_language_zh_cn_maps_to_simplified_chinese(client):
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN")) == "zh-hans"


@pytest.mark.django_db
def test_cookie_beats_accept_language(client):
    client.cookies["django_language"] = "de"
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="ko")) == "de"


@pytest.mark.django_db
def test_saved_preference_beats_cookie_and_header(owner):
    owner.profile.language = "hi"
    owner.profile.save()
    client = client_for(owner)
    client.cookies["django_language"] = "de"
    response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="ko")
    assert _lang(response) == "hi"


@pytest.mark.django_db
def test_without_preference_a_signed_in_user_follows_cookie(owner):
    client = client_for(owner)
    client.cookies["django_language"] = "pt"
    assert _lang(client.get(reverse("dashboard"))) == "pt"


@pytest.mark.django_db
def test_switcher_sets_cookie_for_visitors(client):
    response = client.post(reverse("accounts:set_language"), {"language": "ja", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "ja"
    assert _lang(client.get("/")) == "ja"


@pytest.mark.django_db
def test_switcher_saves_to_profile_when_signed_in(owner):
    client = client_for(owner)
    client.post(reverse("accounts:set_language"), {"language": "es", "next": "/dashboard/"})
    owner.profile.refresh_from_db()
    assert owner.profile.language == "es"


@pytest.mark.django_db
def test_switcher_rejects_unknown_language_and_changes_nothing(owner):
    client = client_for(owner)
    response = client.post(reverse("accounts:set_language"), {"language": "xx"})
    assert response.status_code == 302
    assert "django_language" not in response.cookies
    owner.profile.refresh_from_db()
    assert owner.profile.language == ""


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"language": ""}, {"language": "fr\x00"}])
def test_switcher_says_why_it_refused_and_changes_nothing(owner, data):
    client = client_for(owner)
    response = client.post(reverse("accounts:set_language"), data)
    assert response.status_code == 302
    assert "django_language" not in response.cookies
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "That language is not available."
    ]
    owner.profile.refresh_from_db()
    assert owner.profile.language == ""


@pytest.mark.django_db
def test_switcher_ignores_offsite_next(client):
    response = client.post(
        reverse("accounts:set_language"), {"language": "fr", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_pages_are_translated(client):
    client.cookies["django_language"] = "es"
    page = client.get("/").content.decode()
    assert 'lang="es"' in page
    assert "Sign up free" not in page
