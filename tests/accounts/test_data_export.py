"""The personal data export: one ZIP per request, built in the background, with each category of
the person's data and the files of the videos they made; nobody else's; downloadable only by
them, for 7 days; a worker that dies is replaced."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import tasks
from accounts.models import DataExport, DataExportStatus
from accounts.privacy import exports
from accounts.services import api_token_create
from analytics.events import EventName
from teams.models import Role
from teams.services.memberships import membership_add
from teams.services.notifications import notify
from tests.accounts.conftest import (
    add_member,
    built_export,
    comment_on,
    make_video,
    pay_for_pro,
    personal_workspace,
    team_of,
    zip_files,
)
from tests.conftest import client_for, fetch_url
from videocreator.periodic import PERIODIC_TASKS
from videos.models import Video

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

CATEGORIES = {
    "account.json",
    "profile.json",
    "api_tokens.json",
    "events.json",
    "workspaces.json",
    "comments.json",
    "notifications.json",
    "notification_settings.json",
    "invitations.json",
    "videos.json",
    "invoices.json",
    "referrals.json",
    "tracking/browsers.json",
    "tracking/page_views.json",
    "tracking/touches.json",
}


def _json(files: dict[str, bytes], name: str):
    return json.loads(files[name])


@pytest.fixture
def scene(alice, bob):
    """Alice owns Acme (Bob is an editor there, on Pro); each has videos, comments and
    notifications of their own."""
    acme = team_of(alice, "Acme")
    membership_add(workspace=acme, user=bob, role=Role.EDITOR, actor=alice)
    pay_for_pro(acme, alice)
    pay_for_pro(personal_workspace(bob), bob)
    launch = make_video(personal_workspace(alice), alice, "Launch", b"alice-launch-bytes")
    teaser = make_video(acme, bob, "Bob teaser", b"bob-teaser-bytes")
    comment_on(teaser, alice, "Alice likes the colours")
    comment_on(teaser, bob, "Bob's own note")
    notify(recipient=alice, kind="mention", key="m1", workspace=acme, actor=bob, url="/a")
    notify(recipient=bob, kind="mention", key="m2", workspace=acme, actor=alice, url="/b")
    api_token_create(user=alice, name="Alice's script")
    api_token_create(user=bob, name="Bob's script")
    return {"acme": acme, "launch": launch, "teaser": teaser}


def test_the_zip_holds_each_category_of_her_data(alice, scene):
    export = built_export(alice)
    assert export.status == DataExportStatus.READY and export.file_count == 1
    files = zip_files(export)
    launch = scene["launch"]
    assert set(files) == CATEGORIES | {f"videos/{launch.pk}-launch.mp4"}
    assert files[f"videos/{launch.pk}-launch.mp4"] == b"alice-launch-bytes"

    account = _json(files, "account.json")
    assert (account["email"], account["name"]) == ("alice@example.com", "Alice Example")
    assert account["email_addresses"] == [
        {"email": "alice@example.com", "primary": True, "verified": True}
    ]
    assert _json(files, "profile.json") == {
        "language": "fr",
        "time_zone": "Europe/Paris",
        "marketing_emails": False,
        "signup_network": "",
    }
    workspaces = _json(files, "workspaces.json")
    assert [(w["name"], w["personal"], w["role"]) for w in workspaces] == [
        (personal_workspace(alice).name, True, "owner"),
        ("Acme", False, "owner"),
    ]
    [video] = _json(files, "videos.json")
    assert video["title"] == "Launch"
    assert video["file_in_this_zip"] == f"videos/{launch.pk}-launch.mp4"
    assert [v["number"] for v in video["versions"]] == [1]
    [comment] = _json(files, "comments.json")
    assert (comment["text"], comment["video"]) == ("Alice likes the colours", "Bob teaser")
    [notification] = _json(files, "notifications.json")
    assert notification["kind"] == "mention" and "Bob Builder" in notification["message"]
    [invoice] = _json(files, "invoices.json")  # Acme's; Bob's personal invoice is not hers
    assert invoice["workspace"] == "Acme" and invoice["currency"] == "USD"
    assert invoice["total"] > 0 and invoice["lines"]
    [token] = _json(files, "api_tokens.json")
    assert token["name"] == "Alice's script" and set(token) == {
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    }
    names = {event["name"] for event in _json(files, "events.json")}
    assert {EventName.TEAM_MEMBER_JOINED, EventName.API_TOKEN_CREATED} <= names


def test_nothing_of_anyone_else_is_in_her_zip(alice, bob, scene):
    files = zip_files(built_export(alice))
    everything = b"".join(files.values())
    for theirs in (b"bob-teaser-bytes", b"Bob's own note", b"Bob's script", b"bob@example.com"):
        assert theirs not in everything
    assert _json(files, "invoices.json")[0]["workspace"] == "Acme"
    for event in _json(files, "events.json"):
        # Bob's own events are his: those in hers are hers, about her account, or name her.
        properties = event["properties"]
        assert (
            event["by_you"]
            or event["subject_id"] == str(alice.pk)
            or alice.pk in (properties.get("user_id"), properties.get("to_user_id"))
            or alice.pk in properties.get("mentions", [])
        ), event


def test_a_video_she_made_in_a_workspace_she_left_is_not_hers_to_take(alice, bob):
    theirs = team_of(bob, "Bob's team")
    membership = add_member(theirs, alice)
    make_video(theirs, alice, "Made there")
    membership.delete()
    files = zip_files(built_export(alice))
    assert _json(files, "videos.json") == [] and not [n for n in files if n.startswith("videos/")]


def test_the_page_asks_and_the_task_builds_and_emails_once(
    alice, scene, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:data_export_request"))
    assert response.status_code == 302
    export = DataExport.objects.get(user=alice)
    assert export.status == DataExportStatus.READY and export.emailed_at is not None
    [mail] = mailoutbox
    assert mail.to == ["alice@example.com"]
    assert reverse("accounts:data_export_download", args=[export.pk]) in mail.body
    assert "(Europe/Paris)" in mail.body  # her time zone, named
    assert exports.data_export_send_ready_email(export_id=str(export.pk)) is False
    assert len(mailoutbox) == 1
    page = client.get(reverse("accounts:privacy"))
    assert reverse("accounts:data_export_download", args=[export.pk]).encode() in page.content


def test_a_second_request_while_one_is_pending_returns_that_one(
    alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first, created = exports.data_export_request(user=alice)
        again, created_again = exports.data_export_request(user=alice)
    assert (created, created_again) == (True, False) and again.pk == first.pk
    api = APIClient()
    api.force_authenticate(alice)
    with django_capture_on_commit_callbacks(execute=False):
        response = api.post("/api/v1/account/export/")
    assert response.status_code == 200 and response.json()["id"] == str(first.pk)
    assert DataExport.objects.filter(user=alice).count() == 1


def test_the_api_asks_shows_the_latest_and_downloads(alice, django_capture_on_commit_callbacks):
    make_video(personal_workspace(alice), alice, "Launch", b"launch")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=alice, name='ci')[1]}")
    assert api.get("/api/v1/account/export/").json() == {"latest": None}
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/account/export/")
    assert response.status_code == 202
    latest = api.get("/api/v1/account/export/").json()["latest"]
    assert latest["status"] == "ready" and latest["download_url"].startswith("http://testserver/")
    download = api.get(latest["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_only_she_can_download_it(alice, bob, client):
    export = built_export(alice)
    page = reverse("accounts:data_export_download", args=[export.pk])
    api = f"/api/v1/account/export/{export.pk}/download/"
    assert client_for(alice).get(page).status_code == 200
    assert client_for(bob).get(page).status_code == 404
    assert client.get(page).status_code == 302  # to the sign-in
    other = APIClient()
    other.force_authenticate(bob)
    assert other.get(api).status_code == 404


def test_an_expired_export_is_deleted_by_the_hourly_task(alice):
    assert "accounts.expire_data_exports" in {spec.task for spec in PERIODIC_TASKS}
    export = built_export(alice)
    key = export.file.name
    assert default_storage.exists(key)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert tasks.expire_data_exports() == 1
    export.refresh_from_db()
    assert export.status == DataExportStatus.EXPIRED and not export.file
    response = client_for(alice).get(reverse("accounts:data_export_download", args=[export.pk]))
    assert response.status_code == 404


def test_a_worker_that_died_is_replaced_and_its_late_finish_is_dropped(
    alice, django_capture_on_commit_callbacks
):
    assert "accounts.requeue_stuck_data_exports" in {spec.task for spec in PERIODIC_TASKS}
    make_video(personal_workspace(alice), alice, "Launch", b"launch")
    with django_capture_on_commit_callbacks(execute=False):
        export, _created = exports.data_export_request(user=alice)
    dead = exports.DATA_EXPORT_LEASE.claim(str(export.pk))  # claimed, then the worker died
    assert dead is not None
    DataExport.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - exports.STUCK_AFTER - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert exports.data_exports_requeue_stuck() == 1
    export.refresh_from_db()
    assert export.status == DataExportStatus.READY and export.attempts == 2
    assert exports.data_export_finish(export=dead, key="exports/x.zip", size=1, files=0) is False
    export.refresh_from_db()
    assert export.file.name != "exports/x.zip"


def test_on_s3_the_download_is_a_presigned_link_of_a_few_minutes(alice, s3):
    make_video(personal_workspace(alice), alice, "Launch", b"launch-on-s3")
    export = built_export(alice)
    assert export.file.name.startswith("exports/personal/")
    response = client_for(alice).get(reverse("accounts:data_export_download", args=[export.pk]))
    assert response.status_code == 302 and "X-Amz-Expires=300" in response["Location"]
    body, headers = fetch_url(response["Location"])
    assert body.startswith(b"PK") and "attachment" in headers["Content-Disposition"]
    assert f"videos/{Video.objects.get().pk}-launch.mp4" in zip_files(export)


def test_a_lost_ready_email_is_sent_by_the_sweep_once(alice, mailoutbox):
    export = built_export(alice)  # the task body alone: its e-mail went out
    DataExport.objects.filter(pk=export.pk).update(
        emailed_at=None, finished_at=timezone.now() - timedelta(minutes=3)
    )
    mailoutbox.clear()
    assert tasks.send_unsent_data_export_emails() == 1
    assert tasks.send_unsent_data_export_emails() == 0
    assert [mail.to for mail in mailoutbox] == [["alice@example.com"]]
