"""The videos pages: library, making and editing a video, the video page, list and dashboard."""

import datetime
import re
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for, client_in
from tests.videos.conftest import png_bytes, stored_files, upload
from videos.models import RenderJob, Template, Video, VideoStatus

FILLED = {
    "field_headline": "Hello",
    "field_background": "#123456",
    "field_count": "3",
    "field_values": "1, 2",
    "duration": "2",
    "resolution": "720",
}


# -- library --------------------------------------------------------------------------------------


def _names(response) -> list[str]:
    return [t.name for t in response.context["templates"]]


@pytest.mark.django_db
def test_library_shows_media_or_a_placeholder(owner_client, make_template, mp4_path):
    from django.core.files.base import ContentFile

    plain = make_template(name="Plain")
    with_media = make_template(name="With media")
    with_media.thumbnail.save("thumb.png", ContentFile(png_bytes()), save=False)
    with_media.preview.save("preview.mp4", ContentFile(mp4_path.read_bytes()), save=False)
    with_media.save()
    page = owner_client.get(reverse("videos:templates"))
    assert page.status_code == 200
    text = page.content.decode()
    assert escape(plain.name) in text and "No preview yet" in text
    assert re.search(r'<video class="media-fill" src="/files/[^"]+" poster="/files/', text)
    assert "/media/" not in text
    # The linked preview is the real file.
    src = re.search(r'<video class="media-fill" src="([^"]+)"', text).group(1)
    assert b"".join(owner_client.get(src).streaming_content) == mp4_path.read_bytes()


@pytest.mark.django_db
def test_library_filters_and_sorts(owner_client, make_template, only_test_templates):
    now = timezone.now()
    make_template(
        name="Old popular",
        category="social",
        tags=["sale"],
        usage_count=50,
        duration=8,
        created_at=now - datetime.timedelta(days=9),
    )
    make_template(
        name="New", category="education", tags=["tips"], usage_count=1, duration=5, created_at=now
    )
    make_template(
        name="Short",
        category="education",
        tags=["tips", "sale"],
        usage_count=7,
        duration=2,
        created_at=now - datetime.timedelta(days=1),
    )
    url = reverse("videos:templates")
    assert _names(owner_client.get(url)) == ["Old popular", "Short", "New"]
    assert _names(owner_client.get(url, {"sort": "recent"})) == ["New", "Short", "Old popular"]
    assert _names(owner_client.get(url, {"sort": "duration"})) == ["Short", "New", "Old popular"]
    assert _names(owner_client.get(url, {"category": "education"})) == ["Short", "New"]
    assert _names(owner_client.get(url, {"tag": "sale"})) == ["Old popular", "Short"]
    assert _names(owner_client.get(url, {"q": "tip"})) == ["Short", "New"]
    assert _names(owner_client.get(url, {"q": "popular"})) == ["Old popular"]
    empty = owner_client.get(url, {"tag": "nothing"})
    assert "No template matches these filters." in empty.content.decode()
    # Nonsense filters are ignored, never a 500.
    assert owner_client.get(url, {"sort": "'; drop", "category": "x"}).status_code == 200


@pytest.mark.django_db
def test_pro_templates_are_locked_on_free_with_an_upgrade_prompt(owner, workspace, make_template):
    pro = make_template(name="Fancy", tier="pro")
    client = client_in(owner, workspace)
    text = client.get(reverse("videos:templates")).content.decode()
    assert "Locked on the Free plan." in text
    assert reverse("billing:pricing") in text
    detail = client.get(reverse("videos:template", args=[pro.key])).content.decode()
    assert "This is a Pro template." in detail and 'enctype="multipart/form-data"' not in detail
    # Posting anyway is refused by the services, with the upgrade link.
    response = client.post(reverse("videos:template", args=[pro.key]), {**FILLED, "title": "Try"})
    assert response.status_code == 200
    assert "part of the Pro plan" in response.content.decode()
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_pro_workspace_uses_pro_templates_and_1080p(owner, pro_workspace, make_template):
    pro = make_template(name="Fancy", tier="pro")
    client = client_in(owner, pro_workspace)
    assert (
        "Locked on the Free plan." not in client.get(reverse("videos:templates")).content.decode()
    )
    response = client.post(
        reverse("videos:template", args=[pro.key]),
        {**FILLED, "title": "Big", "duration": 3, "resolution": 1080},
    )
    video = Video.objects.get()
    assert response["Location"] == reverse("videos:detail", args=[video.pk])
    assert (video.workspace, video.resolution) == (pro_workspace, 1080)


