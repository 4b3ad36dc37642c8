"""The notifications API, and messages worded in the reader's language when shown."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from teams.services.invitations import invitations_create
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.teams.conftest import FIRST, SECOND, set_language
from tests.videos.conftest import api_for

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.django_db
def test_api_lists_filters_and_marks_read(two_mentions, owner, editor, version, say):
    read, unread = two_mentions
    api = api_for(editor)
    data = api.get(reverse("api:notifications")).json()
    assert data["unread"] == 1 and data["count"] == 2
    assert [(n["id"], n["kind"], n["read"]) for n in data["results"]] == [
        (unread.pk, "mention", False),
        (read.pk, "mention", True),
    ]
    assert [n["message"] for n in data["results"]] == [SECOND, FIRST]
    assert data["results"][0]["actor"] == {"id": owner.pk, "name": "Olivia Owner"}
    assert data["results"][0]["url"] == f"http://testserver{unread.url}"

    data = api.get(reverse("api:notifications"), {"unread": "true"}).json()
    assert [n["id"] for n in data["results"]] == [unread.pk] and data["unread"] == 1

    response = api.post(reverse("api:notification-read", args=[unread.pk]))
    assert response.status_code == 200 and response.json()["read"] is True
    assert api.get(reverse("api:notifications")).json()["unread"] == 0

    say(owner, "@Edith Editor again", time_ms=3000)
    say(owner, "@Edith Editor and again", time_ms=4000)
    assert api.post(reverse("api:notifications-read-all")).json() == {"marked": 2}
    assert api.get(reverse("api:notifications"), {"unread": "true"}).json()["results"] == []


@pytest.mark.django_db
def test_api_someone_elses_notification_is_not_found(two_mentions, owner):
    _read, unread = two_mentions
    response = api_for(owner).post(reverse("api:notification-read", args=[unread.pk]))
    assert response.status_code == 404 and "error" in response.json()
    unread.refresh_from_db()
    assert unread.read_at is None
    assert api_for(owner).get(reverse("api:notifications")).json()["results"] == []


@pytest.mark.django_db
def test_messages_are_worded_when_shown_in_the_readers_language(workspace, owner):
    """The text is not stored: the list shows it in the reader's language of the moment."""
    ann = UserFactory(email="ann@example.com", name="Ann Example")
    invitations_create(workspace=workspace, emails=["ann@example.com"], role="editor", actor=owner)
    english = "Olivia Owner invited you to join Acme Studio as Editor"
    assertContains(client_for(ann).get(reverse("teams:notifications")), english)
    german = "Olivia Owner hat dich eingeladen, Acme Studio als Bearbeiter beizutreten"
    data = api_for(ann).get(reverse("api:notifications"), HTTP_ACCEPT_LANGUAGE="de").json()
    assert data["results"][0]["message"] == german
    set_language(ann, "de")
    page = client_for(ann).get(reverse("teams:notifications"))
    assertNotContains(page, english)
    assertContains(page, german)
