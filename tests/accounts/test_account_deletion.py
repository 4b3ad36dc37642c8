"""Deleting an account: refused while the person is the only owner of a workspace with other
members; otherwise their workspaces (with files), memberships, sessions and tokens go, comments
stay by "Deleted user", events lose the link, and one confirmation e-mail goes out."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from accounts import tasks
from accounts.models import AccountDeletion, ApiToken, DataExport, Profile, User
from accounts.privacy import deletion
from accounts.services import api_token_create
from analytics.events import EventName, record
from analytics.models import Event
from billing.models import Invoice, SubscriptionStatus
from teams.models import Comment, Membership, Notification, Role, Team
from teams.services.memberships import membership_add
from teams.services.notifications import notify
from teams.services.workspaces import workspace_rename
from tests.accounts.conftest import (
    add_member,
    built_export,
    comment_on,
    make_video,
    pay_for_pro,
    personal_workspace,
    team_of,
)
from tests.factories import DEFAULT_PASSWORD
from videos.models import Video

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

DELETE = reverse("accounts:account_delete")


def _signed_in(user) -> Client:
    """A real sign-in (a stored session), as a browser would have."""
    client = Client()
    assert client.login(email=user.email, password=DEFAULT_PASSWORD)
    return client


def _delete_on_page(client: Client, password: str, capture):
    with capture(execute=True):
        return client.post(DELETE, {"password": password})


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def shared(alice, bob):
    """Acme: Alice is its only owner, Bob an editor."""
    acme = team_of(alice, "Acme")
    add_member(acme, bob, Role.EDITOR)
    return acme


# -- refused ------------------------------------------------------------------------------------


def test_the_only_owner_of_a_shared_workspace_is_refused_and_told_which(alice, shared):
    client = _signed_in(alice)
    page = client.get(reverse("accounts:privacy"))
    assert "“Acme”" in page.content.decode()
    response = client.post(DELETE, {"password": DEFAULT_PASSWORD})
    assert response.status_code == 400 and "“Acme”" in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists() and Team.objects.filter(pk=shared.pk).exists()

    api = _api(alice).delete("/api/v1/account/", {"password": DEFAULT_PASSWORD}, format="json")
    assert api.status_code == 400
    error = api.json()["error"]
    assert error["code"] == "sole_owner" and "“Acme”" in error["message"]
    assert User.objects.filter(pk=alice.pk).exists()


def test_a_wrong_or_missing_password_is_refused(alice):
    Profile.objects.filter(user=alice).update(language="en")  # the page's English wording
    client = _signed_in(alice)
    response = client.post(DELETE, {"password": "not-it"})
    assert response.status_code == 400 and "That is not your password." in response.content.decode()
    assert client.post(DELETE, {}).status_code == 400
    api = _api(alice)
    wrong = api.delete("/api/v1/account/", {"password": "not-it"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "password"
    missing = api.delete("/api/v1/account/", {}, format="json")
    assert missing.status_code == 400 and "password" in missing.json()["error"]["fields"]
    assert User.objects.filter(pk=alice.pk).exists()


def test_guessing_the_password_is_rate_limited(alice):
    api = _api(alice)
    statuses = [
        api.delete("/api/v1/account/", {"password": f"guess-{n}"}, format="json").status_code
        for n in range(11)
    ]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
    assert User.objects.filter(pk=alice.pk).exists()


def test_a_co_owned_workspace_does_not_stand_in_the_way(
    alice, bob, shared, django_capture_on_commit_callbacks
):
    Membership.objects.filter(team=shared, user=bob).update(role=Role.OWNER)
    response = _delete_on_page(
        _signed_in(alice), DEFAULT_PASSWORD, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert list(Membership.objects.filter(team=shared).values_list("user", flat=True)) == [bob.pk]


# -- what goes and what stays -------------------------------------------------------------------


def test_the_page_says_what_goes_and_what_stays(alice, bob):
    Profile.objects.filter(user=alice).update(language="en")  # the page's English wording
    team_of(alice, "Solo")
    add_member(team_of(bob, "Studio B"), alice, Role.VIEWER)
    add_member(personal_workspace(alice), bob, Role.VIEWER)
    html = _signed_in(alice).get(reverse("accounts:privacy")).content.decode()
    personal = personal_workspace(alice).name.replace("'", "&#x27;")
    assert f"Deleted with your account, with their videos: “{personal}”, “Solo”." in html
    assert f"The other members of your personal workspace “{personal}” lose access" in html
    assert "You will leave “Studio B”." in html
    assert 'name="password"' in html  # nothing stands in the way


def test_what_is_deleted_and_what_is_kept(alice, bob, django_capture_on_commit_callbacks):
    mine = make_video(personal_workspace(alice), alice, "Mine")
    solo = team_of(alice, "Solo")
    solo_video = make_video(solo, alice, "Solo clip")
    theirs = team_of(bob, "Bob's team")
    add_member(theirs, alice, Role.EDITOR)
    made_there = make_video(theirs, alice, "Made there")
    kept_comment = comment_on(made_there, alice, "Alice was here")
    notify(recipient=alice, kind="mention", key="m", workspace=theirs, actor=bob, url="/")
    built_export(alice)
    files = [mine.file.name, solo_video.file.name, made_there.file.name]
    export_zip = DataExport.objects.get(user=alice).file.name
    assert all(default_storage.exists(key) for key in [*files, export_zip])

    response = _delete_on_page(
        _signed_in(alice), DEFAULT_PASSWORD, django_capture_on_commit_callbacks
    )

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert not User.objects.filter(pk=alice.pk).exists()
    # Her personal workspace and the one only she was in, with their videos and files:
    assert not Team.objects.filter(pk__in=[solo.pk]).exists()
    assert not Team.objects.filter(is_personal=True, name__contains="Alice").exists()
    assert not Video.objects.filter(pk__in=[mine.pk, solo_video.pk]).exists()
    assert not default_storage.exists(files[0]) and not default_storage.exists(files[1])
    assert not default_storage.exists(export_zip)
    # Her membership elsewhere goes; what she made there stays with that workspace:
    assert not Membership.objects.filter(team=theirs, user_id=alice.pk).exists()
    made_there.refresh_from_db()
    assert made_there.created_by_id is None and default_storage.exists(files[2])
    # Her comment stays, with no author; her notifications, tokens and addresses are gone.
    kept_comment.refresh_from_db()
    assert kept_comment.author_id is None and kept_comment.text == "Alice was here"
    assert not Notification.objects.filter(recipient_id=alice.pk).exists()
    assert not ApiToken.objects.filter(user_id=alice.pk).exists()


def test_her_comments_show_deleted_user(alice, bob, django_capture_on_commit_callbacks):
    theirs = team_of(bob, "Bob's team")
    add_member(theirs, alice, Role.EDITOR)
    video = make_video(theirs, bob, "Teaser")
    comment_on(video, alice, "Brighter here")
    _delete_on_page(_signed_in(alice), DEFAULT_PASSWORD, django_capture_on_commit_callbacks)

    page = _signed_in(bob).get(reverse("videos:version", args=[video.pk, 1]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Brighter here" in html and "Deleted user" in html and "Alice Example" not in html
    api = _api(bob).get(f"/api/v1/videos/{video.pk}/comments/").json()
    [comment] = api["results"]
    assert comment["author"] is None and comment["text"] == "Brighter here"


def test_a_workspace_with_invoices_stays_as_a_closed_record_and_its_plan_ends(
    alice, django_capture_on_commit_callbacks
):
    personal = personal_workspace(alice)
    pay_for_pro(personal, alice)
    _delete_on_page(_signed_in(alice), DEFAULT_PASSWORD, django_capture_on_commit_callbacks)

    personal.refresh_from_db()  # kept: its invoices must be
    assert Invoice.objects.filter(workspace=personal).exists()
    with translation.override("fr"):  # named in the language of the request that deleted it
        assert personal.name == gettext("Closed workspace") and personal.created_by_id is None
    assert not Membership.objects.filter(team=personal).exists()
    assert personal.subscription.status == SubscriptionStatus.CANCELED
    assert personal.subscription.plan.is_free


# -- events, sessions, tokens, e-mail ------------------------------------------------------------


def test_events_lose_every_link_to_her(alice, bob, shared, django_capture_on_commit_callbacks):
    Membership.objects.filter(team=shared, user=bob).delete()
    membership_add(workspace=shared, user=bob, role=Role.EDITOR, actor=alice)  # names Bob
    Membership.objects.filter(team=shared, user=bob).update(role=Role.OWNER)
    record(EventName.USER_VERIFIED, actor=alice, subject=alice, idempotency_key=f"v:{alice.pk}")
    workspace_rename(workspace=personal_workspace(alice), name="Alice's corner", actor=alice)
    bob_joined_by_her = Event.objects.get(
        name=EventName.TEAM_MEMBER_JOINED, properties__user_id=bob.pk
    )
    added_her = record(EventName.TEAM_ROLE_CHANGED, actor=bob, properties={"user_id": alice.pk})
    mentioned = record(EventName.COMMENT_CREATED, actor=bob, properties={"mentions": [alice.pk, 7]})
    _delete_on_page(_signed_in(alice), DEFAULT_PASSWORD, django_capture_on_commit_callbacks)

    assert not Event.objects.filter(actor_id=alice.pk).exists()
    assert not Event.objects.filter(subject_type="accounts.user", subject_id=str(alice.pk)).exists()
    assert not Event.objects.filter(properties__user_id=alice.pk).exists()
    verified = Event.objects.get(name=EventName.USER_VERIFIED)
    assert (verified.actor_id, verified.subject_id, verified.idempotency_key) == (None, "", None)
    added_her.refresh_from_db()
    mentioned.refresh_from_db()
    bob_joined_by_her.refresh_from_db()
    assert "user_id" not in added_her.properties and added_her.actor_id == bob.pk
    assert mentioned.properties["mentions"] == [7]
    assert bob_joined_by_her.actor_id is None and bob_joined_by_her.properties["user_id"] == bob.pk
    everything = " ".join(str(e.properties) for e in Event.objects.all())
    assert "Alice" not in everything  # not even her personal workspace's names
    assert Event.objects.filter(name=EventName.USER_DELETED).count() == 1


def test_her_sessions_end_and_the_browser_is_signed_out(alice, django_capture_on_commit_callbacks):
    laptop, phone = _signed_in(alice), _signed_in(alice)
    assert Session.objects.count() == 2
    _delete_on_page(laptop, DEFAULT_PASSWORD, django_capture_on_commit_callbacks)
    assert Session.objects.filter(session_key=phone.session.session_key).count() == 0
    for client in (laptop, phone):
        response = client.get(reverse("accounts:privacy"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_her_api_tokens_stop_working(alice, django_capture_on_commit_callbacks):
    _token, key = api_token_create(user=alice, name="ci")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete("/api/v1/account/", {"password": DEFAULT_PASSWORD}, format="json")
    assert response.status_code == 204
    assert api.get("/api/v1/me/").status_code in (401, 403)


def test_one_confirmation_goes_to_her_address_then_it_is_forgotten(
    alice, mailoutbox, django_capture_on_commit_callbacks
):
    _delete_on_page(_signed_in(alice), DEFAULT_PASSWORD, django_capture_on_commit_callbacks)
    [mail] = mailoutbox
    assert mail.to == ["alice@example.com"] and "(Europe/Paris)" in mail.body
    [gone] = AccountDeletion.objects.all()
    assert gone.emailed_at is not None and (gone.email, gone.language) == ("", "")
    assert deletion.account_deleted_send_email(deletion_id=str(gone.pk)) is False
    assert tasks.send_unsent_account_deleted_emails() == 0
    assert len(mailoutbox) == 1


def test_deleting_twice_deletes_once(alice, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = deletion.account_delete(user=alice, password=DEFAULT_PASSWORD)
        second = deletion.account_delete(user=alice, password=DEFAULT_PASSWORD)  # a resubmit
    assert first is not None and second is None
    assert AccountDeletion.objects.count() == 1 and len(mailoutbox) == 1


def test_the_api_deletes_and_signs_the_session_out(alice, django_capture_on_commit_callbacks):
    client = _signed_in(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(
            "/api/v1/account/", {"password": DEFAULT_PASSWORD}, content_type="application/json"
        )
    assert response.status_code == 204
    assert not User.objects.filter(pk=alice.pk).exists()
    assert client.get("/api/v1/me/").status_code in (401, 403)
    assert Comment.objects.count() == 0