# -- making a video -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_form_is_generated_from_the_template_fields(owner, workspace, make_template):
    template = make_template(clip=True)
    page = client_in(owner, workspace).get(reverse("videos:template", args=[template.key]))
    form = page.context["form"]
    assert [name for name in form.fields] == [
        "title",
        "field_headline",
        "field_background",
        "field_count",
        "field_values",
        "field_labels",
        "field_photo",
        "duration",
        "resolution",
        "source_clip",
    ]
    text = page.content.decode()
    assert 'maxlength="40"' in text and 'type="color"' in text and 'value="#123456"' in text
    assert 'type="number"' in text and 'min="0"' in text and 'max="100"' in text
    assert 'value="1, 2, 3"' in text
    assert 'min="1"' in text and 'max="10"' in text  # the duration range
    assert re.search(r'<option value="1080" disabled>1080p \(Pro\)</option>', text)
    assert ".webm" in text  # the clip input accepts mp4, mov and webm


@pytest.mark.django_db
def test_templates_without_a_video_slot_take_no_clip(owner_client, template):
    page = owner_client.get(reverse("videos:template", args=[template.key]))
    assert "source_clip" not in page.context["form"].fields


@pytest.mark.django_db
def test_create_a_draft_with_an_image(owner, workspace, template, settings):
    client = client_in(owner, workspace)
    response = client.post(
        reverse("videos:template", args=[template.key]),
        {
            "title": "  Spring sale ",
            "field_headline": "50% off",
            "field_background": "#AABBCC",
            "field_count": "7",
            "field_values": "4, 5.5, 6",
            "field_photo": upload("photo.png", png_bytes(), "image/png"),
            "duration": "4",
            "resolution": "720",
        },
    )
    video = Video.objects.get()
    assert response.status_code == 302
    assert (video.title, video.status, video.duration_seconds) == ("Spring sale", "draft", 4)
    assert video.fields["headline"] == "50% off"
    assert video.fields["background"] == "#aabbcc"
    assert video.fields["count"] == 7 and video.fields["values"] == [4, 5.5, 6]
    assert video.fields["photo"].startswith(f"workspaces/{workspace.pk}/uploads/")
    assert not RenderJob.objects.exists()
    assert Template.objects.get(pk=template.pk).usage_count == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"field_headline": "x" * 41}, "field_headline", "at most 40 characters"),
        ({"field_headline": "   "}, "field_headline", "Headline is required."),
        ({"field_background": "red"}, "field_background", "must be a colour like #1a2b3c"),
        ({"field_count": "500"}, "field_count", "must be between 0 and 100"),
        ({"field_values": "1, two"}, "field_values", "list of numbers separated by commas"),
        ({"field_values": "1,2,3,4,5,6"}, "field_values", "at most 5 numbers"),
        ({"duration": "60"}, "duration", "less than or equal to 10"),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_invalid_fields_show_translated_errors_and_create_nothing(
    owner, workspace, template, data, field, message
):
    client = client_in(owner, workspace)
    post = {**FILLED, "title": "A video", **data}
    response = client.post(reverse("videos:template", args=[template.key]), post)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_errors_follow_the_language(owner, workspace, template):
    client = client_in(owner, workspace)
    response = client.post(
        reverse("videos:template", args=[template.key]),
        {"title": "", "duration": "2", "resolution": "720"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert "Dieses Feld ist erforderlich." in response.content.decode()


@pytest.mark.django_db
def test_1080p_is_refused_on_free_with_an_upgrade_link(owner, workspace, template):
    client = client_in(owner, workspace)
    response = client.post(
        reverse("videos:template", args=[template.key]),
        {**FILLED, "title": "Big", "resolution": "1080"},
    )
    text = response.content.decode()
    assert "1080p output is part of the Pro plan" in text
    assert reverse("billing:pricing") in text
    assert not Video.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case", ["text as image", "oversize image", "pdf as clip", "pdf named mp4", "too-long clip"]
)
def test_bad_uploads_are_rejected_and_create_nothing(
    owner, workspace, make_template, settings, long_mp4_path, case
):
    template = make_template(clip=True)
    files = {
        "text as image": {"field_photo": upload("photo.png", b"just some text", "image/png")},
        "oversize image": {"field_photo": upload("big.png", b"\0" * (10 * 1024 * 1024 + 1))},
        "pdf as clip": {"source_clip": upload("clip.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")},
        "pdf named mp4": {"source_clip": upload("clip.mp4", b"%PDF-1.4\n%%EOF", "video/mp4")},
        "too-long clip": {
            "source_clip": upload("long.mp4", long_mp4_path.read_bytes(), "video/mp4"),
            # A valid image alongside: it must not be stored when the clip is refused.
            "field_photo": upload("photo.png", png_bytes(), "image/png"),
        },
    }[case]
    expected = {
        "text as image": "The file is not a readable image.",
        "oversize image": "Images can be at most 10 MB.",
        "pdf as clip": "Upload an MP4, MOV or WebM video.",
        "pdf named mp4": "This file is not a video we can read.",
        "too-long clip": "Videos can be at most 5 minutes long.",
    }[case]
    client = client_in(owner, workspace)
    response = client.post(
        reverse("videos:template", args=[template.key]),
        {**FILLED, "title": "Upload", **files},
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not Video.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_a_clip_goes_into_the_video_slot(owner, workspace, make_template, mp4_path):
    template = make_template(clip=True)
    client = client_in(owner, workspace)
    client.post(
        reverse("videos:template", args=[template.key]),
        {
            **FILLED,
            "title": "Mine",
            "source_clip": upload("mine.mov", mp4_path.read_bytes(), "video/quicktime"),
        },
    )
    video = Video.objects.get()
    assert video.source_clip.name.endswith(".mov")


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
        {**FILLED, "title": "Renamed"},
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
            {**FILLED, "title": "Rendered", "duration": "1", "render": "1"},
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


# -- brand kits -----------------------------------------------------------------------------------


def _kit_post(**overrides):
    return {
        "name": "Acme",
        "position": "top-left",
        "opacity": "60",
        "scale": "0.2",
        "margin": "10",
        **overrides,
    }


@pytest.mark.django_db
def test_brand_kit_create_edit_preview_and_delete(owner, workspace, settings):
    client = client_in(owner, workspace)
    assert "No brand kit yet." in client.get(reverse("videos:brand_kits")).content.decode()
    response = client.post(
        reverse("videos:brand_kit_create"),
        _kit_post(logo=upload("logo.png", png_bytes((80, 40)), "image/png"), is_default="on"),
    )
    assert response["Location"] == reverse("videos:brand_kits")
    from videos.models import BrandKit

    kit = BrandKit.objects.get()
    assert (kit.workspace, kit.position, kit.opacity, kit.scale, kit.is_default) == (
        workspace,
        "top-left",
        60,
        0.2,
        True,
    )
    listing = client.get(reverse("videos:brand_kits")).content.decode()
    assert (
        reverse("videos:brand_kit_preview", args=[kit.pk]) in listing and "data-confirm" in listing
    )

    preview = client.get(reverse("videos:brand_kit_preview", args=[kit.pk]))
    assert preview["Content-Type"] == "image/png" and preview.content.startswith(b"\x89PNG")
    moved = client.get(reverse("videos:brand_kit_preview", args=[kit.pk]), {"position": "center"})
    assert moved.content != preview.content
    # Nonsense settings fall back to the kit's own.
    same = client.get(reverse("videos:brand_kit_preview", args=[kit.pk]), {"opacity": "900"})
    assert same.content == preview.content
    live = client.get(
        reverse("videos:brand_kit_edit", args=[kit.pk]),
        {"position": "center"},
        HTTP_HX_REQUEST="true",
    )
    assert "position=center" in live.content.decode() and "<html" not in live.content.decode()

    response = client.post(
        reverse("videos:brand_kit_edit", args=[kit.pk]), _kit_post(name="Acme 2", opacity="100")
    )
    assert response.status_code == 302
    kit.refresh_from_db()
    assert (kit.name, kit.opacity, kit.is_default) == ("Acme 2", 100, False)

    response = client.post(reverse("videos:brand_kit_delete", args=[kit.pk]))
    assert response["Location"] == reverse("videos:brand_kits")
    assert not BrandKit.objects.exists()


@pytest.mark.django_db
def test_brand_kit_preview_on_a_videos_thumbnail(owner, ready_video):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from videos.models import BrandKit

    video = ready_video()
    key = default_storage.save("workspaces/x/logo.png", ContentFile(png_bytes((20, 20))))
    kit = BrandKit.objects.create(workspace=video.workspace, name="K", logo=key)
    client = client_for(owner)
    on_video = client.get(reverse("videos:brand_kit_preview", args=[kit.pk]), {"video": video.pk})
    import io

    from PIL import Image

    assert Image.open(io.BytesIO(on_video.content)).size == (64, 36)  # the thumbnail's size


UNREADABLE = "The file is not a readable image."
TOO_BIG = b"\0" * (5 * 1024 * 1024 + 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("logo", "message"),
    [
        (upload("logo.png", b"not an image at all", "image/png"), UNREADABLE),
        (upload("logo.pdf", b"%PDF-1.4\n%%EOF", "application/pdf"), UNREADABLE),
        (upload("logo.png", TOO_BIG, "image/png"), "The logo is larger than 5 MB."),
    ],
)
def test_bad_logos_are_refused_and_store_nothing(owner, workspace, settings, logo, message):
    client = client_in(owner, workspace)
    response = client.post(reverse("videos:brand_kit_create"), _kit_post(logo=logo))
    assert response.status_code == 200
    assert message in response.content.decode()
    from videos.models import BrandKit

    assert not BrandKit.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_the_plans_brand_kit_limit_is_shown_with_an_upgrade_link(owner, workspace):
    client = client_in(owner, workspace)
    for name in ["One", "Two"]:
        response = client.post(
            reverse("videos:brand_kit_create"),
            _kit_post(name=name, logo=upload("logo.png", png_bytes(), "image/png")),
        )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Upgrade to Pro for more." in text and reverse("billing:pricing") in text
    from videos.models import BrandKit

    assert list(BrandKit.objects.values_list("name", flat=True)) == ["One"]


@pytest.mark.django_db
def test_apply_branding_from_the_video_page(owner, ready_video, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from videos.models import BrandKit

    video = ready_video()
    key = default_storage.save("workspaces/x/logo.png", ContentFile(png_bytes((20, 20))))
    kit = BrandKit.objects.create(workspace=video.workspace, name="Acme", logo=key)
    client = client_for(owner)
    page = client.get(reverse("videos:detail", args=[video.pk])).content.decode()
    assert reverse("videos:apply_branding", args=[video.pk]) in page
    old_file = video.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("videos:apply_branding", args=[video.pk]), {"brand_kit": kit.pk})
    video.refresh_from_db()
    assert (video.status, video.brand_kit) == ("ready", kit)
    assert video.file.name != old_file


@pytest.mark.django_db
def test_every_starter_template_page_shows_its_form(owner, pro_workspace):
    client = client_in(owner, pro_workspace)
    starters = Template.objects.filter(is_active=True)
    assert starters.count() >= 7
    for template in starters:
        page = client.get(reverse("videos:template", args=[template.key]))
        assert page.status_code == 200, template.key
        assert "field_" + template.fields[0]["name"] in page.context["form"].fields
    demo = client.get(reverse("videos:template", args=["product-demo-60"]))
    assert "source_clip" in demo.context["form"].fields  # its video layer takes your clip


# -- query counts of the other list pages ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 25])
def test_template_library_query_count_does_not_grow(
    owner_client, make_template, only_test_templates, count, django_assert_max_num_queries
):
    for n in range(count):
        make_template(name=f"Template {n}")
    with django_assert_max_num_queries(8):  # 7, and the bell's unread count
        response = owner_client.get(reverse("videos:templates"))
    assert len(response.context["templates"]) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 12])
def test_brand_kit_list_query_count_does_not_grow(
    owner, workspace, count, django_assert_max_num_queries
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from videos.models import BrandKit

    key = default_storage.save(
        f"workspaces/{workspace.pk}/brand/logo.png", ContentFile(png_bytes())
    )
    BrandKit.objects.bulk_create(
        BrandKit(workspace=workspace, name=f"Kit {n}", logo=key) for n in range(count)
    )
    client = client_in(owner, workspace)
    with django_assert_max_num_queries(7):  # 6, and the bell's unread count
        response = client.get(reverse("videos:brand_kits"))
    assert len(response.context["kits"]) == count
