"""The video page, the video list and dashboard, and rendering from the pages."""

import re

import pytest
from django.urls import reverse

from tests.conftest import client_for, client_in
from tests.videos.conftest import FILLED_FORM, stored_files
from videos.models import RenderJob, Video, VideoStatus

# -- the video page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_video_page_plays_downloads_and_offers_actions(owner, ready_video, mp4_path):
    video = ready_video()
    client = client_for(owner)
    page = client.get(reverse("videos:detail", args=[video.pk]))
    text = page.content.decode()
    src = re.search(r'<video class="media-fill" controls[^>]* src="([^"]+)"', text).group(1)
    assert b"".join(client.get(src.replace("&amp;", "&")).streaming_content) == (
        mp4_path.read_bytes()
    )
    for name in ["download", "edit", "render", "delete"]:
        assert reverse(f"videos:{name}", args=[video.pk]) in text, name
    assert "data-confirm=" in text
    assert "hx-trigger" not in text  # a finished video does not poll

    download = client.get(reverse("videos:download", args=[video.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="Launch teaser.mp4"')
    assert b"".join(download.streaming_content) == mp4_path.read_bytes()


@pytest.mark.django_db
def test_busy_video_polls_its_status_until_it_ends(owner, ready_video):
    video = ready_video()
    Video.objects.filter(pk=video.pk).update(status=VideoStatus.RENDERING, progress=42)
    client = client_for(owner)
    page = client.get(reverse("videos:detail", args=[video.pk])).content.decode()
    status_url = reverse("videos:status", args=[video.pk])
    assert f'hx-get="{status_url}" hx-trigger="every 1s"' in page
    assert 'value="42"' in page

    partial = client.get(status_url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    assert "<html" not in partial.content.decode()

    Video.objects.filter(pk=video.pk).update(status=VideoStatus.READY, progress=100)
    finished = client.get(status_url, HTTP_HX_REQUEST="true")
    assert finished["HX-Refresh"] == "true"
    assert client.get(status_url)["Location"] == reverse("videos:detail", args=[video.pk])


@pytest.mark.django_db
def test_failed_video_shows_the_translated_reason(owner, ready_video):
    video = ready_video()
    Video.objects.filter(pk=video.pk).update(status=VideoStatus.FAILED, error_code="timeout")
    text = client_for(owner).get(reverse("videos:detail", args=[video.pk])).content.decode()
    assert "Rendering took too long and was stopped." in text
    assert "Render again" in text


@pytest.mark.django_db
def test_edit_fields_and_save(owner, ready_video):
    video = ready_video()
    client = client_for(owner)
    page = client.get(reverse("videos:edit", args=[video.pk]))
    assert page.context["form"]["field_headline"].value() == "Hello"
    response = client.post(
        reverse("videos:edit", args=[video.pk]),
        {
            "title": "Renamed",
            "field_headline": "New words",
            "field_background": "#000000",
            "field_count": "1",
            "field_values": "9",
            "duration": "5",
            "resolution": "720",
        },
    )
    assert response["Location"] == reverse("videos:detail", args=[video.pk])
    video.refresh_from_db()
    assert (video.title, video.fields["headline"], video.duration_seconds) == (
        "Renamed",
        "New words",
        5,
    )


@pytest.mark.django_db
def test_busy_video_cannot_be_edited(owner, ready_video):
    video = ready_video()
    Video.objects.filter(pk=video.pk).update(status=VideoStatus.QUEUED)
    response = client_for(owner).post(
        reverse("videos:edit", args=[video.pk]),
        {**FILLED_FORM, "title": "Renamed"},
    )
    assert "Wait until the current render has finished." in response.content.decode()
    assert Video.objects.get(pk=video.pk).title == "Launch teaser"


@pytest.mark.django_db
def test_delete_removes_the_video_and_its_files(
    owner, ready_video, settings, django_capture_on_commit_callbacks
):
    video = ready_video()
    assert stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(reverse("videos:delete", args=[video.pk]))
    assert response["Location"] == reverse("videos:list")
    assert not Video.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_branding_needs_a_kit_of_this_workspace(owner, ready_video, outsider):
    from videos.models import BrandKit

    video = ready_video()
    foreign = BrandKit.objects.create(
        workspace=outsider.teams.get(), name="Theirs", logo="workspaces/0/brand/x.png"
    )
    client = client_for(owner)
    response = client.post(
        reverse("videos:apply_branding", args=[video.pk]), {"brand_kit": foreign.pk}, follow=True
    )
    assert "Choose one of this workspace’s brand kits." in response.content.decode()
    assert not RenderJob.objects.exists()


# -- the list -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_video_list_searches_filters_and_paginates(owner, workspace, ready_video):
    for n in range(30):
        ready_video(title=f"Clip {n:02d}")
    Video.objects.filter(title="Clip 03").update(status=VideoStatus.FAILED)
    client = client_in(owner, workspace)
    first = client.get(reverse("videos:list"))
    assert len(first.context["videos"]) == 24
    assert first.context["page"].paginator.num_pages == 2
    second = client.get(reverse("videos:list"), {"page": 2, "q": "clip"})
    assert len(second.context["videos"]) == 6
    assert "q=clip" in second.content.decode()  # the pager keeps the search
    found = client.get(reverse("videos:list"), {"q": "clip 1"})
    assert [v.title for v in found.context["videos"]][:2] == ["Clip 19", "Clip 18"]
    failed = client.get(reverse("videos:list"), {"status": "failed"})
    assert [v.title for v in failed.context["videos"]] == ["Clip 03"]
    assert "status-failed" in failed.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_video_list_query_count_does_not_grow(
    owner, workspace, ready_video, count, django_assert_max_num_queries
):
    for n in range(count):
        ready_video(title=f"Clip {n}")
    client = client_in(owner, workspace)
    with django_assert_max_num_queries(7):  # 6, and the bell's unread count
        response = client.get(reverse("videos:list"))
    assert len(response.context["videos"]) == min(count, 24)


@pytest.mark.django_db
def test_video_list_is_for_the_chosen_workspace(owner, workspace, ready_video):
    ready_video(title="Team video")
    personal = client_for(owner)  # starts in the personal workspace
    assert list(personal.get(reverse("videos:list")).context["videos"]) == []
    assert "Team video" in client_in(owner, workspace).get(reverse("videos:list")).content.decode()
    explicit = personal.get(reverse("videos:list"), {"workspace": workspace.pk})
    assert [v.title for v in explicit.context["videos"]] == ["Team video"]


@pytest.mark.django_db
def test_dashboard_shows_recent_videos(owner, workspace, ready_video):
    ready_video(title="Fresh cut")
    text = client_in(owner, workspace).get(reverse("dashboard")).content.decode()
    assert "Fresh cut" in text and "no videos yet" not in text


@pytest.mark.django_db
def test_navigation_pages_are_no_longer_coming_soon(owner_client):
    for name in ["videos:list", "videos:templates", "videos:schedule"]:
        assert "Not available yet" not in owner_client.get(reverse(name)).content.decode()


# -- rendering from the pages ---------------------------------------------------------------------


@pytest.mark.django_db
def test_create_and_render_makes_a_playable_video(
    owner, workspace, make_template, django_capture_on_commit_callbacks
):
    template = make_template(duration=1)
    client = client_in(owner, workspace)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("videos:template", args=[template.key]),
            {**FILLED_FORM, "title": "Rendered", "duration": "1", "render": "1"},
        )
    video = Video.objects.get()
    assert response["Location"] == reverse("videos:detail", args=[video.pk])
    assert (video.status, video.progress, video.width, video.height) == ("ready", 100, 1280, 720)
    page = client.get(response["Location"]).content.decode()
    assert "status-ready" in page and "<video" in page
    download = client.get(reverse("videos:download", args=[video.pk]))
    import hashlib

    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == video.checksum


@pytest.mark.django_db
def test_render_button_queues_a_job_and_the_page_polls(owner, ready_video):
    video = ready_video()
    client = client_for(owner)
    response = client.post(reverse("videos:render", args=[video.pk]), follow=True)
    assert RenderJob.objects.filter(video=video, status="queued").exists()
    text = response.content.decode()
    assert "Rendering started." in text
    assert 'hx-trigger="every 1s"' in text
    # A second click while it is queued is refused with a clear message.
    again = client.post(reverse("videos:render", args=[video.pk]), follow=True)
    assert "This video is already being rendered." in again.content.decode()
    assert RenderJob.objects.filter(video=video).count() == 1
