"""Batch export: all-or-nothing access, the plan's cap, the ZIP (stored, byte-identical, readable
unique names), cancel, expiry, the e-mail with the link, pages and API — on disk and on S3."""

from __future__ import annotations

import io
import urllib.parse
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from analytics.models import Event
from billing.entitlements import EntitlementError
from teams.models import Team
from tests.conftest import bucket_keys, client_in, fetch_url
from tests.videos.conftest import (
    api_for,
    run_export,
    stored_files,
)
from videos import selectors, services
from videos.models import ExportJob, ExportStatus, Video, VideoStatus

pytestmark = pytest.mark.django_db


def _bytes(key: str) -> bytes:
    with default_storage.open(key, "rb") as handle:
        return handle.read()


def _zip_members(data: bytes) -> dict[str, tuple[bytes, int]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        return {info.filename: (zf.read(info), info.compress_type) for info in zf.infolist()}


@pytest.fixture
def foreign_video(outsider, template):
    team = Team.objects.filter(memberships__user=outsider).first()
    return Video.objects.create(
        workspace=team,
        template=template,
        title="Their secret",
        duration_seconds=2,
        status=VideoStatus.READY,
        file="workspaces/0/renders/x.mp4",
    )


# -- refusals -------------------------------------------------------------------------------------


def test_a_foreign_video_refuses_the_whole_export_and_is_named(
    owner, workspace, ready_video, foreign_video
):
    mine = ready_video()
    with pytest.raises(ValidationError) as error:
        services.export_create(
            workspace=workspace, video_ids=[mine.pk, foreign_video.pk, 99999], actor=owner
        )
    message = " ".join(error.value.messages)
    assert f"#{foreign_video.pk}" in message and "#99999" in message
    assert "Their secret" not in message  # not the actor's to see
    assert f"#{mine.pk}" not in message
    assert not ExportJob.objects.exists()

    response = api_for(owner).post(
        "/api/v1/exports/",
        {"video_ids": [mine.pk, foreign_video.pk], "workspace": workspace.pk},
        format="json",
    )
    assert response.status_code == 400
    assert f"#{foreign_video.pk}" in str(response.json())
    assert not ExportJob.objects.exists()


def test_titles_are_named_when_the_actor_can_see_them(owner, workspace, ready_video, template):
    other = Team.objects.create(name="Side project", created_by=owner)
    other.memberships.create(user=owner, role="owner")
    theirs = Video.objects.create(
        workspace=other,
        template=template,
        title="Side clip",
        duration_seconds=2,
        status=VideoStatus.READY,
    )
    with pytest.raises(ValidationError, match="Side clip"):
        services.export_create(
            workspace=workspace, video_ids=[ready_video().pk, theirs.pk], actor=owner
        )


def test_videos_without_a_file_are_refused_by_title(owner, workspace, ready_video, template):
    draft = Video.objects.create(
        workspace=workspace, template=template, title="Unfinished", duration_seconds=2
    )
    with pytest.raises(ValidationError, match="Unfinished"):
        services.export_create(
            workspace=workspace, video_ids=[ready_video().pk, draft.pk], actor=owner
        )


def _many(workspace, owner, template, key: str, count: int) -> list[int]:
    videos = Video.objects.bulk_create(
        Video(
            workspace=workspace,
            template=template,
            title=f"Clip {n}",
            duration_seconds=2,
            status=VideoStatus.READY,
            file=key,
            created_by=owner,
        )
        for n in range(count)
    )
    return [v.pk for v in videos]


def test_the_plan_caps_the_batch(
    owner, workspace, ready_video, template, pro_workspace, django_capture_on_commit_callbacks
):
    key = ready_video().file.name
    ids = _many(workspace, owner, template, key, 51)
    with pytest.raises(EntitlementError):
        services.export_create(workspace=workspace, video_ids=ids, actor=owner)
    response = api_for(owner).post("/api/v1/exports/", {"video_ids": ids}, format="json")
    assert response.status_code in (400, 402, 403) and not ExportJob.objects.exists()
    # Fifty is fine on Pro (duplicates count once).
    with django_capture_on_commit_callbacks(execute=False):
        export = services.export_create(
            workspace=workspace, video_ids=ids[:50] + ids[:3], actor=owner
        )
    assert len(export.video_ids) == 50


def test_free_allows_five(owner, workspace, ready_video, template):
    ids = _many(workspace, owner, template, ready_video().file.name, 6)
    with pytest.raises(EntitlementError):
        services.export_create(workspace=workspace, video_ids=ids, actor=owner)


def test_roles(cast, workspace, ready_video, django_capture_on_commit_callbacks):
    video = ready_video()
    assert (
        api_for(cast["viewer"])
        .post("/api/v1/exports/", {"video_ids": [video.pk]}, format="json")
        .status_code
        == 403
    )
    with django_capture_on_commit_callbacks(execute=False):
        response = api_for(cast["editor"]).post(
            "/api/v1/exports/", {"video_ids": [video.pk]}, format="json"
        )
    assert response.status_code == 202
    export_id = response.json()["id"]
    assert api_for(cast["outsider"]).get(f"/api/v1/exports/{export_id}/").status_code == 404
    assert api_for(cast["viewer"]).get(f"/api/v1/exports/{export_id}/").status_code == 403
    assert (
        client_in(cast["outsider"], workspace)
        .get(reverse("videos:export_detail", args=[export_id]))
        .status_code
        == 404
    )
    assert api_for(cast["outsider"]).post(f"/api/v1/exports/{export_id}/cancel/").status_code == 404


# -- the ZIP ------------------------------------------------------------------------------------


def test_the_zip_holds_byte_identical_files_under_readable_unique_names(
    owner, workspace, ready_video, mailoutbox, django_capture_on_commit_callbacks, settings
):
    videos = [
        ready_video(title="Launch teaser"),
        ready_video(title="Launch teaser"),
        ready_video(title="Été 2025 / promo"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(owner).post(
            "/api/v1/exports/", {"video_ids": [v.pk for v in videos]}, format="json"
        )
    assert response.status_code == 202
    export = ExportJob.objects.get(pk=response.json()["id"])
    assert export.status == ExportStatus.READY, export.error_code
    assert export.progress == 100 and export.file_count == 3
    assert export.file.name.startswith(f"exports/{workspace.pk}/")
    assert export.expires_at - timezone.now() > timedelta(days=6, hours=23)
    data = _bytes(export.file.name)
    assert export.size == len(data)
    members = _zip_members(data)
    assert list(members) == ["launch-teaser.mp4", "launch-teaser (2).mp4", "été-2025-promo.mp4"]
    for video, (content, compress_type) in zip(videos, members.values(), strict=True):
        assert content == _bytes(video.file.name)
        assert compress_type == zipfile.ZIP_STORED
    assert not any(Path(settings.MEDIA_ROOT, ".export-tmp").iterdir())  # moved, not copied

    names = set(Event.objects.filter(subject_id=str(export.pk)).values_list("name", flat=True))
    assert {"export.created", "export.ready"} <= names

    # The requester gets one e-mail with an absolute link that downloads the ZIP.
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [owner.email]
    link = next(w for w in mailoutbox[0].body.split() if "/exports/download/" in w)
    assert link.startswith(settings.SITE_URL)
    download = client_in(owner, workspace).get(urllib.parse.urlparse(link).path)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert download["Content-Disposition"].startswith("attachment")
    # …and so does anyone holding the link (like a presigned URL), but not a forged one.
    from django.test import Client

    assert Client().get(urllib.parse.urlparse(link).path).status_code == 200
    assert Client().get(urllib.parse.urlparse(link).path[:-3] + "xx/").status_code == 404

    # Running the task (or the e-mail) again does nothing twice.
    services.export_run(export_id=str(export.pk))
    assert services.export_send_ready_email(export_id=str(export.pk)) is False
    assert len(mailoutbox) == 1

    body = api_for(owner).get(f"/api/v1/exports/{export.pk}/").json()
    assert body["status"] == "ready" and body["progress"] == 100 and body["file_count"] == 3
    assert body["download_url"] == selectors.download_url(export) and body["expires_at"]


def test_the_email_is_in_the_requesters_language(
    owner, workspace, ready_video, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    from videos import emails

    owner.profile.language = "fr"
    owner.profile.save()
    seen = []
    original = emails.send_templated_email
    monkeypatch.setattr(
        emails, "send_templated_email", lambda **kw: (seen.append(kw["language"]), original(**kw))
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.export_create(workspace=workspace, video_ids=[ready_video().pk], actor=owner)
    assert seen == ["fr"] and len(mailoutbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 25])
def test_exports_list_query_count_does_not_grow(
    owner, workspace, count, django_assert_max_num_queries
):
    ExportJob.objects.bulk_create(
        ExportJob(workspace=workspace, requested_by=owner, video_ids=list(range(1, n + 2)))
        for n in range(count)
    )
    client = client_in(owner, workspace)
    with django_assert_max_num_queries(6):  # 5, and the bell's unread count
        response = client.get(reverse("videos:exports"))
    assert response.status_code == 200 and len(response.context["exports"]) == min(count, 20)


# -- expiry -------------------------------------------------------------------------------------


def test_expired_exports_are_deleted(
    owner, workspace, ready_video, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.export_create(
            workspace=workspace, video_ids=[ready_video().pk], actor=owner
        )
    export.refresh_from_db()
    key, link = export.file.name, selectors.download_url(export)
    assert default_storage.exists(key)
    assert services.exports_expire() == 0  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert services.exports_expire(now=export.expires_at + timedelta(seconds=1)) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not export.file
    assert not default_storage.exists(key)
    from django.test import Client

    assert Client().get(urllib.parse.urlparse(link).path).status_code == 404
    body = api_for(owner).get(f"/api/v1/exports/{export.pk}/").json()
    assert body["status"] == "expired" and body["download_url"] is None
    assert body["expires_at"] is None


def test_the_expiry_task_is_scheduled():
    from videocreator.periodic import PERIODIC_TASKS

    assert any(t.task == "videos.expire_exports" for t in PERIODIC_TASKS)


# -- pages --------------------------------------------------------------------------------------


def test_pages_export_selected_videos_and_show_live_progress(
    owner, workspace, ready_video, django_capture_on_commit_callbacks
):
    videos = [ready_video(title="One"), ready_video(title="Two")]
    client = client_in(owner, workspace)
    listing = client.get(reverse("videos:list")).content.decode()
    assert 'name="video_ids"' in listing and reverse("videos:export_create") in listing
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("videos:export_create"), {"video_ids": [v.pk for v in videos]}
        )
    export = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("videos:export_detail", args=[export.pk])
    page = client.get(response["Location"]).content.decode()
    assert reverse("videos:export_status", args=[export.pk]) in page  # polls while queued
    assert reverse("videos:export_cancel", args=[export.pk]) in page
    run_export(export)
    partial = client.get(reverse("videos:export_status", args=[export.pk]), HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert "hx-trigger" not in text and "/exports/download/" in text
    assert client.get(reverse("videos:exports")).status_code == 200


def test_the_page_refuses_with_a_message(owner, workspace, foreign_video):
    client = client_in(owner, workspace)
    response = client.post(
        reverse("videos:export_create"), {"video_ids": [foreign_video.pk]}, follow=True
    )
    assert f"#{foreign_video.pk}" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_viewers_cannot_export_from_the_page(viewer, workspace, ready_video):
    response = client_in(viewer, workspace).post(
        reverse("videos:export_create"), {"video_ids": [ready_video().pk]}
    )
    assert response.status_code == 403


# -- S3 -----------------------------------------------------------------------------------------


def test_on_s3_the_zip_lands_in_the_bucket_and_its_presigned_link_downloads(
    s3,
    owner,
    workspace,
    ready_video,
    mailoutbox,
    django_capture_on_commit_callbacks,
    settings,
):
    videos = [ready_video(title="Cloud one"), ready_video(title="Cloud two")]
    # Version files carry the lifecycle tag (STANDARD_IA after 30 days).
    tags = s3.get_object_tagging(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key=videos[0].file.name)
    assert {"Key": "vc-lifecycle", "Value": "version"} in tags["TagSet"]
    with django_capture_on_commit_callbacks(execute=True):
        export = services.export_create(
            workspace=workspace, video_ids=[v.pk for v in videos], actor=owner
        )
    export.refresh_from_db()
    assert export.status == ExportStatus.READY, export.error_code
    assert export.file.name in bucket_keys(s3) and export.file.name.startswith("exports/")
    assert stored_files(settings) == []  # nothing left on the local disk

    url = api_for(owner).get(f"/api/v1/exports/{export.pk}/").json()["download_url"]
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    assert url.startswith(settings.AWS_S3_ENDPOINT_URL) and "X-Amz-Signature" in query
    assert 604000 < int(query["X-Amz-Expires"][0]) <= 604800
    body, headers = fetch_url(url)
    assert headers["Content-Disposition"].startswith("attachment")
    members = _zip_members(body)
    assert list(members) == ["cloud-one.mp4", "cloud-two.mp4"]
    for video, (content, _type) in zip(videos, members.values(), strict=True):
        assert content == _bytes(video.file.name)
    assert url.split("?")[0] in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        services.exports_expire(now=export.expires_at + timedelta(seconds=1))
    assert export.file.name not in bucket_keys(s3)


@pytest.mark.parametrize(
    "payload",
    [
        {"video_ids": [1024363251573346837463040]},
        {"video_ids": [1], "workspace": 2**63},
    ],
)
def test_ids_too_big_for_the_database_are_a_400(owner, payload):
    response = api_for(owner).post("/api/v1/exports/", payload, format="json")
    assert response.status_code == 400
    assert not ExportJob.objects.exists()
